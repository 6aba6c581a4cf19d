// The per-partition statistics of a table as one Hive query, so they are computed by a
// normal Shoal job (distributed aggregation), not by one process reading the rows.
import type { TableMeta } from '../catalog/model.js';
import { isNumeric, type HiveType } from '../common/types.js';

export type StatName = 'nulls' | 'sum' | 'min' | 'max' | 'distinct' | 'hash';

export interface StatColumn { readonly column: string; readonly stat: StatName; readonly float: boolean }

const quote = (n: string) => `\`${n.replace(/`/g, '``')}\``;
const isFloat = (t: HiveType) => t.kind === 'primitive' && (t.name === 'float' || t.name === 'double');

/** the statistics kept for a column; complex types get only their null count */
export function statsFor(name: string, type: HiveType): StatColumn[] {
  const float = isFloat(type);
  if (type.kind !== 'primitive') return [{ column: name, stat: 'nulls', float }];
  const out: StatColumn[] = [{ column: name, stat: 'nulls', float }];
  if (isNumeric(type)) out.push({ column: name, stat: 'sum', float });
  if (type.name !== 'binary') out.push({ column: name, stat: 'min', float }, { column: name, stat: 'max', float });
  // Floats differ in their last bits between engines: a distinct count would report
  // those as differences, so they are compared by the tolerant statistics only.
  if (!float && type.name !== 'binary') out.push({ column: name, stat: 'distinct', float }, { column: name, stat: 'hash', float });
  return out;
}

function render(s: StatColumn): string {
  const c = quote(s.column);
  switch (s.stat) {
    case 'nulls': return `count(*) - count(${c})`;
    case 'sum': return `sum(${c})`;
    case 'min': return `min(${c})`;
    case 'max': return `max(${c})`;
    case 'distinct': return `count(DISTINCT ${c})`;
    // Hive's hash() summed: independent of row order, but sensitive to how often each value occurs
    case 'hash': return `sum(cast(hash(${c}) AS BIGINT))`;
  }
}

/** `ds=2024-01-01/hr=1`, or '' for an unpartitioned table */
export function partitionKeyExpr(t: TableMeta): string {
  if (t.partitionColumns.length === 0) return `''`;
  const parts = t.partitionColumns.map((p) => `'${p.name}=', coalesce(cast(${quote(p.name)} AS STRING), '__HIVE_DEFAULT_PARTITION__')`);
  return `concat(${parts.join(`, '/', `)})`;
}

/** columns compared: those of `a` that `b` also has (by name), data columns only */
export function sharedColumns(a: TableMeta, b: TableMeta): TableMeta['columns'] {
  const names = new Set(b.columns.map((c) => c.name));
  return a.columns.filter((c) => names.has(c.name));
}

/** One row per partition: partition key, row count, then each statistic in `stats` order. */
export function statsQuery(t: TableMeta, stats: readonly StatColumn[], where: string | undefined): string {
  const part = partitionKeyExpr(t);
  const cols = [`${part} AS part`, 'count(*) AS row_count', ...stats.map((s, i) => `${render(s)} AS s${i}`)];
  const group = t.partitionColumns.length ? ` GROUP BY ${part}` : '';
  return `SELECT ${cols.join(', ')} FROM ${quote(t.db)}.${quote(t.name)}${where ? ` WHERE ${where}` : ''}${group}`;
}
