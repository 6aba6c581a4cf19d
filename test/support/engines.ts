// Runs the same SQL on Shoal (the local runner, the real state machine) and directly on
// DuckDB over the same data files, and normalises both results for comparison.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { runScript, type RunResult } from '../../lib/local/runner.js';
import { WorkerPool } from '../../lib/local/pool.js';
import type { Value } from '../../lib/local/results.js';

export const FIXTURES = resolve(import.meta.dirname, '../fixtures');

export interface Shoal {
  readonly warehouse: string;
  run(sql: string, opts?: { settings?: Record<string, string>; vars?: Record<string, string>; file?: string }): Promise<RunResult>;
  /** rows of the last query of the script */
  query(sql: string, settings?: Record<string, string>): Promise<Value[][]>;
  close(): Promise<void>;
}

export async function startShoal(warehouse?: string): Promise<Shoal> {
  const dir = warehouse ?? (await mkdtemp(join(tmpdir(), 'shoal-wh-')));
  const pool = new WorkerPool(2, 1);
  return {
    warehouse: dir,
    run: (sql, o) => runScript(sql, { warehouse: dir, pool, settings: o?.settings, vars: o?.vars, file: o?.file }),
    async query(sql, settings) {
      const r = await runScript(sql, { warehouse: dir, pool, settings });
      const last = r.results[r.results.length - 1];
      if (!last) throw new Error('the script returned no rows');
      return last.rows.map((x) => [...x]);
    },
    async close() {
      await pool.close();
      if (!warehouse) await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface Reference {
  readonly con: DuckDBConnection;
  query(sql: string): Promise<Value[][]>;
  exec(sql: string): Promise<void>;
}

export async function startDuckDB(): Promise<Reference> {
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  return {
    con,
    async exec(sql) { await con.run(sql); },
    async query(sql) {
      const r = await con.runAndReadAll(sql);
      const types = r.columnTypes().map((t) => t.toString());
      return r.getRowsJson().map((row) => row.map((v, i) => (v !== null && typeof v === 'string' && /^(BIGINT|HUGEINT|DECIMAL|INTEGER|DOUBLE|FLOAT|UBIGINT)/.test(types[i]!) ? Number(v) : (v as Value))));
    },
  };
}

/** A comparable text for a row: numbers to 9 significant digits, NULL distinct from 'NULL'. */
export function normRow(r: readonly Value[]): string {
  return JSON.stringify(r.map((v) => (typeof v === 'number' ? (Number.isInteger(v) ? v : Number(v.toPrecision(9))) : v)));
}

export function normRows(rows: readonly (readonly Value[])[], ordered: boolean): string[] {
  const n = rows.map(normRow);
  return ordered ? n : n.sort();
}

export async function writeText(path: string, rows: readonly (readonly (string | number | null)[])[]): Promise<void> {
  await writeFile(path, rows.map((r) => r.map((v) => (v === null ? '\\N' : String(v))).join('\u0001')).join('\n') + '\n');
}
