// INSERT (including Hive's FROM-first multi-insert) and LOAD DATA.
import type { Cte, InsertStatement, LoadDataStatement, MultiInsertStatement, Pos, QueryExpr, QueryStatement, SelectCore } from './ast.js';
import { parseIfNotExists, parseNameList, parsePartitionSpec } from './parse-common.js';
import { parseFromClause, parseQName, parseQuery, parseQueryTail, parseSelectCore, startsQuery } from './parse-query.js';
import type { TokenStream } from './token-stream.js';

type InsertHead = Omit<InsertStatement, 'kind' | 'text' | 'query'>;
type Branch = MultiInsertStatement['branches'][number];

/** `INSERT OVERWRITE TABLE t [PARTITION (…) [IF NOT EXISTS]]` / `INSERT INTO [TABLE] t [PARTITION (…)] [(cols)]` */
function parseInsertHead(ts: TokenStream): InsertHead {
  const pos = ts.expectKw('insert').pos;
  let overwrite = false;
  if (ts.acceptKw('overwrite')) {
    overwrite = true;
    if (ts.isAnyKw(['local', 'directory'])) ts.fail("'TABLE' (INSERT OVERWRITE DIRECTORY is not supported)");
  } else if (!ts.acceptKw('into')) {
    ts.fail("'OVERWRITE' or 'INTO'");
  }
  ts.acceptKw('table');
  const table = parseQName(ts, 'a table name');
  const partition = ts.isKw('partition') ? parsePartitionSpec(ts) : undefined;
  const ifNotExists = parseIfNotExists(ts);
  // `(a, b)` is a column list; `(SELECT …)` is the query
  const hasColumns = ts.isOp('(') && !startsQuery(ts, 1) && !ts.isOp('(', 1) && !ts.isKw('values', 1);
  const columns = hasColumns ? parseNameList(ts) : undefined;
  return { overwrite, table, ...(partition && { partition }), ...(columns && { columns }), ifNotExists, pos };
}

export function parseInsert(ts: TokenStream, ctes: readonly Cte[], pos: Pos): Omit<InsertStatement, 'text'> {
  const head = parseInsertHead(ts);
  const query = parseQuery(ts);
  return { kind: 'insert', ...head, query: ctes.length ? { ...query, with: [...ctes, ...query.with] } : query, pos };
}

/**
 * `FROM src INSERT … SELECT … [INSERT … SELECT …]…`. A single branch becomes an ordinary
 * INSERT or query with the FROM moved into its SELECT; several make a multi-insert.
 */
export function parseFromStatement(
  ts: TokenStream, ctes: readonly Cte[], pos: Pos,
): Omit<QueryStatement, 'text'> | Omit<InsertStatement, 'text'> | Omit<MultiInsertStatement, 'text'> {
  ts.expectKw('from');
  const from = parseFromClause(ts);
  const branches: Branch[] = [];
  while (ts.isAnyKw(['insert', 'select'])) {
    if (ts.isKw('insert')) {
      const head = parseInsertHead(ts);
      branches.push({ ...head, query: parseBranchQuery(ts) });
    } else {
      const query = parseBranchQuery(ts);
      branches.push({ kind: 'select', query, pos: query.pos });
    }
  }
  const only = branches[0];
  if (!only) ts.fail("'INSERT' or 'SELECT'");
  if (branches.length > 1) return { kind: 'multiInsert', with: ctes, from, branches, pos };
  const query: QueryExpr = { ...only.query, with: ctes, body: { ...(only.query.body as SelectCore), from }, pos };
  if ('kind' in only) return { kind: 'query', query, pos };
  return { kind: 'insert', ...only, query, pos };
}

// A branch is one SELECT (without FROM) and its ORDER BY / SORT BY / LIMIT tail.
function parseBranchQuery(ts: TokenStream): QueryExpr {
  const pos = ts.peek().pos;
  return parseQueryTail(ts, [], parseSelectCore(ts, {}), pos);
}

/** `LOAD DATA [LOCAL] INPATH 'p' [OVERWRITE] INTO TABLE t [PARTITION (…)]` */
export function parseLoadData(ts: TokenStream): Omit<LoadDataStatement, 'text'> {
  const pos = ts.expectKw('load').pos;
  ts.expectKw('data');
  const local = !!ts.acceptKw('local');
  ts.expectKw('inpath');
  const path = ts.string('a path string').value;
  const overwrite = !!ts.acceptKw('overwrite');
  ts.expectKw('into');
  ts.expectKw('table');
  const table = parseQName(ts, 'a table name');
  const partition = ts.isKw('partition') ? parsePartitionSpec(ts) : undefined;
  return { kind: 'loadData', local, path, overwrite, table, ...(partition && { partition }), pos };
}
