// SHOW and DESCRIBE: rows read off the catalog as the statement sees it (the catalog at
// the job's start plus the script's earlier catalog statements), in the columns and
// layout Hive's Beeline prints (`col_name | data_type | comment`, `# Partition
// Information` sections, NULL where Hive prints NULL).
import { catalogError, sqlError } from '../common/errors.js';
import { T, typeToString } from '../common/types.js';
import { matches } from '../catalog/ddl.js';
import type { CatalogState, ColumnMeta, TableMeta } from '../catalog/model.js';
import type * as A from '../sql/ast.js';
import { partitionFilter } from './bind-ddl.js';
import { lookupTable, type BindContext } from './bind-query.js';
import { AGGREGATES, SCALARS } from './functions.js';
import { GENERATORS } from './bind-generate.js';
import { userFunctions } from './user-functions.js';
import type { UdfDef } from '../udf/model.js';
import type { ResultColumn } from './job.js';

export interface ShowResult { readonly columns: readonly ResultColumn[]; readonly rows: readonly (readonly (string | null)[])[] }

const cols = (...names: string[]): ResultColumn[] => names.map((name) => ({ name, type: T.string }));

/** Hive's SHOW … LIKE pattern: `*` (or SQL's `%`) for any text, `|` between alternatives, case-insensitive. */
export function likePattern(pattern: string): RegExp {
  const alt = pattern.split('|').map((p) => p.trim().replace(/[.+?^${}()[\]\\]/g, '\\$&').replace(/[*%]/g, '.*'));
  return new RegExp(`^(?:${alt.join('|')})$`, 'i');
}
const filtered = (names: string[], like?: string) => (like === undefined ? names : names.filter((n) => likePattern(like).test(n))).sort();

type CatalogView = Pick<BindContext, 'catalog' | 'currentDb'> & {
  /** the script's temporary functions at the statement, which no catalog holds */
  readonly temporaryFunctions?: readonly UdfDef[];
};

const functionsIn = (ctx: CatalogView) => userFunctions(ctx.catalog, ctx.currentDb, new Map((ctx.temporaryFunctions ?? []).map((d) => [d.name, d])));

export function showRows(s: A.ShowStatement | A.DescribeStatement, ctx: CatalogView, root: string): ShowResult {
  return s.kind === 'show' ? show(s, ctx, root) : describe(s, ctx, root);
}

function show(s: A.ShowStatement, ctx: CatalogView, root: string): ShowResult {
  const cat = ctx.catalog;
  switch (s.what) {
    case 'databases': return { columns: cols('database_name'), rows: filtered(Object.keys(cat.databases), s.like).map((n) => [n]) };
    case 'tables': case 'views': {
      const db = database(cat, s.name?.name ?? ctx.currentDb, s);
      const names = Object.values(db.tables).filter((t) => s.what === 'tables' || t.type === 'view').map((t) => t.name);
      return { columns: cols('tab_name'), rows: filtered(names, s.like).map((n) => [n]) };
    }
    case 'functions': {
      // Hive lists permanent functions qualified by their database, temporary ones by name.
      const user = Object.values(cat.databases).flatMap((db) => Object.keys(db.functions ?? {}).map((n) => `${db.name}.${n}`));
      const names = [...Object.keys(SCALARS), ...Object.keys(AGGREGATES), ...GENERATORS, ...user, ...(ctx.temporaryFunctions ?? []).map((d) => d.name)];
      return { columns: cols('tab_name'), rows: filtered([...new Set(names)], s.like).map((n) => [n]) };
    }
    case 'partitions': {
      const t = lookupTable(ctx, s.name!);
      if (t.partitionColumns.length === 0) throw sqlError(`table '${t.db}.${t.name}' is not a partitioned table`, s.name!.pos);
      const filter = s.partition ? partitionFilter(t, s.partition) : undefined;
      const paths = Object.entries(t.partitions).filter(([, p]) => !filter || matches(t, p.values, filter)).map(([path]) => path);
      return { columns: cols('partition'), rows: paths.sort().map((p) => [p]) };
    }
    case 'columns': {
      const t = lookupTable(ctx, s.name!);
      return { columns: cols('field'), rows: [...t.columns, ...t.partitionColumns].map((c) => [c.name]) };
    }
    case 'tblproperties': {
      const t = lookupTable(ctx, s.name!);
      return { columns: cols('prpt_name', 'prpt_value'), rows: Object.entries(tableParameters(t)).sort(([a], [b]) => a.localeCompare(b)) };
    }
    case 'createTable': {
      const t = lookupTable(ctx, s.name!);
      return { columns: cols('createtab_stmt'), rows: createStatement(t, root).map((l) => [l]) };
    }
  }
}

function database(cat: CatalogState, name: string, s: { pos: A.Pos }) {
  const db = cat.databases[name.toLowerCase()];
  if (!db) throw catalogError(`database '${name}' does not exist`, s.pos);
  return db;
}

