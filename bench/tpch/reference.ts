// Reference answers: the same query text run by DuckDB over the generated Parquet files,
// and a row comparison with TPC-H-style numeric tolerance, for checking Shoal's results.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { MANIFEST_FILE, TPCH_DB, type TpchManifest } from './manifest.js';
import { sqlString } from './writer.js';

export type Value = string | number | bigint | boolean | Date | null | undefined;
export type Row = readonly Value[];

export interface QueryRows {
  readonly columns: readonly string[];
  readonly rows: Value[][];
}

interface TableSource {
  readonly name: string;
  readonly partitionColumns: readonly string[];
}

/** Tables from the manifest, or from the directory layout when there is none. */
async function tableSources(dbDir: string): Promise<TableSource[]> {
  try {
    const m = JSON.parse(await readFile(join(dbDir, MANIFEST_FILE), 'utf8')) as TpchManifest;
    return m.tables.map((t) => ({ name: t.name, partitionColumns: t.partitionColumns.map((c) => c.name) }));
  } catch {
    const out: TableSource[] = [];
    for (const e of await readdir(dbDir, { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      const partitionColumns: string[] = [];
      for (let dir = join(dbDir, e.name); ;) {
        const sub = (await readdir(dir, { withFileTypes: true })).find((d) => d.isDirectory() && d.name.includes('='));
        if (!sub) break;
        partitionColumns.push(sub.name.slice(0, sub.name.indexOf('=')));
        dir = join(dir, sub.name);
      }
      out.push({ name: e.name, partitionColumns });
    }
    return out;
  }
}

function normalize(v: unknown): Value {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v;
  // DuckDB hands DATE back as UTC midnight; Hive prints dates as 'YYYY-MM-DD'.
  if (v instanceof Date) {
    const iso = v.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if (v === null || v === undefined || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return String(v);
}

/** A DuckDB session with one view per warehouse table, for running many queries. */
export class DuckDBReference {
  private constructor(
    private readonly db: DuckDBInstance,
    private readonly con: DuckDBConnection,
  ) {}

  static async open(warehouseDir: string): Promise<DuckDBReference> {
    const dbDir = join(warehouseDir, `${TPCH_DB}.db`);
    const db = await DuckDBInstance.create(':memory:');
    const con = await db.connect();
    await con.run(`CREATE SCHEMA ${TPCH_DB}`);
    for (const t of await tableSources(dbDir)) {
      const glob = join(dbDir, t.name, ...t.partitionColumns.map(() => '*'), '*.parquet');
      // Partition values are strings in Hive; stop DuckDB guessing other types from them.
      const hive = t.partitionColumns.length === 0
        ? ''
        : `, hive_partitioning = true, hive_types = {${t.partitionColumns.map((c) => `${sqlString(c)}: VARCHAR`).join(', ')}}`;
      await con.run(`CREATE VIEW ${TPCH_DB}.${t.name} AS SELECT * FROM read_parquet(${sqlString(glob)}${hive})`);
      // Unqualified names too, as in a session after `use tpch`.
      await con.run(`CREATE VIEW main.${t.name} AS SELECT * FROM ${TPCH_DB}.${t.name}`);
    }
    return new DuckDBReference(db, con);
  }

  async run(queryText: string): Promise<QueryRows> {
    const result = await this.con.runAndReadAll(queryText.trim().replace(/;\s*$/, ''));
    return { columns: result.columnNames(), rows: result.getRowsJS().map((r) => r.map(normalize)) };
  }

  close(): void {
    this.con.closeSync();
    this.db.closeSync();
  }
}

/** One-off: opens DuckDB over the warehouse, runs `queryText`, closes. */
export async function runOnDuckDB(warehouseDir: string, queryText: string): Promise<QueryRows> {
  const ref = await DuckDBReference.open(warehouseDir);
  try {
    return await ref.run(queryText);
  } finally {
    ref.close();
  }
}

export interface CompareOptions {
  /** compare row i with row i; otherwise both sides are sorted first */
  readonly ordered?: boolean;
  /** relative tolerance for numbers, default 1e-6 (TPC-H itself allows 1e-2 on averages and ratios) */
  readonly relTol?: number;
  /** absolute tolerance for numbers near zero, default 1e-9 */
  readonly absTol?: number;
  readonly columns?: readonly string[];
  /** when two numbers match, replacing relTol/absTol (e.g. tpchNumbersMatch) */
  readonly numbers?: (actual: number, expected: number) => boolean;
}

export type CompareResult =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly message: string;
      /** index of the first mismatching row (in sorted order when unordered) */
      readonly row?: number;
      readonly column?: number;
      readonly actual?: Row;
      readonly expected?: Row;
    };

const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Numbers, bigints and numeric strings (engines often return DECIMAL as text) as a number. */
function asNumber(v: Value): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && NUMERIC.test(v.trim())) return Number(v);
  return undefined;
}

function asText(v: Value): string {
  return v instanceof Date ? (normalize(v) as string) : String(v);
}

function cmpValues(a: Value, b: Value): number {
  const an = a === null || a === undefined;
  const bn = b === null || b === undefined;
  if (an || bn) return an === bn ? 0 : an ? -1 : 1;
  const x = asNumber(a);
  const y = asNumber(b);
  if (x !== undefined && y !== undefined) return x < y ? -1 : x > y ? 1 : 0;
  const s = asText(a);
  const t = asText(b);
  return s < t ? -1 : s > t ? 1 : 0;
}

function cmpRows(a: Row, b: Row): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const c = cmpValues(a[i], b[i]);
    if (c !== 0) return c;
  }
  return 0;
}

