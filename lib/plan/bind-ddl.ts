// Binds the table-maintenance statements (ALTER TABLE, TRUNCATE, MSCK, ANALYZE) into
// catalog actions. Files the actions need (partitions found on storage, statistics) are
// filled in later by the planner and the commit step; binding only checks names.
import { sqlError, type SourcePos } from '../common/errors.js';
import type { TableMeta } from '../catalog/model.js';
import type * as A from '../sql/ast.js';
import { bindExpr } from './bind-expr.js';
import { lookupTable, type BindContext } from './bind-query.js';
import type { DdlAction, PartitionFilter } from './job.js';

/** A PARTITION clause's constant value as Hive keeps it: text, or null for NULL. */
function constantValue(e: A.Expr): string | null {
  const v = bindExpr(e, { scope: { columns: [] }, clause: 'a PARTITION clause' });
  const lit = v.kind === 'cast' ? v.expr : v;
  if (lit.kind !== 'lit') throw sqlError(`a partition value must be a constant`, e.pos);
  return lit.value === null ? null : String(lit.value);
}

/** `PARTITION (ds='x', hr>'10')` as a filter over the table's partition columns. */
export function partitionFilter(t: TableMeta, spec: readonly A.PartitionSpecEntry[]): PartitionFilter {
  if (t.partitionColumns.length === 0) throw sqlError(`table '${t.db}.${t.name}' is not partitioned, but a PARTITION clause was given`, spec[0]!.pos);
  return spec.map((e) => {
    const column = e.column.toLowerCase();
    if (!t.partitionColumns.some((c) => c.name === column))
      throw sqlError(`'${e.column}' is not a partition column of '${t.db}.${t.name}' (partition columns: ${t.partitionColumns.map((c) => c.name).join(', ')})`, e.pos);
    if (!e.value) throw sqlError(`the PARTITION clause needs a value for '${e.column}' here`, e.pos);
    return { column, op: e.op === '!=' ? '<>' : e.op ?? '=', value: constantValue(e.value) };
  });
}

/** Values for every partition column, in the table's order (ADD PARTITION names one partition exactly). */
export function fullPartition(t: TableMeta, spec: readonly A.PartitionSpecEntry[], pos: SourcePos): (string | null)[] {
  const f = partitionFilter(t, spec);
  if (f.some((x) => x.op !== '=')) throw sqlError(`ADD PARTITION needs '=' values`, pos);
  return t.partitionColumns.map((c) => {
    const e = f.find((x) => x.column === c.name);
    if (!e) throw sqlError(`the PARTITION clause must name every partition column of '${t.db}.${t.name}'; '${c.name}' is missing`, spec[0]?.pos ?? pos);
    return e.value;
  });
}

function dataTable(ctx: BindContext, name: A.QName, what: string): TableMeta {
  const t = lookupTable(ctx, name);
  if (t.type === 'view') throw sqlError(`${what} needs a table, but '${t.db}.${t.name}' is a view`, name.pos);
  return t;
}

export function bindAlterTable(s: A.AlterTableStatement, ctx: BindContext): DdlAction {
  const a = s.action;
  const t = a.kind === 'rename' || a.kind === 'setProperties' ? lookupTable(ctx, s.name) : dataTable(ctx, s.name, 'ALTER TABLE');
  const target = { db: t.db, table: t.name };
  switch (a.kind) {
    case 'addPartitions':
      return {
        kind: 'addPartitions', ...target, ifNotExists: a.ifNotExists,
        partitions: a.partitions.map((p) => ({ values: fullPartition(t, p.spec, s.pos), ...(p.location && { location: normaliseLocation(p.location) }), files: [] })),
      };
    case 'dropPartitions':
      return { kind: 'dropPartitions', ...target, ifExists: a.ifExists, filters: a.partitions.map((p) => partitionFilter(t, p)) };
    case 'rename': {
      const toDb = (a.to.db ?? t.db).toLowerCase();
      if (!ctx.catalog.databases[toDb]) throw sqlError(`database '${toDb}' does not exist`, a.to.pos);
      return { kind: 'renameTable', ...target, toDb, toName: a.to.name.toLowerCase() };
    }
    case 'addColumns': {
      const columns = a.columns.map((c) => ({ name: c.name.toLowerCase(), type: c.type, comment: c.comment }));
      const seen = new Set(a.replace ? [] : t.columns.map((c) => c.name));
      for (const [i, c] of columns.entries()) {
        if (seen.has(c.name) || t.partitionColumns.some((p) => p.name === c.name)) throw sqlError(`column '${c.name}' already exists in '${t.db}.${t.name}'`, a.columns[i]!.pos);
        seen.add(c.name);
      }
      return { kind: 'addColumns', ...target, columns, replace: a.replace };
    }
    case 'setProperties': return { kind: 'setProperties', ...target, properties: a.properties };
    default:
      throw sqlError(`ALTER TABLE … ${a.kind === 'setLocation' ? 'SET LOCATION' : 'CHANGE COLUMN'} is not supported yet`, s.pos);
  }
}

export function bindTruncate(s: A.TruncateStatement, ctx: BindContext): DdlAction {
  const t = dataTable(ctx, s.name, 'TRUNCATE');
  if (t.type !== 'managed') throw sqlError(`cannot truncate '${t.db}.${t.name}': it is an external table (as in Hive, only managed tables can be truncated)`, s.name.pos);
  return { kind: 'truncate', db: t.db, table: t.name, ...(s.partition && { filter: partitionFilter(t, s.partition) }) };
}

export function bindMsck(s: A.MsckStatement, ctx: BindContext): DdlAction {
  const t = dataTable(ctx, s.name, 'MSCK REPAIR TABLE');
  return { kind: 'repair', db: t.db, table: t.name, mode: s.partitions ?? 'add', found: [] };
}

export function bindAnalyze(s: A.AnalyzeStatement, ctx: BindContext): DdlAction {
  const t = dataTable(ctx, s.name, 'ANALYZE TABLE');
  // Column statistics are not kept; FOR COLUMNS still refreshes the table's row and byte counts.
  // `PARTITION (ds='x', hr)`: a column without a value means every value, as in Hive
  const spec = s.partition && partitionFilter(t, s.partition.map((e) => (e.value ? e : { ...e, value: { kind: 'literal', type: 'null', value: null, pos: e.pos } satisfies A.LiteralExpr })));
  const filter = spec?.filter((f, i) => s.partition![i]!.value);
  return { kind: 'analyze', db: t.db, table: t.name, noScan: s.noScan, ...(filter?.length && { filter }) };
}

/** LOCATION is relative to the warehouse root; a `file:`/`s3:` URI naming the root is accepted and made relative. */
export function normaliseLocation(loc: string): string {
  return loc.replace(/^[a-z0-9]+:\/\/[^/]*\/?/i, '').replace(/^\/+|\/+$/g, '');
}
