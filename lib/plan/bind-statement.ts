// Binds one statement against the catalog: DDL becomes a catalog action, INSERT and
// CTAS become a plan with a table sink, a query a plan with a result sink.
import { catalogError, sqlError, type SourcePos } from '../common/errors.js';
import { T, typeToString, isVoid, type HiveType } from '../common/types.js';
import { defaultTableLocation, type ColumnMeta, type StorageFormat, type TableMeta } from '../catalog/model.js';
import type * as A from '../sql/ast.js';
import { bindExpr, castTo } from './bind-expr.js';
import { bindAlterTable, bindAnalyze, bindMsck, bindTruncate, normaliseLocation } from './bind-ddl.js';
import { bindQuery, lookupTable, type BindContext, type Bound } from './bind-query.js';
import type { DdlAction, ResultColumn, Sink } from './job.js';
import type { ColumnInfo, NamedExpr, PlanNode } from './nodes.js';
import { withUserFunctions, type UserFunctions } from './user-functions.js';

export type BoundStatement =
  | { readonly kind: 'ddl'; readonly action: DdlAction; readonly localPath?: string }
  | { readonly kind: 'dataflow'; readonly plan: PlanNode; readonly sink: Sink };

export interface StatementContext extends BindContext {
  readonly settings: Readonly<Record<string, string>>;
  /** the user functions calls may use (temporary ones of the script, permanent ones of the catalog) */
  readonly functions?: UserFunctions;
}

const FORMATS: Record<string, StorageFormat> = { PARQUET: 'parquet', TEXTFILE: 'textfile' };

function storageFormat(s: A.CreateTableStatement, settings: Readonly<Record<string, string>>): StorageFormat {
  const name = (s.storedAs ?? settings['hive.default.fileformat'] ?? 'TEXTFILE').toUpperCase();
  const f = FORMATS[name];
  if (!f) throw sqlError(`STORED AS ${name} is not supported; Shoal reads and writes PARQUET and TEXTFILE`, s.storedAsPos ?? s.pos);
  return f;
}

function checkColumns(cols: readonly { name: string; pos: SourcePos }[], what: string): void {
  const seen = new Set<string>();
  for (const c of cols) {
    const n = c.name.toLowerCase();
    if (seen.has(n)) throw sqlError(`${what} names column '${c.name}' twice`, c.pos);
    seen.add(n);
  }
}

export function resultColumns(cols: readonly ColumnInfo[]): ResultColumn[] {
  // Hive's result schema: names unique within a row, qualified where two would clash.
  const counts = new Map<string, number>();
  for (const c of cols) counts.set(c.name, (counts.get(c.name) ?? 0) + 1);
  return cols.map((c) => ({ name: (counts.get(c.name)! > 1 && c.qualifier ? `${c.qualifier}.${c.name}` : c.name), type: isVoid(c.type) ? T.string : c.type }));
}

function tableMeta(s: A.CreateTableStatement, ctx: StatementContext, columns: readonly ColumnMeta[], partitionColumns: readonly ColumnMeta[]): TableMeta {
  const db = (s.name.db ?? ctx.currentDb).toLowerCase();
  const name = s.name.name.toLowerCase();
  if (!ctx.catalog.databases[db]) throw catalogError(`database '${db}' does not exist`, s.name.pos);
  const format = storageFormat(s, ctx.settings);
  return {
    db, name, type: s.external ? 'external' : 'managed',
    columns, partitionColumns, format,
    fieldDelimiter: format === 'textfile' ? s.rowFormat?.fieldDelimiter ?? '\u0001' : undefined,
    nullFormat: s.rowFormat?.nullFormat,
    collectionDelimiter: s.rowFormat?.collectionDelimiter,
    mapKeyDelimiter: s.rowFormat?.mapKeyDelimiter,
    location: s.location ? normaliseLocation(s.location) : defaultTableLocation(db, name),
    properties: s.properties, comment: s.comment,
    files: [], partitions: {}, createdAt: Date.now(), dataVersion: 0,
    bucketing: s.clusteredBy ? { columns: s.clusteredBy.columns.map((c) => c.toLowerCase()), buckets: s.clusteredBy.buckets } : undefined,
  };
}


export function bindStatement(s: A.Statement, ctx: StatementContext): BoundStatement {
  return withUserFunctions(ctx.functions, () => bindOne(s, ctx));
}

