// CREATE / DROP / ALTER and the other catalog statements.
import { sqlError } from '../common/errors.js';
import type {
  AlterTableAction, AlterTableStatement, AnalyzeStatement, ColumnDef, CreateDatabaseStatement, CreateFunctionStatement,
  CreateTableStatement, CreateViewStatement, DescribeStatement, DropDatabaseStatement, DropFunctionStatement, FunctionSignature,
  DropTableStatement, DropViewStatement, MsckStatement, OrderItem, PartitionSpecEntry, Pos, QName, RowFormat,
  ShowStatement, TruncateStatement,
} from './ast.js';
import type { Token } from './lexer.js';
import {
  parseColumnDef, parseColumnDefs, parseIfExists, parseIfNotExists, parseNameList, parsePartitionSpec, parseProperties,
} from './parse-common.js';
import { parseQName, parseQuery } from './parse-query.js';
import { parseType } from './parse-type.js';
import type { TokenStream } from './token-stream.js';

type Body<S> = Omit<S, 'text'>;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export function parseCreate(
  ts: TokenStream,
): Body<CreateDatabaseStatement> | Body<CreateTableStatement> | Body<CreateViewStatement> | Body<CreateFunctionStatement> {
  const pos = ts.expectKw('create').pos;
  const orReplace = !!ts.acceptKw('or', 'replace');
  const temporary = !!ts.acceptKw('temporary');
  const external = !!ts.acceptKw('external');
  if (orReplace && !ts.isKw('view')) ts.fail("'VIEW'");
  if (ts.isAnyKw(['database', 'schema']) && !temporary && !external) return parseCreateDatabase(ts, pos);
  if (ts.isKw('table')) return parseCreateTable(ts, pos, temporary, external);
  if (ts.isKw('view') && !temporary && !external) return parseCreateView(ts, pos, orReplace);
  if (ts.isKw('function') && !external) return parseCreateFunction(ts, pos, temporary);
  ts.fail(temporary || external ? "'TABLE'" : "'TABLE', 'VIEW', 'DATABASE' or 'FUNCTION'");
}

function parseCreateDatabase(ts: TokenStream, pos: Pos): Body<CreateDatabaseStatement> {
  ts.next();
  const ifNotExists = parseIfNotExists(ts);
  const name = ts.ident('a database name').name;
  let comment: string | undefined;
  let location: string | undefined;
  let properties: Record<string, string> = {};
  for (;;) {
    if (ts.acceptKw('comment')) comment = ts.string('a comment string').value;
    else if (ts.acceptKw('location') || ts.acceptKw('managedlocation')) location = ts.string('a location string').value;
    else if (ts.acceptKw('with', 'dbproperties')) properties = parseProperties(ts);
    else break;
  }
  return {
    kind: 'createDatabase', name, ifNotExists, ...(comment !== undefined && { comment }),
    ...(location !== undefined && { location }), properties, pos,
  };
}

function parseCreateTable(ts: TokenStream, pos: Pos, temporary: boolean, external: boolean): Body<CreateTableStatement> {
  ts.expectKw('table');
  const ifNotExists = parseIfNotExists(ts);
  const name = parseQName(ts, 'a table name');
  const head = { kind: 'createTable', name, ifNotExists, external, temporary } as const;
  if (ts.acceptKw('like')) {
    const like = parseQName(ts, 'a table name');
    return { ...head, columns: [], ...parseTableClauses(ts), like, pos };
  }
  const columns = ts.isOp('(') ? parseColumnDefs(ts) : [];
  const clauses = parseTableClauses(ts);
  if (!ts.acceptKw('as')) return { ...head, columns, ...clauses, pos };
  return { ...head, columns, ...clauses, asSelect: parseQuery(ts), pos };
}

type TableClauses = Pick<
  CreateTableStatement,
  'comment' | 'partitionedBy' | 'partitionedByNames' | 'clusteredBy' | 'rowFormat' | 'storedAs' | 'storedAsPos' | 'location' | 'properties'
>;

