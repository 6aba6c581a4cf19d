// Queries: WITH, set operations, SELECT cores, FROM clauses with joins and lateral views,
// and the ORDER/SORT/DISTRIBUTE/CLUSTER BY and LIMIT tail.
import type {
  Cte, Expr, FromItem, GroupBy, JoinRef, JoinType, Pos, QName, QueryExpr, SelectCore, SelectItem,
  SetExpr, SubqueryRef, TableRef, ValuesExpr, WindowSpec,
} from './ast.js';
import { parseCall, parseExpr, parseOrderItem, parseWindowSpec } from './parse-expr.js';
import { NOT_AN_ALIAS } from './token-stream.js';
import type { TokenStream } from './token-stream.js';

/** Whether the token at k starts a query that can sit inside parentheses. */
export function startsQuery(ts: TokenStream, k = 0): boolean {
  return ts.isAnyKw(['select', 'with', 'from'], k);
}

export function parseQuery(ts: TokenStream): QueryExpr {
  const pos = ts.peek().pos;
  const ctes = ts.isKw('with') ? parseWith(ts) : [];
  return parseQueryBody(ts, ctes, pos);
}

export function parseWith(ts: TokenStream): Cte[] {
  ts.expectKw('with');
  return ts.list(() => {
    const n = ts.ident('a common table expression name');
    const columns = ts.isOp('(') ? ts.parenList(() => ts.ident('a column name').name) : undefined;
    ts.expectKw('as');
    ts.expectOp('(');
    const query = parseQuery(ts);
    ts.expectOp(')');
    return { name: n.name, ...(columns && { columns }), query, pos: n.pos };
  });
}

/** The query after its WITH clause, which the caller has already parsed. */
export function parseQueryBody(ts: TokenStream, ctes: readonly Cte[], pos: Pos): QueryExpr {
  return parseQueryTail(ts, ctes, parseSetExpr(ts), pos);
}

export function parseQueryTail(ts: TokenStream, ctes: readonly Cte[], body: SetExpr, pos: Pos): QueryExpr {
  const byClause = <T>(word: string, item: () => T): T[] => {
    if (!ts.isKw(word)) return [];
    ts.next();
    ts.expectKw('by');
    return ts.list(item);
  };
  const orderBy = byClause('order', () => parseOrderItem(ts));
  const clusterBy = byClause('cluster', () => parseExpr(ts));
  const distributeBy = byClause('distribute', () => parseExpr(ts));
  const sortBy = byClause('sort', () => parseOrderItem(ts));
  let limit: number | undefined;
  let offset: number | undefined;
  if (ts.acceptKw('limit')) {
    limit = ts.integer('a row count');
    if (ts.acceptOp(',')) {
      // Hive's `LIMIT offset, count`
      offset = limit;
      limit = ts.integer('a row count');
    } else if (ts.acceptKw('offset')) {
      offset = ts.integer('a row offset');
    }
  }
  return {
    kind: 'query', with: ctes, body, orderBy, sortBy, distributeBy, clusterBy,
    ...(limit !== undefined && { limit }), ...(offset !== undefined && { offset }), pos,
  };
}

// UNION and EXCEPT are left-associative at one level; INTERSECT binds tighter.
export function parseSetExpr(ts: TokenStream): SetExpr {
  let left = parseIntersection(ts);
  for (;;) {
    const op = ts.isKw('union') ? 'union' : ts.isAnyKw(['except', 'minus']) ? 'except' : undefined;
    if (!op) return left;
    ts.next();
    const all = parseQuantifier(ts);
    left = { kind: 'setop', op, all, left, right: parseIntersection(ts), pos: left.pos };
  }
}

function parseIntersection(ts: TokenStream): SetExpr {
  let left = parseSetOperand(ts);
  while (ts.acceptKw('intersect')) {
    const all = parseQuantifier(ts);
    left = { kind: 'setop', op: 'intersect', all, left, right: parseSetOperand(ts), pos: left.pos };
  }
  return left;
}

/** `ALL` → true; `DISTINCT` or nothing → false. */
function parseQuantifier(ts: TokenStream): boolean {
  if (ts.acceptKw('all')) return true;
  ts.acceptKw('distinct');
  return false;
}

function parseSetOperand(ts: TokenStream): SetExpr {
  const t = ts.peek();
  if (ts.isKw('select')) return parseSelectCore(ts);
  if (ts.isKw('values')) return parseValues(ts);
  if (ts.acceptKw('from')) {
    // `FROM t SELECT …`: Hive's FROM-first form of a single select
    const from = parseFromClause(ts);
    return parseSelectCore(ts, { from });
  }
  if (ts.acceptOp('(')) {
    const query = parseQuery(ts);
    ts.expectOp(')');
    return { kind: 'nested', query, pos: t.pos };
  }
  ts.fail("'SELECT'");
}

export function parseValues(ts: TokenStream): ValuesExpr {
  const pos = ts.expectKw('values').pos;
  const rows = ts.list(() => ts.parenList(() => parseExpr(ts)));
  return { kind: 'values', rows, pos };
}