function valuesMatch(a: Value, b: Value, relTol: number, absTol: number, numbers?: CompareOptions['numbers']): boolean {
  const an = a === null || a === undefined;
  const bn = b === null || b === undefined;
  if (an || bn) return an === bn;
  // Numeric tolerance only when one side really is a number; two strings compare as text.
  if (typeof a === 'number' || typeof a === 'bigint' || typeof b === 'number' || typeof b === 'bigint') {
    const x = asNumber(a);
    const y = asNumber(b);
    if (x === undefined || y === undefined) return false;
    if (typeof a === 'bigint' && typeof b === 'bigint') return a === b;
    if (numbers) return numbers(x, y);
    return Math.abs(x - y) <= Math.max(absTol, relTol * Math.max(Math.abs(x), Math.abs(y)));
  }
  return asText(a) === asText(b);
}

const show = (r: Row | undefined) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));

/**
 * Compares result rows positionally, column by column. Strings must match exactly,
 * numbers within the tolerance; reports the first row that differs.
 */
export function compareRows(actual: readonly Row[], expected: readonly Row[], opts: CompareOptions = {}): CompareResult {
  const relTol = opts.relTol ?? 1e-6;
  const absTol = opts.absTol ?? 1e-9;
  const a = opts.ordered ? actual : [...actual].sort(cmpRows);
  const e = opts.ordered ? expected : [...expected].sort(cmpRows);
  for (let i = 0; i < Math.min(a.length, e.length); i++) {
    const ar = a[i]!;
    const er = e[i]!;
    if (ar.length !== er.length) {
      return { ok: false, row: i, actual: ar, expected: er, message: `row ${i}: ${ar.length} columns, expected ${er.length}` };
    }
    for (let c = 0; c < er.length; c++) {
      if (!valuesMatch(ar[c], er[c], relTol, absTol, opts.numbers)) {
        const name = opts.columns?.[c] ?? `#${c}`;
        return {
          ok: false, row: i, column: c, actual: ar, expected: er,
          message: `row ${i} column ${name}: got ${show([ar[c]])}, expected ${show([er[c]])}\n  actual:   ${show(ar)}\n  expected: ${show(er)}`,
        };
      }
    }
  }
  if (a.length !== e.length) {
    const i = Math.min(a.length, e.length);
    return {
      ok: false, row: i, actual: a[i], expected: e[i],
      message: `${a.length} rows, expected ${e.length}; first unmatched: actual ${show(a[i])}, expected ${show(e[i])}`,
    };
  }
  return { ok: true };
}