// Hive wants these in a fixed order; any order is accepted here, each clause at most once.
function parseTableClauses(ts: TokenStream): TableClauses {
  const c: Mutable<TableClauses> = { partitionedBy: [], properties: {} };
  const seen = new Set<string>();
  const once = (clause: string, t: Token) => {
    if (seen.has(clause)) throw sqlError(`duplicate ${clause} clause`, t.pos);
    seen.add(clause);
  };
  for (;;) {
    const t = ts.peek();
    if (ts.acceptKw('comment')) {
      once('COMMENT', t);
      c.comment = ts.string('a comment string').value;
    } else if (ts.acceptKw('partitioned')) {
      once('PARTITIONED BY', t);
      ts.expectKw('by');
      // CTAS names select-list columns (Hive 4); a plain CREATE gives them types
      if (ts.isOp('(') && ts.peek(1).type === 'ident' && (ts.isOp(',', 2) || ts.isOp(')', 2))) {
        c.partitionedByNames = parseNameList(ts);
      } else {
        c.partitionedBy = parseColumnDefs(ts);
      }
    } else if (ts.acceptKw('clustered')) {
      once('CLUSTERED BY', t);
      c.clusteredBy = parseClusteredBy(ts);
    } else if (ts.acceptKw('row')) {
      once('ROW FORMAT', t);
      ts.expectKw('format');
      c.rowFormat = parseRowFormat(ts);
    } else if (ts.acceptKw('stored')) {
      once('STORED AS', t);
      ts.expectKw('as');
      const f = ts.ident('a file format such as PARQUET or TEXTFILE');
      if (f.name === 'inputformat') throw sqlError('STORED AS INPUTFORMAT … OUTPUTFORMAT … is not supported; name a file format such as PARQUET or TEXTFILE', f.pos);
      c.storedAs = f.name.toUpperCase();
      c.storedAsPos = f.pos;
    } else if (ts.acceptKw('location')) {
      once('LOCATION', t);
      c.location = ts.string('a location string').value;
    } else if (ts.acceptKw('tblproperties')) {
      once('TBLPROPERTIES', t);
      c.properties = parseProperties(ts);
    } else {
      return c;
    }
  }
}

/** `(cols) [SORTED BY (col [ASC|DESC], …)] INTO n BUCKETS`, after CLUSTERED */
function parseClusteredBy(ts: TokenStream): NonNullable<CreateTableStatement['clusteredBy']> {
  ts.expectKw('by');
  const columns = parseNameList(ts);
  let sortedBy: OrderItem[] = [];
  if (ts.acceptKw('sorted')) {
    ts.expectKw('by');
    sortedBy = ts.parenList(() => {
      const col = ts.ident('a column name');
      const desc = !!ts.acceptKw('desc');
      if (!desc) ts.acceptKw('asc');
      return { expr: { kind: 'column', parts: [col.name], pos: col.pos }, desc };
    });
  }
  ts.expectKw('into');
  const buckets = ts.integer('a bucket count');
  ts.expectKw('buckets');
  return { columns, sortedBy, buckets };
}

/** After ROW FORMAT: `DELIMITED …` or `SERDE 'class' [WITH SERDEPROPERTIES (…)]` */
function parseRowFormat(ts: TokenStream): RowFormat {
  if (ts.acceptKw('serde')) {
    const serde = ts.string('a SerDe class name string').value;
    if (!ts.acceptKw('with', 'serdeproperties')) return { serde };
    return { serde, serdeProperties: parseProperties(ts) };
  }
  if (!ts.acceptKw('delimited')) ts.fail("'DELIMITED' or 'SERDE'");
  const rf: Mutable<RowFormat> = {};
  const terminatedBy = () => {
    ts.expectKw('terminated');
    ts.expectKw('by');
    return ts.string('a delimiter string').value;
  };
  for (;;) {
    if (ts.acceptKw('fields')) {
      rf.fieldDelimiter = terminatedBy();
      if (ts.acceptKw('escaped')) {
        ts.expectKw('by');
        rf.escapeChar = ts.string('an escape character string').value;
      }
    } else if (ts.acceptKw('collection')) {
      ts.expectKw('items');
      rf.collectionDelimiter = terminatedBy();
    } else if (ts.acceptKw('map')) {
      ts.expectKw('keys');
      rf.mapKeyDelimiter = terminatedBy();
    } else if (ts.acceptKw('lines')) {
      rf.lineDelimiter = terminatedBy();
    } else if (ts.acceptKw('null')) {
      ts.expectKw('defined');
      ts.expectKw('as');
      rf.nullFormat = ts.string('a null marker string').value;
    } else {
      return rf;
    }
  }
}

