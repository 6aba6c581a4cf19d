// Runs the same SQL on Shoal (the local runner, the real state machine) and directly on
// DuckDB over the same data files, and normalises both results for comparison.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { runScript, type RunResult } from '../../lib/local/runner.js';
import { WorkerPool } from '../../lib/local/pool.js';
import type { Value } from '../../lib/local/results.js';
import type { ObjectStore } from '../../lib/store/object-store.js';
import { openStore } from '../../lib/store/open-store.js';
import { startS3Server, type S3TestServer } from './s3-server.js';

export const FIXTURES = resolve(import.meta.dirname, '../fixtures');

/** Hive's `src` as DuckDB reads kv1.txt: ^A-separated, no quoting, a key that is not a number is NULL (Hive's INT). */
export const SRC_SELECT = `SELECT TRY_CAST(a AS INTEGER) AS key, b AS value FROM read_csv('${join(FIXTURES, 'hive', 'kv1.txt')}', delim='\u0001', header=false, quote='', escape='', columns={'a':'VARCHAR','b':'VARCHAR'}, auto_detect=false)`;

export interface Shoal {
  /** the warehouse URI: a local directory, or s3://bucket/prefix */
  readonly warehouse: string;
  readonly store: ObjectStore;
  run(sql: string, opts?: { settings?: Record<string, string>; vars?: Record<string, string>; file?: string; keepJobFiles?: boolean }): Promise<RunResult>;
  /** rows of the last query of the script */
  query(sql: string, settings?: Record<string, string>): Promise<Value[][]>;
  /** keys of every object in the warehouse under `prefix` */
  keys(prefix?: string): Promise<string[]>;
  /** a local directory holding the warehouse's objects under `prefix` (a downloaded copy when the warehouse is on S3) */
  localDir(prefix: string): Promise<string>;
  close(): Promise<void>;
}

export type TestStore = 'local' | 's3';

/** Where e2e warehouses live: SHOAL_TEST_STORE=s3 puts warehouse and shuffle on an S3 server. */
export function testStore(): TestStore {
  const v = process.env['SHOAL_TEST_STORE'] ?? 'local';
  if (v !== 'local' && v !== 's3') throw new Error(`SHOAL_TEST_STORE=${v}: expected local or s3`);
  return v;
}

/**
 * A Shoal with its own warehouse. On 's3' the warehouse is a fresh prefix in a bucket of
 * an s3rver started here (or of the endpoint SHOAL_AWS_ENDPOINT names, e.g. LocalStack),
 * and the worker threads reach it through SHOAL_AWS_ENDPOINT like `shoal run` would.
 */
export async function startShoal(opts: { store?: TestStore } = {}): Promise<Shoal> {
  const kind = opts.store ?? testStore();
  const scratch = await mkdtemp(join(tmpdir(), 'shoal-wh-'));
  let server: S3TestServer | undefined;
  let warehouse = scratch;
  const endpointBefore = process.env['SHOAL_AWS_ENDPOINT'];
  if (kind === 's3') {
    server = await startS3Server();
    process.env['SHOAL_AWS_ENDPOINT'] = server.endpoint; // before the workers start: they copy the environment
    warehouse = `s3://${server.bucket}/wh-${randomUUID().slice(0, 8)}`;
  }
  const store = openStore(warehouse);
  const pool = new WorkerPool(2, 1);
  let copies = 0;
  return {
    warehouse,
    store,
    run: (sql, o) => runScript(sql, { warehouse, pool, settings: o?.settings, vars: o?.vars, file: o?.file, keepJobFiles: o?.keepJobFiles }),
    async query(sql, settings) {
      const r = await runScript(sql, { warehouse, pool, settings });
      const last = r.results[r.results.length - 1];
      if (!last) throw new Error('the script returned no rows');
      return last.rows.map((x) => [...x]);
    },
    async keys(prefix = '') {
      return (await store.list(prefix)).map((o) => o.key);
    },
    async localDir(prefix) {
      if (kind === 'local') return join(scratch, prefix);
      const dir = join(scratch, `copy-${++copies}`);
      for (const o of await store.list(prefix)) await store.getToFile(o.key, join(dir, o.key));
      return join(dir, prefix);
    },
    async close() {
      await pool.close();
      await rm(scratch, { recursive: true, force: true });
      if (server) {
        await store.deletePrefix('');
        await server.stop();
        if (endpointBefore === undefined) delete process.env['SHOAL_AWS_ENDPOINT'];
        else process.env['SHOAL_AWS_ENDPOINT'] = endpointBefore;
      }
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