function bindOne(s: A.Statement, ctx: StatementContext): BoundStatement {
  switch (s.kind) {
    case 'query': {
      const b = bindQuery(s.query, ctx);
      return { kind: 'dataflow', plan: b.plan, sink: { kind: 'result', columns: resultColumns(b.columns) } };
    }
    case 'createDatabase':
      return { kind: 'ddl', action: { kind: 'createDatabase', name: s.name.toLowerCase(), ifNotExists: s.ifNotExists, location: s.location ? normaliseLocation(s.location) : `${s.name.toLowerCase()}.db`, comment: s.comment, properties: s.properties } };
    case 'dropDatabase':
      return { kind: 'ddl', action: { kind: 'dropDatabase', name: s.name.toLowerCase(), ifExists: s.ifExists, cascade: s.cascade } };
    case 'createTable': return bindCreateTable(s, ctx);
    case 'dropTable':
      return { kind: 'ddl', action: { kind: 'dropTable', db: (s.name.db ?? ctx.currentDb).toLowerCase(), name: s.name.name.toLowerCase(), ifExists: s.ifExists, view: false } };
    case 'dropView':
      return { kind: 'ddl', action: { kind: 'dropTable', db: (s.name.db ?? ctx.currentDb).toLowerCase(), name: s.name.name.toLowerCase(), ifExists: s.ifExists, view: true } };
    case 'createView': {
      const b = bindQuery(s.query, ctx);
      const names = s.columns ?? b.columns.map((c) => c.name);
      if (names.length !== b.columns.length) throw sqlError(`the view's column list names ${names.length} columns but its query has ${b.columns.length}`, s.pos);
      const db = (s.name.db ?? ctx.currentDb).toLowerCase();
      const name = s.name.name.toLowerCase();
      const body = s.text.slice(s.text.search(/\bas\b/i) + 2).trim();
      const view: TableMeta = {
        db, name, type: 'view', columns: b.columns.map((c, i) => ({ name: names[i]!.toLowerCase(), type: c.type })), partitionColumns: [],
        format: 'parquet', location: '', properties: {}, comment: s.comment, files: [], partitions: {}, createdAt: Date.now(), dataVersion: 0,
        viewText: s.columns ? `SELECT ${b.columns.map((c, i) => `\`${c.name}\` AS \`${names[i]}\``).join(', ')} FROM (${body}) _v` : body,
      };
      if (s.orReplace) return { kind: 'ddl', action: { kind: 'createTable', table: view, ifNotExists: false, orReplace: true } };
      return { kind: 'ddl', action: { kind: 'createTable', table: view, ifNotExists: s.ifNotExists } };
    }
    case 'loadData': {
      const t = lookupTable(ctx, s.table);
      if (t.type === 'view') throw sqlError(`cannot LOAD DATA into view '${t.db}.${t.name}'`, s.table.pos);
      const values = partitionValues(t, s.partition, s.pos, true);
      if (values && values.some((v) => v === undefined)) throw sqlError(`LOAD DATA needs a value for every partition column`, s.pos);
      return {
        kind: 'ddl', localPath: s.path,
        action: { kind: 'loadData', db: t.db, table: t.name, overwrite: s.overwrite, files: [], partitionValues: values as (string | null)[] | undefined },
      };
    }
    case 'insert': return bindInsert(s, ctx);
    case 'alterTable': return { kind: 'ddl', action: bindAlterTable(s, ctx) };
    case 'truncate': return { kind: 'ddl', action: bindTruncate(s, ctx) };
    case 'msck': return { kind: 'ddl', action: bindMsck(s, ctx) };
    case 'analyze': return { kind: 'ddl', action: bindAnalyze(s, ctx) };
    case 'createFunction': case 'dropFunction': case 'addResource':
      // the planner runs these itself (planner/function-statements.ts); only EXPLAIN gets here
      throw sqlError(`EXPLAIN shows the plans of queries and table statements; ${{ createFunction: 'CREATE FUNCTION', dropFunction: 'DROP FUNCTION', addResource: 'ADD JAR|FILE' }[s.kind]} takes effect while the script is planned and has no plan`, s.pos);
    default:
      throw sqlError(`${s.kind} statements are not supported yet`, s.pos);
  }
}

function bindCreateTable(s: A.CreateTableStatement, ctx: StatementContext): BoundStatement {
  if (s.like) {
    const src = lookupTable(ctx, s.like);
    const meta = tableMeta({ ...s, storedAs: s.storedAs ?? src.format.toUpperCase() }, ctx, src.columns, src.partitionColumns);
    return { kind: 'ddl', action: { kind: 'createTable', table: { ...meta, fieldDelimiter: src.fieldDelimiter ?? meta.fieldDelimiter }, ifNotExists: s.ifNotExists } };
  }
  if (!s.asSelect) {
    checkColumns([...s.columns, ...s.partitionedBy], 'the table definition');
    if (s.columns.length === 0) throw sqlError(`a table needs at least one column`, s.pos);
    const cols = s.columns.map((c) => ({ name: c.name.toLowerCase(), type: c.type, comment: c.comment }));
    const parts = s.partitionedBy.map((c) => ({ name: c.name.toLowerCase(), type: c.type, comment: c.comment }));
    return { kind: 'ddl', action: { kind: 'createTable', table: tableMeta(s, ctx, cols, parts), ifNotExists: s.ifNotExists } };
  }
  // CTAS: the schema comes from the query; partition columns (Hive 4) are the named select-list columns, moved last.
  if (s.external) throw sqlError(`CREATE EXTERNAL TABLE … AS SELECT is not allowed (as in Hive)`, s.pos);
  if (s.columns.length) throw sqlError(`CREATE TABLE … AS SELECT takes its columns from the query; remove the column list`, s.columns[0]!.pos);
  const b = bindQuery(s.asSelect, ctx);
  const partNames = (s.partitionedByNames ?? s.partitionedBy.map((c) => c.name)).map((n) => n.toLowerCase());
  for (const n of partNames) if (!b.columns.some((c) => c.name === n)) throw sqlError(`partition column '${n}' is not in the query's select list`, s.pos);
  const dataCols = b.columns.filter((c) => !partNames.includes(c.name));
  const partCols = partNames.map((n) => b.columns.find((c) => c.name === n)!);
  const ordered = [...dataCols, ...partCols];
  checkColumns(ordered.map((c) => ({ name: c.name, pos: s.pos })), 'the query of CREATE TABLE … AS SELECT');
  const declared = (t: HiveType) => (isVoid(t) ? T.string : t);
  const meta = tableMeta(s, ctx,
    dataCols.map((c) => ({ name: c.name, type: declared(c.type) })),
    partCols.map((c) => ({ name: c.name, type: T.string })));
  const db = ctx.catalog.databases[meta.db]!;
  const existing = db.tables[meta.name];
  if (existing && !s.ifNotExists) throw catalogError(`table '${meta.db}.${meta.name}' already exists`, s.name.pos);
  // Hive: CREATE TABLE IF NOT EXISTS … AS SELECT over an existing table does nothing.
  if (existing) return { kind: 'ddl', action: { kind: 'createTable', table: existing, ifNotExists: true } };
  const plan = projectTo(b, ordered, [...meta.columns.map((c) => c.type), ...partCols.map(() => T.string)], [...meta.columns.map((c) => c.name), ...partCols.map((c) => c.name)], ctx);
  return {
    kind: 'dataflow', plan,
    sink: {
      kind: 'table', db: meta.db, table: meta.name, overwrite: true, create: meta, ifNotExists: s.ifNotExists, staticPartition: {}, dynamicPartition: partCols.map((c) => c.name),
      partitionColumns: partCols.map((c) => c.name), format: meta.format, fieldDelimiter: meta.fieldDelimiter,
    },
  };
}

function projectTo(b: Bound, cols: readonly ColumnInfo[], types: readonly HiveType[], names: readonly string[], ctx: BindContext): PlanNode {
  const exprs: NamedExpr[] = cols.map((c, i) => ({ col: { id: ctx.newId(), name: names[i]!, type: types[i]! }, expr: castTo({ kind: 'ref', id: c.id, type: c.type }, types[i]!) }));
  return { kind: 'project', input: b.plan, exprs };
}

/** Static values by position (undefined for a dynamic column); undefined when the table is unpartitioned. */
function partitionValues(t: TableMeta, spec: readonly A.PartitionSpecEntry[] | undefined, pos: SourcePos, requireSpec: boolean): (string | null | undefined)[] | undefined {
  if (t.partitionColumns.length === 0) {
    if (spec?.length) throw sqlError(`table '${t.db}.${t.name}' is not partitioned, but a PARTITION clause was given`, spec[0]!.pos);
    return undefined;
  }
  if (!spec) {
    if (requireSpec) throw sqlError(`table '${t.db}.${t.name}' is partitioned by ${t.partitionColumns.map((c) => c.name).join(', ')}; give a PARTITION clause`, pos);
    return t.partitionColumns.map(() => undefined);
  }
  for (const e of spec) {
    if (!t.partitionColumns.some((c) => c.name === e.column.toLowerCase()))
      throw sqlError(`'${e.column}' is not a partition column of '${t.db}.${t.name}' (partition columns: ${t.partitionColumns.map((c) => c.name).join(', ')})`, e.pos);
  }
  return t.partitionColumns.map((c) => {
    const e = spec.find((x) => x.column.toLowerCase() === c.name);
    if (!e) throw sqlError(`the PARTITION clause must name every partition column of '${t.db}.${t.name}'; '${c.name}' is missing`, spec[0]!.pos);
    if (!e.value) return undefined;
    const v = bindExpr(e.value, { scope: { columns: [] }, clause: 'a PARTITION clause' });
    if (v.kind !== 'lit' && !(v.kind === 'cast' && v.expr.kind === 'lit')) throw sqlError(`a static partition value must be a constant`, e.value.pos);
    const raw = v.kind === 'lit' ? v.value : (v.expr as { value: unknown }).value;
    return raw === null ? null : String(raw);
  });
}

function bindInsert(s: A.InsertStatement, ctx: StatementContext): BoundStatement {
  const t = lookupTable(ctx, s.table);
  if (t.type === 'view') throw sqlError(`cannot insert into view '${t.db}.${t.name}'`, s.table.pos);
  const values = partitionValues(t, s.partition, s.pos, false);
  const dynamic = t.partitionColumns.filter((_, i) => values?.[i] === undefined);
  const staticPartition: Record<string, string | null> = {};
  t.partitionColumns.forEach((c, i) => { if (values?.[i] !== undefined) staticPartition[c.name] = values[i]!; });
  // Hive: static columns must come before dynamic ones.
  const firstDynamic = t.partitionColumns.findIndex((_, i) => values?.[i] === undefined);
  if (firstDynamic >= 0 && t.partitionColumns.some((_, i) => i > firstDynamic && values?.[i] !== undefined))
    throw sqlError(`a static partition column cannot follow a dynamic one in the PARTITION clause`, s.partition?.[0]?.pos ?? s.pos);
  const b = bindQuery(s.query, ctx);
  const targetCols = [...t.columns.map((c) => ({ name: c.name, type: c.type })), ...dynamic.map((c) => ({ name: c.name, type: T.string as HiveType }))];
  let source: readonly (ColumnInfo | undefined)[];
  if (s.columns) {
    const named = s.columns.map((c) => c.toLowerCase());
    for (const n of named) if (!targetCols.some((c) => c.name === n)) throw sqlError(`'${n}' is not a column of '${t.db}.${t.name}'`, s.pos);
    if (named.length !== b.columns.length) throw sqlError(`the column list names ${named.length} columns but the query gives ${b.columns.length}`, s.pos);
    source = targetCols.map((c) => { const i = named.indexOf(c.name); return i >= 0 ? b.columns[i] : undefined; });
  } else {
    if (b.columns.length !== targetCols.length)
      throw sqlError(`cannot insert into '${t.db}.${t.name}': the table expects ${targetCols.length} columns (${targetCols.map((c) => c.name).join(', ')}) but the query gives ${b.columns.length}`, s.query.pos);
    source = b.columns;
  }
  const exprs: NamedExpr[] = targetCols.map((c, i) => {
    const src = source[i];
    const expr = src ? castTo({ kind: 'ref', id: src.id, type: src.type }, c.type) : { kind: 'lit' as const, value: null, type: c.type };
    if (src && !assignable(src.type, c.type)) throw sqlError(`cannot insert a value of type ${typeToString(src.type)} into column '${c.name}' of type ${typeToString(c.type)}`, s.query.pos);
    return { col: { id: ctx.newId(), name: c.name, type: c.type }, expr };
  });
  return {
    kind: 'dataflow',
    plan: { kind: 'project', input: b.plan, exprs },
    sink: {
      kind: 'table', db: t.db, table: t.name, overwrite: s.overwrite, staticPartition, dynamicPartition: dynamic.map((c) => c.name),
      partitionColumns: t.partitionColumns.map((c) => c.name), format: t.format, fieldDelimiter: t.fieldDelimiter,
    },
  };
}

/** Hive converts on insert between primitives; complex types must match in shape. */
function assignable(from: HiveType, to: HiveType): boolean {
  if (from.kind === 'primitive' && to.kind === 'primitive') return true;
  return from.kind === to.kind || isVoid(from);
}