function parseCreateView(ts: TokenStream, pos: Pos, orReplace: boolean): Body<CreateViewStatement> {
  ts.expectKw('view');
  const ifNotExists = parseIfNotExists(ts);
  const name = parseQName(ts, 'a view name');
  const columns = ts.isOp('(')
    ? ts.parenList(() => {
      const col = ts.ident('a column name').name;
      if (ts.acceptKw('comment')) ts.string('a comment string');
      return col;
    })
    : undefined;
  const comment = ts.acceptKw('comment') ? ts.string('a comment string').value : undefined;
  const properties = ts.acceptKw('tblproperties') ? parseProperties(ts) : undefined;
  ts.expectKw('as');
  const query = parseQuery(ts);
  return {
    kind: 'createView', name, ifNotExists, orReplace, ...(columns && { columns }), query,
    ...(comment !== undefined && { comment }), ...(properties && { properties }), pos,
  };
}

function parseCreateFunction(ts: TokenStream, pos: Pos, temporary: boolean): Body<CreateFunctionStatement> {
  ts.expectKw('function');
  const name = parseQName(ts, 'a function name');
  const signature = parseFunctionSignature(ts);
  let nullOnNullInput: boolean | undefined;
  if (ts.acceptKw('returns', 'null', 'on', 'null', 'input')) nullOnNullInput = true;
  else if (ts.acceptKw('called', 'on', 'null', 'input')) nullOnNullInput = false;
  ts.expectKw('as');
  const cls = ts.string('an export name string');
  const resources: { kind: 'jar' | 'file'; path: string; pos: Pos }[] = [];
  if (ts.acceptKw('using')) {
    let kind: 'jar' | 'file' | undefined;
    ts.list(() => {
      if (ts.acceptKw('jar')) kind = 'jar';
      else if (ts.acceptKw('file')) kind = 'file';
      else if (!kind || ts.peek().type !== 'string') ts.fail("'JAR' or 'FILE'");
      const path = ts.string('a path string');
      resources.push({ kind, path: path.value, pos: path.pos });
    });
  }
  return {
    kind: 'createFunction', temporary, name, className: cls.value, classPos: cls.pos, resources,
    ...(signature && { signature }), ...(nullOnNullInput !== undefined && { nullOnNullInput }), pos,
  };
}

/** `(type, …) RETURNS type` or `(type, …) RETURNS TABLE (col type, …)`; absent when the statement declares none. */
function parseFunctionSignature(ts: TokenStream): FunctionSignature | undefined {
  const open = ts.acceptOp('(');
  if (!open) return undefined;
  const args = ts.isOp(')') ? [] : ts.list(() => parseType(ts));
  ts.expectOp(')');
  ts.expectKw('returns');
  if (ts.acceptKw('table')) {
    const columns = parseColumnDefs(ts);
    const fields = columns.map((c) => ({ name: c.name.toLowerCase(), type: c.type }));
    return { args, returns: { kind: 'struct', fields }, table: true, pos: open.pos };
  }
  return { args, returns: parseType(ts), table: false, pos: open.pos };
}

export function parseDrop(
  ts: TokenStream,
): Body<DropDatabaseStatement> | Body<DropTableStatement> | Body<DropViewStatement> | Body<DropFunctionStatement> {
  const pos = ts.expectKw('drop').pos;
  const temporary = !!ts.acceptKw('temporary');
  if (!temporary && (ts.acceptKw('database') || ts.acceptKw('schema'))) {
    const ifExists = parseIfExists(ts);
    const name = ts.ident('a database name').name;
    const cascade = !!ts.acceptKw('cascade');
    if (!cascade) ts.acceptKw('restrict');
    return { kind: 'dropDatabase', name, ifExists, cascade, pos };
  }
  if (!temporary && ts.acceptKw('table')) {
    const ifExists = parseIfExists(ts);
    const name = parseQName(ts, 'a table name');
    return { kind: 'dropTable', name, ifExists, purge: !!ts.acceptKw('purge'), pos };
  }
  if (!temporary && ts.acceptKw('view')) {
    const ifExists = parseIfExists(ts);
    return { kind: 'dropView', name: parseQName(ts, 'a view name'), ifExists, pos };
  }
  if (ts.acceptKw('function')) {
    const ifExists = parseIfExists(ts);
    return { kind: 'dropFunction', temporary, name: parseQName(ts, 'a function name'), ifExists, pos };
  }
  ts.fail(temporary ? "'FUNCTION'" : "'TABLE', 'VIEW', 'DATABASE' or 'FUNCTION'");
}

export function parseAlterTable(ts: TokenStream): Body<AlterTableStatement> {
  const pos = ts.expectKw('alter').pos;
  ts.expectKw('table');
  const name = parseQName(ts, 'a table name');
  return { kind: 'alterTable', name, action: parseAlterAction(ts), pos };
}

