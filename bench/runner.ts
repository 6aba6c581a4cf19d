// The TPC-H benchmark as a function: generates (or reuses) the data, registers it in
// Shoal's catalog, runs every query on Shoal's local runner and on DuckDB over the same
// Parquet files in this process, checks Shoal's rows against DuckDB's, and collects
// times, job reports, peak memory and the AWS cost estimate per query.
import { cpus, loadavg, totalmem, availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { localDuckDBThreads, WorkerPool } from '../lib/local/pool.js';
import { runScript, type RunResult } from '../lib/local/runner.js';
import { FUNCTION_CONFIG, PRICES, REGION, estimateCost } from './cost.js';
import { withPeakRss } from './memory.js';
import { median, medianIndex, slowest, summarize, timeByCategory, type BenchReport, type QueryOutcome } from './report.js';
import { athenaScanBytes, columnShares, type ColumnShares } from './scan-bytes.js';
import type { BenchSection, SectionContext } from './sections/section.js';
import { generateTpch } from './tpch/generate.js';
import type { TpchManifest } from './tpch/manifest.js';
import { isOrderedQuery, loadQuery, QUERY_NUMBERS } from './tpch/queries.js';
import { compareRows, DuckDBReference, type QueryRows, type Value } from './tpch/reference.js';
import { registerTpch } from './tpch/register.js';
import { tpchNumbersMatch } from './tpch/tolerance.js';

export const DATA_ROOT = resolve(import.meta.dirname, 'data');

export interface BenchOptions {
  readonly sf: number;
  readonly queries?: readonly number[];
  /** one timed run per query and no per-query warm-up */
  readonly quick?: boolean;
  /** timed runs per query and engine (default 3, quick 1) */
  readonly repetitions?: number;
  readonly workers?: number;
  /** DuckDB threads per worker (default: SHOAL_DUCKDB_THREADS, else 1) */
  readonly threads?: number;
  /** the warehouse directory (default bench/data/sf<N>) */
  readonly dataDir?: string;
  /** the answer Shoal must give, from DuckDB's; tests use it to plant a wrong reference */
  readonly expected?: (query: number, duckdb: QueryRows) => QueryRows;
  readonly sections?: readonly BenchSection[];
  /** session settings for every Shoal job (A/B runs: `--set shoal.optimizer.disabled-rules=…`) */
  readonly settings?: Readonly<Record<string, string>>;
  readonly log?: (line: string) => void;
}

const MESSAGE_LIMIT = 600;

/** Shoal's typed values as the reference compares them (TPC-H results are flat). */
function flatRows(r: RunResult): Value[][] {
  const last = r.results[r.results.length - 1];
  return (last?.rows ?? []).map((row) => row.map((v) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : v)));
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number; peak: Awaited<ReturnType<typeof withPeakRss>>['peak'] }> {
  const started = performance.now();
  const { value, peak } = await withPeakRss(work);
  return { value, ms: performance.now() - started, peak };
}

interface QueryContext {
  readonly warehouse: string;
  readonly pool: WorkerPool;
  readonly ref: DuckDBReference;
  readonly shares: ColumnShares;
  readonly warmup: boolean;
  readonly repetitions: number;
  readonly expected?: BenchOptions['expected'];
  readonly settings?: BenchOptions['settings'];
}

async function runQuery(n: number, c: QueryContext): Promise<QueryOutcome> {
  const text = await loadQuery(n);
  const duckText = await loadQuery(n, 'duckdb');
  const shoalScript = `USE tpch;\n${text}`;
  const shoal = () => runScript(shoalScript, { warehouse: c.warehouse, pool: c.pool, settings: c.settings, file: `q${String(n).padStart(2, '0')}.sql` });
  const shoalRuns: Awaited<ReturnType<typeof timed<RunResult>>>[] = [];
  const duckRuns: Awaited<ReturnType<typeof timed<QueryRows>>>[] = [];
  try {
    if (c.warmup) {
      await shoal();
      await c.ref.run(duckText);
    }
    // Alternating the engines spreads the machine's load changes over both.
    for (let i = 0; i < c.repetitions; i++) {
      shoalRuns.push(await timed(shoal));
      duckRuns.push(await timed(() => c.ref.run(duckText)));
    }
  } catch (e) {
    return { query: n, status: 'error', message: String((e as Error).message ?? e).slice(0, MESSAGE_LIMIT), shoalRunsMs: shoalRuns.map((r) => r.ms), duckdbRunsMs: duckRuns.map((r) => r.ms) };
  }
  const shoalRunsMs = shoalRuns.map((r) => Math.round(r.ms));
  const duckdbRunsMs = duckRuns.map((r) => Math.round(r.ms * 10) / 10);
  const chosen = shoalRuns[medianIndex(shoalRunsMs)]!;
  const m = chosen.value.metrics;
  const plan = chosen.value.plan;
  const duck = duckRuns[duckRuns.length - 1]!.value;
  const expected = c.expected ? c.expected(n, duck) : duck;
  const actual = flatRows(shoalRuns[shoalRuns.length - 1]!.value);
  const cmp = compareRows(actual, expected.rows, { ordered: isOrderedQuery(text), numbers: tpchNumbersMatch, columns: expected.columns });
  const shoalMs = median(shoalRunsMs);
  const duckdbMs = median(duckdbRunsMs);
  const scanBytes = m.stages.filter((s) => s.reads.includes('table')).reduce((a, s) => a + s.inputBytes, 0);
  const athenaBytes = athenaScanBytes(plan, m, c.shares);
  const s3 = m.totals.s3;
  return {
    query: n,
    status: cmp.ok ? 'ok' : 'mismatch',
    ...(cmp.ok ? {} : { message: cmp.message.slice(0, MESSAGE_LIMIT) }),
    shoalMs, duckdbMs, shoalRunsMs, duckdbRunsMs,
    ratio: duckdbMs > 0 ? shoalMs / duckdbMs : undefined,
    rows: actual.length,
    stages: m.totals.stages,
    tasks: m.totals.tasks,
    shuffleBytes: m.totals.shuffleBytes,
    s3Requests: s3.get + s3.put + s3.list + s3.delete + s3.head + s3.copy,
    scanBytes,
    athenaBytes,
    peakRss: { shoal: chosen.peak, duckdb: duckRuns[medianIndex(duckdbRunsMs)]!.peak },
    cost: estimateCost(m, plan, athenaBytes),
    metrics: m,
  };
}

