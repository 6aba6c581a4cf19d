// Compares two tables partition by partition: which partitions each side has, row counts,
// and per column the statistics of stats-sql.ts. Both sides' statistics come from one
// Shoal job; only the small per-partition results are diffed here.
import type { CatalogState, TableMeta } from '../catalog/model.js';
import { DEFAULT_DB } from '../catalog/model.js';
import { ShoalError } from '../common/errors.js';
import { runScript } from '../local/runner.js';
import type { Value } from '../local/results.js';
import { Catalog } from '../catalog/catalog.js';
import { unescapePartitionValue } from '../catalog/partition-path.js';
import { openStore } from '../store/open-store.js';
import { sharedColumns, statsFor, statsQuery, type StatColumn, type StatName } from './stats-sql.js';

export interface CompareOptions {
  readonly warehouse: string;
  /** `ds=2024-01-01,hr=1`: restricts both sides to partitions matching it */
  readonly partition?: string;
  /** only these partitions (paths like `ds=2024-01-01`), e.g. those a shadow run wrote */
  readonly partitions?: readonly string[];
  readonly key?: readonly string[];
  /** relative tolerance for float and double columns */
  readonly tolerance?: number;
  /** differing rows shown per differing partition when a key is given */
  readonly sampleRows?: number;
  readonly workers?: number;
}

export interface Difference {
  readonly partition: string;
  /** '' for the partition itself (missing on one side, row count) */
  readonly column: string;
  readonly stat: StatName | 'row_count' | 'presence' | 'column';
  readonly a: Value;
  readonly b: Value;
}

export interface CompareReport {
  readonly tableA: string;
  readonly tableB: string;
  readonly match: boolean;
  readonly partitions: { readonly matching: string[]; readonly differing: string[]; readonly onlyInA: string[]; readonly onlyInB: string[] };
  readonly differences: Difference[];
  /** per differing partition, rows of a FULL OUTER JOIN on the key where some column differs */
  readonly sampleRows?: Record<string, { readonly columns: string[]; readonly rows: Value[][] }>;
}

export function resolveTable(state: CatalogState, name: string): TableMeta {
  const [db, table] = name.includes('.') ? name.split('.', 2) as [string, string] : [DEFAULT_DB, name];
  const t = state.databases[db.toLowerCase()]?.tables[table.toLowerCase()];
  if (!t) throw new ShoalError('catalog', `table not found: ${name}`);
  if (t.type === 'view') throw new ShoalError('catalog', `${name} is a view: compare tables`);
  return t;
}

const sqlString = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const quote = (n: string) => `\`${n.replace(/`/g, '``')}\``;

/** `ds=2024-01-01,hr=1` → a WHERE condition on partition columns of `t` */
export function partitionFilter(t: TableMeta, spec: string): string {
  const parts = spec.split(/[,/]/).map((p) => p.trim()).filter(Boolean);
  return parts.map((p) => {
    const eq = p.indexOf('=');
    if (eq < 0) throw new ShoalError('config', `--partition: expected col=value, got '${p}'`);
    const col = p.slice(0, eq).trim().toLowerCase();
    if (!t.partitionColumns.some((c) => c.name === col)) throw new ShoalError('config', `--partition: ${t.db}.${t.name} has no partition column ${col}`);
    const value = unescapePartitionValue(p.slice(eq + 1).trim());
    return value === '__HIVE_DEFAULT_PARTITION__' ? `${quote(col)} IS NULL` : `${quote(col)} = ${sqlString(value)}`;
  }).join(' AND ');
}

function partitionsFilter(t: TableMeta, paths: readonly string[]): string {
  if (paths.length === 0) return 'false';
  return `(${paths.map((p) => `(${partitionFilter(t, p)})`).join(' OR ')})`;
}

function where(t: TableMeta, o: CompareOptions): string | undefined {
  const conds = [o.partition ? partitionFilter(t, o.partition) : undefined, o.partitions && t.partitionColumns.length ? partitionsFilter(t, o.partitions) : undefined].filter(Boolean);
  return conds.length ? conds.join(' AND ') : undefined;
}