/**
 * `SELECT … [FROM …] [WHERE …] [GROUP BY …] [HAVING …] [WINDOW …] [QUALIFY …]`. With `shared`,
 * the FROM clause was written before the SELECT (FROM-first and multi-insert forms) and the
 * select may not have its own.
 */
export function parseSelectCore(ts: TokenStream, shared?: { readonly from?: FromItem }): SelectCore {
  const pos = ts.expectKw('select').pos;
  const distinct = !!ts.acceptKw('distinct');
  if (!distinct) ts.acceptKw('all');
  const items = ts.list(() => parseSelectItem(ts));
  let from = shared?.from;
  if (!shared && ts.acceptKw('from')) from = parseFromClause(ts);
  const where = ts.acceptKw('where') ? parseExpr(ts) : undefined;
  const groupBy = ts.isKw('group') ? parseGroupBy(ts) : undefined;
  const having = ts.acceptKw('having') ? parseExpr(ts) : undefined;
  let windows: { name: string; spec: WindowSpec }[] = [];
  if (ts.acceptKw('window')) {
    windows = ts.list(() => {
      const name = ts.ident('a window name').name;
      ts.expectKw('as');
      return { name, spec: parseWindowSpec(ts) };
    });
  }
  const qualify = ts.acceptKw('qualify') ? parseExpr(ts) : undefined;
  return {
    kind: 'select', distinct, items,
    ...(from && { from }), ...(where && { where }), ...(groupBy && { groupBy }), ...(having && { having }),
    windows, ...(qualify && { qualify }), pos,
  };
}

function parseSelectItem(ts: TokenStream): SelectItem {
  const t = ts.peek();
  if (ts.acceptOp('*')) return { expr: { kind: 'star', pos: t.pos }, pos: t.pos };
  const expr = parseExpr(ts);
  if (ts.acceptKw('as')) {
    if (ts.isOp('(')) return { expr, aliases: ts.parenList(() => ts.ident('a column alias').name), pos: t.pos };
    return { expr, alias: ts.ident('an alias').name, pos: t.pos };
  }
  const alias = parseImplicitAlias(ts);
  return { expr, ...(alias !== undefined && { alias }), pos: t.pos };
}

/** An alias written without AS: any name that does not start the next clause. */
function parseImplicitAlias(ts: TokenStream): string | undefined {
  const t = ts.peek();
  if (t.type !== 'ident' || (!t.quoted && NOT_AN_ALIAS.has(t.value))) return undefined;
  ts.next();
  return t.value;
}

function parseAlias(ts: TokenStream): string | undefined {
  if (ts.acceptKw('as')) return ts.ident('an alias').name;
  return parseImplicitAlias(ts);
}

function parseGroupBy(ts: TokenStream): GroupBy {
  const pos = ts.next().pos;
  ts.expectKw('by');
  if (ts.acceptKw('grouping', 'sets')) {
    const groupingSets = parseGroupingSets(ts);
    return { exprs: distinctExprs(groupingSets.flat()), groupingSets, rollup: false, cube: false, pos };
  }
  if (ts.isAnyKw(['rollup', 'cube']) && ts.isOp('(', 1)) {
    const kind = ts.next().value;
    const exprs = ts.parenList(() => parseExpr(ts));
    return { exprs, rollup: kind === 'rollup', cube: kind === 'cube', pos };
  }
  const exprs = ts.list(() => parseExpr(ts));
  if (ts.acceptKw('with', 'rollup')) return { exprs, rollup: true, cube: false, pos };
  if (ts.acceptKw('with', 'cube')) return { exprs, rollup: false, cube: true, pos };
  if (ts.acceptKw('grouping', 'sets')) return { exprs, groupingSets: parseGroupingSets(ts), rollup: false, cube: false, pos };
  return { exprs, rollup: false, cube: false, pos };
}

/** `((a, b), a, ())` */
function parseGroupingSets(ts: TokenStream): Expr[][] {
  return ts.parenList(() => {
    if (ts.isOp('(') && ts.isOp(')', 1)) {
      ts.next();
      ts.next();
      return [];
    }
    if (ts.isOp('(')) return ts.parenList(() => parseExpr(ts));
    return [parseExpr(ts)];
  });
}