export async function runBench(o: BenchOptions): Promise<BenchReport> {
  const started = performance.now();
  const log = o.log ?? (() => undefined);
  const loadavgStart = loadavg();
  const quick = o.quick ?? false;
  const repetitions = o.repetitions ?? (quick ? 1 : 3);
  const warmup = !quick;
  const workers = o.workers ?? Math.max(1, availableParallelism());
  const queries = o.queries ?? QUERY_NUMBERS;
  const warehouse = o.dataDir ?? join(DATA_ROOT, `sf${o.sf}`);

  const manifest: TpchManifest = await generateTpch({ sf: o.sf, warehouseDir: warehouse, log: (l) => log(`generate: ${l}`) });
  await registerTpch(manifest, warehouse);
  const threads = o.threads ?? localDuckDBThreads();
  const pool = new WorkerPool(workers, threads);
  const ref = await DuckDBReference.open(warehouse);
  const footers = await DuckDBInstance.create(':memory:');
  const results: QueryOutcome[] = [];
  const sectionData: Record<string, unknown> = {};
  try {
    const shares = await columnShares(await footers.connect(), warehouse, manifest);
    // One job first, so that no query pays for starting the workers and their DuckDB.
    await runScript('USE tpch; SELECT count(*) FROM region', { warehouse, pool });
    await ref.run('SELECT count(*) FROM region');
    const ctx: QueryContext = { warehouse, pool, ref, shares, warmup, repetitions, expected: o.expected, settings: o.settings };
    for (const n of queries) {
      const r = await runQuery(n, ctx);
      log(`q${n}: ${r.status}${r.shoalMs !== undefined ? ` shoal ${r.shoalMs} ms, duckdb ${r.duckdbMs} ms` : ''}${r.message ? ` — ${r.message.split('\n')[0]}` : ''}`);
      results.push(r);
    }
    const sctx: SectionContext = {
      sf: o.sf, quick, warehouse, manifest, queries: results, log,
      run: (sql, opts) => runScript(sql, { warehouse, pool, settings: { ...o.settings, ...opts?.settings }, keepJobFiles: opts?.keepJobFiles }),
    };
    for (const s of o.sections ?? []) {
      log(`section ${s.name}: ${s.title}`);
      try {
        sectionData[s.name] = await s.run(sctx);
      } catch (e) {
        sectionData[s.name] = { lines: [`failed: ${(e as Error).message}`], data: { error: (e as Error).message } };
      }
    }
  } finally {
    ref.close();
    footers.closeSync();
    await pool.close();
  }
  return {
    benchmark: 'tpch',
    date: new Date().toISOString(),
    sf: o.sf, quick, warmup, repetitions, workers, threads, queries,
    ...(o.settings && Object.keys(o.settings).length ? { settings: o.settings } : {}),
    machine: {
      cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryBytes: totalmem(), node: process.version,
      loadavgStart, loadavgEnd: loadavg(),
    },
    method: {
      timing: `wall clock per query in this process: Shoal = runScript (plan, state machine on ${workers} worker threads with ${threads} DuckDB thread(s) each, reading results back); DuckDB = one in-process connection (default threads) over read_parquet views of the same files; ${warmup ? 'one untimed warm-up run per query and engine, then ' : 'no per-query warm-up (one warm-up job overall), '}${repetitions} timed run(s), alternating engines; the median is reported`,
      correctness: 'Shoal rows against DuckDB rows of the same query text: integers exact, other numbers within TPC-H 2.1.3.5 (1% and $100; equal at 1/100)',
      memory: 'peak RSS of this process (worker threads and DuckDB threads included): kernel VmHWM reset via /proc/self/clear_refs before each run, else 20 ms sampling',
      cost: `estimate: local per-invocation durations as Lambda durations (x86_64, ${REGION} list prices, memory per function as the CDK app configures it), state transitions from the emitted state machine, S3 requests from the job report plus one metrics PUT per invocation; Athena at $5/TiB with 10 MB minimum, over the columns the query reads`,
    },
    results,
    summary: summarize(results),
    timeByCategory: timeByCategory(results),
    slowest: slowest(results),
    prices: { region: REGION, ...PRICES, functions: FUNCTION_CONFIG },
    sections: sectionData,
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
}