/** equal, with floats equal within `tol` relative to the larger magnitude */
export function sameValue(a: Value, b: Value, float: boolean, tol: number): boolean {
  if (a === null || b === null) return a === b;
  if (float) {
    const x = Number(a), y = Number(b);
    if (x === y) return true;
    return Math.abs(x - y) <= tol * Math.max(Math.abs(x), Math.abs(y));
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

export async function compareTables(nameA: string, nameB: string, o: CompareOptions): Promise<CompareReport> {
  const state = await new Catalog(openStore(o.warehouse)).load();
  const a = resolveTable(state, nameA), b = resolveTable(state, nameB);
  const pa = a.partitionColumns.map((c) => c.name).join(','), pb = b.partitionColumns.map((c) => c.name).join(',');
  if (pa !== pb) throw new ShoalError('config', `${nameA} is partitioned by (${pa}) but ${nameB} by (${pb})`);
  const tol = o.tolerance ?? 1e-9;
  const differences: Difference[] = [];
  const cols = sharedColumns(a, b);
  for (const c of a.columns) if (!cols.includes(c)) differences.push({ partition: '', column: c.name, stat: 'column', a: 'present', b: 'missing' });
  for (const c of b.columns) if (!a.columns.some((x) => x.name === c.name)) differences.push({ partition: '', column: c.name, stat: 'column', a: 'missing', b: 'present' });
  const stats: StatColumn[] = cols.flatMap((c) => statsFor(c.name, c.type));
  const script = `${statsQuery(a, stats, where(a, o))};\n${statsQuery(b, stats, where(b, o))};\n`;
  const r = await runScript(script, { warehouse: o.warehouse, workers: o.workers });
  const byPart = (rows: readonly (readonly Value[])[]) => new Map(rows.filter((row) => Number(row[1]) > 0 || a.partitionColumns.length === 0).map((row) => [String(row[0]), row]));
  const ra = byPart(r.results[0]!.rows), rb = byPart(r.results[1]!.rows);
  const report: CompareReport = { tableA: `${a.db}.${a.name}`, tableB: `${b.db}.${b.name}`, match: false, partitions: { matching: [], differing: [], onlyInA: [], onlyInB: [] }, differences };
  const all = [...new Set([...ra.keys(), ...rb.keys()])].sort();
  for (const p of all) {
    const x = ra.get(p), y = rb.get(p);
    if (!x || !y) {
      (x ? report.partitions.onlyInA : report.partitions.onlyInB).push(p);
      differences.push({ partition: p, column: '', stat: 'presence', a: x ? 'present' : 'missing', b: y ? 'present' : 'missing' });
      continue;
    }
    const before = differences.length;
    if (!sameValue(x[1]!, y[1]!, false, 0)) differences.push({ partition: p, column: '', stat: 'row_count', a: x[1]!, b: y[1]! });
    stats.forEach((s, i) => {
      const u = x[i + 2]!, v = y[i + 2]!;
      if (!sameValue(u, v, s.float && s.stat !== 'nulls', tol)) differences.push({ partition: p, column: s.column, stat: s.stat, a: u, b: v });
    });
    (differences.length > before ? report.partitions.differing : report.partitions.matching).push(p);
  }
  const done = { ...report, match: differences.length === 0 };
  if (o.key?.length && report.partitions.differing.length) return { ...done, sampleRows: await sampleRows(a, b, cols.map((c) => c.name), o, report.partitions.differing) };
  return done;
}

/** The first differing rows per differing partition: a FULL OUTER JOIN on key and partition. */
async function sampleRows(a: TableMeta, b: TableMeta, cols: readonly string[], o: CompareOptions, parts: readonly string[]): Promise<CompareReport['sampleRows']> {
  const keys = o.key!.map((k) => k.toLowerCase());
  for (const k of keys) if (!cols.includes(k)) throw new ShoalError('config', `--key: no column ${k} in both tables`);
  const pcols = a.partitionColumns.map((c) => c.name);
  const on = [...keys, ...pcols].map((k) => `x.${quote(k)} = y.${quote(k)}`).join(' AND ');
  const differs = cols.filter((c) => !keys.includes(c)).map((c) => `NOT (x.${quote(c)} <=> y.${quote(c)})`);
  const missing = `x.${quote(keys[0]!)} IS NULL OR y.${quote(keys[0]!)} IS NULL`;
  const select = [...pcols.map((c) => `coalesce(x.${quote(c)}, y.${quote(c)}) AS ${quote(c)}`), ...cols.flatMap((c) => [`x.${quote(c)} AS ${quote(`a_${c}`)}`, `y.${quote(c)} AS ${quote(`b_${c}`)}`])];
  const n = o.sampleRows ?? 10;
  const out: Record<string, { columns: string[]; rows: Value[][] }> = {};
  const script = parts.map((p) => {
    const side = (alias: string, t: TableMeta) => `(SELECT * FROM ${quote(t.db)}.${quote(t.name)}${pcols.length ? ` WHERE ${partitionFilter(t, p)}` : ''}) ${alias}`;
    return `SELECT ${select.join(', ')} FROM ${side('x', a)} FULL OUTER JOIN ${side('y', b)} ON ${on} WHERE ${[missing, ...differs].join(' OR ')} ORDER BY ${keys.map((k) => `coalesce(x.${quote(k)}, y.${quote(k)})`).join(', ')} LIMIT ${n};`;
  }).join('\n');
  const r = await runScript(script, { warehouse: o.warehouse, workers: o.workers });
  parts.forEach((p, i) => { const res = r.results[i]!; out[p] = { columns: res.columns.map((c) => c.name), rows: res.rows.map((row) => [...row]) }; });
  return out;
}

/** The report as text: a line per partition, then a table of the differences. */
/** rows of cells as lines with every column padded to its widest cell */
export function alignColumns(rows: readonly (readonly string[])[]): string[] {
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((c, i) => c.padEnd(w[i]!)).join('  ').trimEnd());
}

export function formatReport(r: CompareReport): string {
  const lines = [`compare ${r.tableA} with ${r.tableB}: ${r.match ? 'MATCH' : 'DIFFERENT'}`,
    `partitions: ${r.partitions.matching.length} matching, ${r.partitions.differing.length} differing, ${r.partitions.onlyInA.length} only in ${r.tableA}, ${r.partitions.onlyInB.length} only in ${r.tableB}`];
  if (r.differences.length) {
    const rows = [['partition', 'column', 'statistic', r.tableA, r.tableB], ...r.differences.map((d) => [d.partition || '(table)', d.column, d.stat, JSON.stringify(d.a), JSON.stringify(d.b)])];
    lines.push(...alignColumns(rows));
  }
  for (const [p, s] of Object.entries(r.sampleRows ?? {})) {
    lines.push(`differing rows in ${p || '(table)'}:`, s.columns.join('\t'), ...s.rows.map((row) => row.map((v) => (v === null ? 'NULL' : String(v))).join('\t')));
  }
  return `${lines.join('\n')}\n`;
}