// The standard GROUPING SETS form lists no grouping expressions of its own: they are the
// distinct expressions the sets mention, compared without positions.
function distinctExprs(exprs: readonly Expr[]): Expr[] {
  const seen = new Set<string>();
  return exprs.filter((e) => {
    const key = JSON.stringify(e, (k, v: unknown) => (k === 'pos' ? undefined : v));
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// Comma joins are cross joins in the same left-associative chain as JOIN, as in Hive
// (`a, b JOIN c ON …` is `(a, b) JOIN c`).
export function parseFromClause(ts: TokenStream): FromItem {
  let left = parseFromSource(ts);
  for (;;) {
    if (ts.acceptOp(',')) {
      left = { kind: 'join', type: 'cross', left, right: parseFromSource(ts), pos: left.pos };
      continue;
    }
    const type = parseJoinType(ts);
    if (!type) return left;
    const right = parseFromSource(ts);
    let join: JoinRef;
    if (ts.acceptKw('on')) join = { kind: 'join', type, left, right, on: parseExpr(ts), pos: left.pos };
    else if (ts.acceptKw('using')) join = { kind: 'join', type, left, right, using: ts.parenList(() => ts.ident('a column name').name), pos: left.pos };
    else join = { kind: 'join', type, left, right, pos: left.pos };
    // Hive only allows lateral views before ON; after it they apply to the whole join.
    left = parseLateralViews(ts, join);
  }
}

function parseJoinType(ts: TokenStream): JoinType | undefined {
  if (ts.acceptKw('join')) return 'inner';
  if (ts.acceptKw('inner')) return joined(ts, 'inner');
  if (ts.acceptKw('cross')) return joined(ts, 'cross');
  if (ts.acceptKw('left')) {
    if (ts.acceptKw('semi')) return joined(ts, 'leftSemi');
    if (ts.acceptKw('anti')) return joined(ts, 'leftAnti');
    ts.acceptKw('outer');
    return joined(ts, 'left');
  }
  if (ts.acceptKw('right')) {
    ts.acceptKw('outer');
    return joined(ts, 'right');
  }
  if (ts.acceptKw('full')) {
    ts.acceptKw('outer');
    return joined(ts, 'full');
  }
  return undefined;
}

function joined(ts: TokenStream, type: JoinType): JoinType {
  ts.expectKw('join');
  return type;
}

function parseFromSource(ts: TokenStream): FromItem {
  return parseLateralViews(ts, parseFromPrimary(ts));
}

/** `LATERAL VIEW [OUTER] f(args) tableAlias [AS col, …]`, repeated. */
function parseLateralViews(ts: TokenStream, input: FromItem): FromItem {
  while (ts.isKw('lateral')) {
    ts.next();
    ts.expectKw('view');
    const outer = !!ts.acceptKw('outer');
    const fn = ts.peek();
    if (fn.type !== 'ident' || !ts.isOp('(', 1)) ts.fail('a table-generating function call');
    ts.next();
    const func = parseCall(ts, fn.value.toLowerCase(), fn.pos);
    const tableAlias = ts.ident('a table alias for the lateral view').name;
    const columnAliases: string[] = [];
    if (ts.acceptKw('as')) {
      columnAliases.push(ts.ident('a column alias').name);
      // As in Hive, a comma followed by a name continues the column list rather than the FROM list.
      while (ts.isOp(',') && ts.isIdent(1)) {
        ts.next();
        columnAliases.push(ts.ident('a column alias').name);
      }
    }
    input = { kind: 'lateralView', input, outer, func, tableAlias, columnAliases, pos: input.pos };
  }
  return input;
}

function parseFromPrimary(ts: TokenStream): FromItem {
  const t = ts.peek();
  if (ts.isOp('(')) {
    if (startsQuery(ts, 1) || ts.isKw('values', 1)) return parseSubqueryRef(ts);
    if (ts.isOp('(', 1)) {
      const sub = ts.attempt(() => parseSubqueryRef(ts));
      if (sub) return sub;
    }
    // a parenthesised join: `(a JOIN b ON …)`
    ts.next();
    const inner = parseFromClause(ts);
    ts.expectOp(')');
    return inner;
  }
  const name = parseQName(ts, 'a table name');
  let sample = parseTableSample(ts);
  const alias = parseAlias(ts);
  sample ??= parseTableSample(ts);
  const ref: TableRef = { kind: 'table', name, ...(alias !== undefined && { alias }), ...(sample && { sample }), pos: t.pos };
  return ref;
}

function parseSubqueryRef(ts: TokenStream): SubqueryRef {
  const pos = ts.expectOp('(').pos;
  const query = parseQuery(ts);
  ts.expectOp(')');
  const alias = parseAlias(ts);
  return { kind: 'subquery', query, ...(alias !== undefined && { alias }), pos };
}

function parseTableSample(ts: TokenStream): TableRef['sample'] {
  if (!ts.acceptKw('tablesample')) return undefined;
  ts.expectOp('(');
  ts.expectKw('bucket');
  const bucket = ts.integer('a bucket number');
  ts.expectKw('out');
  ts.expectKw('of');
  const outOf = ts.integer('a bucket count');
  const on = ts.acceptKw('on') ? parseExpr(ts) : undefined;
  ts.expectOp(')');
  return { bucket, outOf, ...(on && { on }) };
}

/** `name` or `db.name` */
export function parseQName(ts: TokenStream, what: string): QName {
  const first = ts.ident(what);
  if (!ts.acceptOp('.')) return { name: first.name, pos: first.pos };
  const second = ts.ident(what, true);
  return { db: first.name, name: second.name, pos: first.pos };
}