function parseAlterAction(ts: TokenStream): AlterTableAction {
  if (ts.isKw('partition')) {
    const partition = parsePartitionSpec(ts);
    ts.expectKw('set');
    ts.expectKw('location');
    return { kind: 'setLocation', location: ts.string('a location string').value, partition };
  }
  if (ts.acceptKw('add')) {
    if (ts.acceptKw('columns')) return { kind: 'addColumns', columns: parseColumnsChange(ts), replace: false };
    const ifNotExists = parseIfNotExists(ts);
    if (!ts.isKw('partition')) ts.fail(ifNotExists ? "'PARTITION'" : "'PARTITION' or 'COLUMNS'");
    const partitions: { spec: PartitionSpecEntry[]; location?: string }[] = [];
    while (ts.isKw('partition')) {
      const spec = parsePartitionSpec(ts);
      if (ts.acceptKw('location')) partitions.push({ spec, location: ts.string('a location string').value });
      else partitions.push({ spec });
    }
    return { kind: 'addPartitions', ifNotExists, partitions };
  }
  if (ts.acceptKw('replace')) {
    ts.expectKw('columns');
    return { kind: 'addColumns', columns: parseColumnsChange(ts), replace: true };
  }
  if (ts.acceptKw('drop')) {
    const ifExists = parseIfExists(ts);
    if (!ts.isKw('partition')) ts.fail("'PARTITION'");
    const partitions = ts.list(() => parsePartitionSpec(ts, true));
    ts.acceptKw('purge');
    return { kind: 'dropPartitions', ifExists, partitions };
  }
  if (ts.acceptKw('rename')) {
    ts.expectKw('to');
    return { kind: 'rename', to: parseQName(ts, 'a table name') };
  }
  if (ts.acceptKw('set')) {
    if (ts.acceptKw('tblproperties')) return { kind: 'setProperties', properties: parseProperties(ts) };
    if (ts.acceptKw('location')) return { kind: 'setLocation', location: ts.string('a location string').value };
    ts.fail("'TBLPROPERTIES' or 'LOCATION'");
  }
  if (ts.acceptKw('change')) {
    ts.acceptKw('column');
    const from = ts.ident('a column name').name;
    const column = parseColumnDef(ts);
    let placement: { first: true } | { after: string } | undefined;
    if (ts.acceptKw('first')) placement = { first: true };
    else if (ts.acceptKw('after')) placement = { after: ts.ident('a column name').name };
    acceptCascade(ts);
    return { kind: 'changeColumn', from, column, ...placement };
  }
  ts.fail("'ADD', 'DROP', 'RENAME', 'REPLACE', 'SET', 'CHANGE' or 'PARTITION'");
}

// `(col type, …) [CASCADE|RESTRICT]` after ADD/REPLACE COLUMNS; CASCADE only matters to
// Hive's per-partition metadata, which is not kept separately here.
function parseColumnsChange(ts: TokenStream): ColumnDef[] {
  const columns = parseColumnDefs(ts);
  acceptCascade(ts);
  return columns;
}

function acceptCascade(ts: TokenStream): void {
  if (!ts.acceptKw('cascade')) ts.acceptKw('restrict');
}

/** `TRUNCATE [TABLE] t [PARTITION (…)]` */
export function parseTruncate(ts: TokenStream): Body<TruncateStatement> {
  const pos = ts.expectKw('truncate').pos;
  ts.acceptKw('table');
  const name = parseQName(ts, 'a table name');
  const partition = ts.isKw('partition') ? parsePartitionSpec(ts) : undefined;
  return { kind: 'truncate', name, ...(partition && { partition }), pos };
}

/** `MSCK [REPAIR] TABLE t [ADD|DROP|SYNC PARTITIONS]` */
export function parseMsck(ts: TokenStream): Body<MsckStatement> {
  const pos = ts.expectKw('msck').pos;
  ts.acceptKw('repair');
  ts.expectKw('table');
  const name = parseQName(ts, 'a table name');
  const mode = ts.isAnyKw(['add', 'drop', 'sync']) ? (ts.next().value as 'add' | 'drop' | 'sync') : undefined;
  if (mode) ts.expectKw('partitions');
  return { kind: 'msck', name, ...(mode && { partitions: mode }), pos };
}