const uri = (root: string, location: string) => (location ? `${root.replace(/\/+$/, '')}/${location}` : root);
const columnRow = (c: ColumnMeta): (string | null)[] => [c.name, typeToString(c.type), c.comment ?? ''];

/** Hive's table parameters: the user's TBLPROPERTIES plus the statistics it keeps. */
function tableParameters(t: TableMeta): Record<string, string> {
  const p: Record<string, string> = { ...t.properties };
  if (t.stats) Object.assign(p, { numFiles: String(t.stats.files), numRows: String(t.stats.rows), totalSize: String(t.stats.bytes) });
  if (t.partitionColumns.length) p.numPartitions = String(Object.keys(t.partitions).length);
  if (t.type === 'external') p.EXTERNAL = 'TRUE';
  p.transient_lastDdlTime = String(Math.floor(t.createdAt / 1000));
  return p;
}

function describe(s: A.DescribeStatement, ctx: CatalogView, root: string): ShowResult {
  if (s.target === 'database') {
    const db = database(ctx.catalog, s.name.name, s);
    const params = Object.entries(db.properties).map(([k, v]) => `${k}=${v}`).join(', ');
    return {
      columns: cols('db_name', 'comment', 'location', 'owner_name', 'owner_type', 'parameters'),
      rows: [[db.name, db.comment ?? '', uri(root, db.location), 'shoal', 'USER', s.extended && params ? `{${params}}` : '']],
    };
  }
  if (s.target === 'function') return describeFunction(s, ctx);
  const t = lookupTable(ctx, s.name);
  const columns = cols('col_name', 'data_type', 'comment');
  if (s.column !== undefined) {
    const c = [...t.columns, ...t.partitionColumns].find((x) => x.name === s.column!.toLowerCase());
    if (!c) throw sqlError(`column '${s.column}' does not exist in '${t.db}.${t.name}'`, s.pos);
    return { columns, rows: [columnRow(c)] };
  }
  const partition = s.partition ? partitionOf(t, s.partition) : undefined;
  const rows: (string | null)[][] = [];
  if (s.formatted) rows.push(['# col_name', 'data_type', 'comment']);
  rows.push(...t.columns.map(columnRow));
  if (!s.formatted) rows.push(...t.partitionColumns.map(columnRow));
  if (t.partitionColumns.length) rows.push(['', null, null], ['# Partition Information', null, null], ['# col_name', 'data_type', 'comment'], ...t.partitionColumns.map(columnRow));
  if (s.extended) {
    const detail = partition
      ? `Partition(values:[${partition.values.join(', ')}], dbName:${t.db}, tableName:${t.name}, location:${uri(root, partition.location)}, numFiles:${partition.stats.files}, numRows:${partition.stats.rows}, totalSize:${partition.stats.bytes})`
      : `Table(tableName:${t.name}, dbName:${t.db}, owner:shoal, createTime:${Math.floor(t.createdAt / 1000)}, location:${uri(root, t.location)}, tableType:${tableType(t)}, parameters:{${Object.entries(tableParameters(t)).map(([k, v]) => `${k}=${v}`).join(', ')}})`;
    rows.push(['', null, null], [partition ? 'Detailed Partition Information' : 'Detailed Table Information', detail, '']);
  }
  if (s.formatted) rows.push(...formattedDetails(t, root, partition));
  return { columns, rows };
}

function describeFunction(s: A.DescribeStatement, ctx: CatalogView): ShowResult {
  const name = (s.name.db ? `${s.name.db}.${s.name.name}` : s.name.name).toLowerCase();
  const builtin = Object.hasOwn(SCALARS, name) ? 'function' : Object.hasOwn(AGGREGATES, name) ? 'aggregate function'
    : (GENERATORS as readonly string[]).includes(name) ? 'table-generating function' : undefined;
  if (builtin) return { columns: cols('tab_name'), rows: [[`${name} is a built-in ${builtin}`]] };
  const d = functionsIn(ctx).resolve(name);
  if (!d) return { columns: cols('tab_name'), rows: [[`Function '${name}' does not exist.`]] };
  const returns = d.kind === 'table' && d.returns.kind === 'struct'
    ? `TABLE (${d.returns.fields.map((f) => `${f.name} ${typeToString(f.type)}`).join(', ')})`
    : typeToString(d.returns);
  const rows = [`${d.name}(${d.args.map(typeToString).join(', ')}) RETURNS ${returns}: a user ${d.kind === 'scalar' ? '' : `${d.kind} `}function`];
  if (s.extended) {
    rows.push(`Function export:${d.export}`, `Function type:${d.temporary ? 'TEMPORARY' : 'PERSISTENT'}`, `Function kind:${d.kind}`,
      `Resource:${d.location}`, `Resource sha256:${d.hash}`, `Null on null input:${d.nullOnNullInput}`);
  }
  return { columns: cols('tab_name'), rows: rows.map((r) => [r]) };
}