export function parseShow(ts: TokenStream): Body<ShowStatement> {
  const pos = ts.expectKw('show').pos;
  // `[LIKE] 'pattern'`
  const like = (): { like?: string } => {
    if (ts.acceptKw('like')) return { like: ts.string('a pattern string').value };
    return ts.peek().type === 'string' ? { like: ts.string().value } : {};
  };
  const inDatabase = (): { name?: QName } => {
    if (!ts.acceptKw('in') && !ts.acceptKw('from')) return {};
    const db = ts.ident('a database name');
    return { name: { name: db.name, pos: db.pos } };
  };
  if (ts.acceptKw('databases') || ts.acceptKw('schemas')) return { kind: 'show', what: 'databases', ...like(), pos };
  if (ts.acceptKw('tables')) return { kind: 'show', what: 'tables', ...inDatabase(), ...like(), pos };
  if (ts.acceptKw('views')) return { kind: 'show', what: 'views', ...inDatabase(), ...like(), pos };
  if (ts.acceptKw('functions')) return { kind: 'show', what: 'functions', ...like(), pos };
  if (ts.acceptKw('partitions')) {
    const name = parseQName(ts, 'a table name');
    const partition = ts.isKw('partition') ? parsePartitionSpec(ts) : undefined;
    return { kind: 'show', what: 'partitions', name, ...(partition && { partition }), pos };
  }
  if (ts.acceptKw('create')) {
    ts.expectKw('table');
    return { kind: 'show', what: 'createTable', name: parseQName(ts, 'a table name'), pos };
  }
  if (ts.acceptKw('columns')) {
    if (!ts.acceptKw('in') && !ts.acceptKw('from')) ts.fail("'IN' or 'FROM'");
    let name = parseQName(ts, 'a table name');
    const db = inDatabase().name;
    if (db) name = { db: db.name, name: name.name, pos: name.pos };
    return { kind: 'show', what: 'columns', name, pos };
  }
  if (ts.acceptKw('tblproperties')) return { kind: 'show', what: 'tblproperties', name: parseQName(ts, 'a table name'), pos };
  ts.fail("'DATABASES', 'TABLES', 'VIEWS', 'PARTITIONS', 'CREATE TABLE', 'FUNCTIONS', 'COLUMNS' or 'TBLPROPERTIES'");
}

export function parseDescribe(ts: TokenStream): Body<DescribeStatement> {
  const pos = ts.next().pos; // DESCRIBE or DESC
  if (ts.acceptKw('database') || ts.acceptKw('schema')) {
    const extended = !!ts.acceptKw('extended');
    const db = ts.ident('a database name');
    return { kind: 'describe', target: 'database', name: { name: db.name, pos: db.pos }, formatted: false, extended, pos };
  }
  if (ts.acceptKw('function')) {
    const extended = !!ts.acceptKw('extended');
    const fn = ts.ident('a function name', true);
    // `db.fn` names a permanent function
    const name: QName = ts.acceptOp('.') ? { db: fn.name, name: ts.ident('a function name', true).name, pos: fn.pos } : { name: fn.name, pos: fn.pos };
    return { kind: 'describe', target: 'function', name, formatted: false, extended, pos };
  }
  const formatted = !!ts.acceptKw('formatted');
  const extended = !formatted && !!ts.acceptKw('extended');
  const name = parseQName(ts, 'a table name');
  const partition = ts.isKw('partition') ? parsePartitionSpec(ts) : undefined;
  const column = ts.isIdent() ? ts.ident('a column name').name : undefined;
  return {
    kind: 'describe', target: 'table', name, formatted, extended,
    ...(partition && { partition }), ...(column !== undefined && { column }), pos,
  };
}

/** `ANALYZE TABLE t [PARTITION (…)] COMPUTE STATISTICS [FOR COLUMNS [a, …]] [NOSCAN]` */
export function parseAnalyze(ts: TokenStream): Body<AnalyzeStatement> {
  const pos = ts.expectKw('analyze').pos;
  ts.expectKw('table');
  const name = parseQName(ts, 'a table name');
  const partition = ts.isKw('partition') ? parsePartitionSpec(ts) : undefined;
  ts.expectKw('compute');
  ts.expectKw('statistics');
  const forColumns = !!ts.acceptKw('for', 'columns');
  const columns = forColumns && ts.isIdent() && !ts.isKw('noscan') ? ts.list(() => ts.ident('a column name').name) : undefined;
  const noScan = !!ts.acceptKw('noscan');
  return { kind: 'analyze', name, ...(partition && { partition }), forColumns, noScan, ...(columns && { columns }), pos };
}