function partitionOf(t: TableMeta, spec: readonly A.PartitionSpecEntry[]) {
  const filter = partitionFilter(t, spec);
  const hit = Object.values(t.partitions).find((p) => matches(t, p.values, filter));
  if (!hit) throw catalogError(`partition ${spec.map((e) => e.column).join(', ')} of '${t.db}.${t.name}' does not exist`, spec[0]?.pos);
  return hit;
}

const tableType = (t: TableMeta) => (t.type === 'managed' ? 'MANAGED_TABLE' : t.type === 'external' ? 'EXTERNAL_TABLE' : 'VIRTUAL_VIEW');

const STORAGE = {
  parquet: ['org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe', 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat', 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'],
  textfile: ['org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe', 'org.apache.hadoop.mapred.TextInputFormat', 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'],
} as const;

function formattedDetails(t: TableMeta, root: string, partition?: TableMeta['partitions'][string]): (string | null)[][] {
  const rows: (string | null)[][] = [['', null, null]];
  if (partition) {
    rows.push(['# Detailed Partition Information', null, null], ['Partition Value:', `[${partition.values.join(', ')}]`, null],
      ['Database:', t.db, null], ['Table:', t.name, null], ['Location:', uri(root, partition.location), null],
      ['Partition Parameters:', null, null], ['', 'numFiles', String(partition.stats.files)], ['', 'numRows', String(partition.stats.rows)], ['', 'totalSize', String(partition.stats.bytes)]);
  } else {
    rows.push(['# Detailed Table Information', null, null], ['Database:', t.db, null], ['OwnerType:', 'USER', null], ['Owner:', 'shoal', null],
      ['CreateTime:', new Date(t.createdAt).toUTCString(), null], ['LastAccessTime:', 'UNKNOWN', null], ['Retention:', '0', null],
      ['Location:', t.type === 'view' ? null : uri(root, t.location), null], ['Table Type:', tableType(t), null], ['Table Parameters:', null, null],
      ...Object.entries(tableParameters(t)).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => ['', k, v]));
  }
  if (t.type === 'view') {
    rows.push(['', null, null], ['# View Information', null, null], ['Original Query:', t.viewText ?? '', null], ['Expanded Query:', t.viewText ?? '', null]);
    return rows;
  }
  const [serde, input, output] = STORAGE[t.format];
  rows.push(['', null, null], ['# Storage Information', null, null], ['SerDe Library:', serde, null], ['InputFormat:', input, null], ['OutputFormat:', output, null],
    ['Compressed:', 'No', null], ['Num Buckets:', String(t.bucketing?.buckets ?? -1), null], ['Bucket Columns:', `[${(t.bucketing?.columns ?? []).join(', ')}]`, null], ['Sort Columns:', '[]', null]);
  if (t.format === 'textfile') rows.push(['Storage Desc Params:', null, null], ['', 'field.delim', t.fieldDelimiter ?? '\u0001'], ['', 'serialization.format', t.fieldDelimiter ?? '\u0001']);
  return rows;
}

const quoteSql = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const delimiter = (d: string) => (d.length === 1 && d.charCodeAt(0) < 32 ? `'\\${d.charCodeAt(0).toString(8).padStart(3, '0')}'` : quoteSql(d));

/** SHOW CREATE TABLE: the statement that recreates the table, one line per row as Hive prints it. */
function createStatement(t: TableMeta, root: string): string[] {
  const name = `\`${t.db}\`.\`${t.name}\``;
  if (t.type === 'view') return [`CREATE VIEW ${name} AS ${t.viewText ?? ''}`];
  const colLines = (cs: readonly ColumnMeta[]) => cs.map((c, i) => `  \`${c.name}\` ${typeToString(c.type)}${c.comment ? ` COMMENT ${quoteSql(c.comment)}` : ''}${i < cs.length - 1 ? ',' : ')'}`);
  const lines = [`CREATE ${t.type === 'external' ? 'EXTERNAL ' : ''}TABLE ${name}(`, ...colLines(t.columns)];
  if (t.comment) lines.push(`COMMENT ${quoteSql(t.comment)}`);
  if (t.partitionColumns.length) lines.push('PARTITIONED BY (', ...colLines(t.partitionColumns));
  if (t.bucketing) lines.push(`CLUSTERED BY (${t.bucketing.columns.map((c) => `\`${c}\``).join(', ')}) INTO ${t.bucketing.buckets} BUCKETS`);
  if (t.format === 'textfile') lines.push('ROW FORMAT DELIMITED', `  FIELDS TERMINATED BY ${delimiter(t.fieldDelimiter ?? '\u0001')}`, 'STORED AS TEXTFILE');
  else lines.push('STORED AS PARQUET');
  lines.push('LOCATION', `  ${quoteSql(uri(root, t.location))}`);
  const props = Object.entries(t.properties);
  if (props.length) lines.push('TBLPROPERTIES (', ...props.map(([k, v], i) => `  ${quoteSql(k)}=${quoteSql(v)}${i < props.length - 1 ? ',' : ')'}`));
  return lines;
}
