// The benchmark's results as data (what bench/results/<date>.json holds) and the
// figures derived from the per-query outcomes: totals, geometric mean, where time goes.
import type { Category } from '../lib/metrics/record.js';
import type { JobMetrics } from '../lib/metrics/report.js';
import type { CostEstimate } from './cost.js';
import type { PeakMemory } from './memory.js';

export type QueryStatus = 'ok' | 'mismatch' | 'error';

export interface QueryOutcome {
  readonly query: number;
  /** 'mismatch': Shoal's rows differ from the reference; 'error': Shoal failed to run it */
  readonly status: QueryStatus;
  readonly message?: string;
  /** medians of the timed runs, milliseconds */
  readonly shoalMs?: number;
  readonly duckdbMs?: number;
  readonly shoalRunsMs: readonly number[];
  readonly duckdbRunsMs: readonly number[];
  /** shoalMs / duckdbMs */
  readonly ratio?: number;
  readonly rows?: number;
  readonly stages?: number;
  readonly tasks?: number;
  readonly shuffleBytes?: number;
  readonly s3Requests?: number;
  /** bytes Shoal's scan tasks downloaded, and what Athena would scan (columns read only) */
  readonly scanBytes?: number;
  readonly athenaBytes?: number;
  readonly peakRss?: { readonly shoal: PeakMemory; readonly duckdb: PeakMemory };
  readonly cost?: CostEstimate;
  /** the job report of the median Shoal run */
  readonly metrics?: JobMetrics;
}

export interface Overhead { readonly category: Category; readonly ms: number; readonly share: number }

export interface BenchSummary {
  readonly passed: number;
  readonly failed: number;
  /** over the queries that passed */
  readonly shoalMs: number;
  readonly duckdbMs: number;
  readonly geomeanRatio?: number;
  readonly s3Requests: number;
  readonly shuffleBytes: number;
  readonly awsUsd: number;
  readonly athenaUsd: number;
}

export interface BenchReport {
  readonly benchmark: 'tpch';
  readonly date: string;
  readonly sf: number;
  readonly quick: boolean;
  readonly warmup: boolean;
  readonly repetitions: number;
  readonly workers: number;
  /** DuckDB threads per worker (absent in reports from before it was a choice: 1) */
  readonly threads?: number;
  readonly queries: readonly number[];
  /** session settings given with --set */
  readonly settings?: Readonly<Record<string, string>>;
  readonly machine: {
    readonly cpus: number;
    readonly cpuModel: string;
    readonly memoryBytes: number;
    readonly node: string;
    readonly loadavgStart: readonly number[];
    readonly loadavgEnd: readonly number[];
  };
  readonly method: Readonly<Record<string, string>>;
  readonly results: readonly QueryOutcome[];
  readonly summary: BenchSummary;
  /** the wall time of the passing queries by category, largest first */
  readonly timeByCategory: readonly Overhead[];
  readonly slowest: readonly { readonly query: number; readonly shoalMs: number; readonly time: Readonly<Record<Category, number>> }[];
  readonly prices: unknown;
  readonly sections: Readonly<Record<string, unknown>>;
  readonly seconds: number;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Index of the run whose time is closest to the median (whose report stands for the query). */
export function medianIndex(xs: readonly number[]): number {
  const m = median(xs);
  return xs.reduce((best, x, i) => (Math.abs(x - m) < Math.abs(xs[best]! - m) ? i : best), 0);
}

export function geomean(xs: readonly number[]): number | undefined {
  if (xs.length === 0) return undefined;
  return Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
}

export function summarize(results: readonly QueryOutcome[]): BenchSummary {
  const ok = results.filter((r) => r.status === 'ok');
  const sum = (f: (r: QueryOutcome) => number | undefined) => ok.reduce((a, r) => a + (f(r) ?? 0), 0);
  return {
    passed: ok.length,
    failed: results.length - ok.length,
    shoalMs: sum((r) => r.shoalMs),
    duckdbMs: sum((r) => r.duckdbMs),
    geomeanRatio: geomean(ok.map((r) => r.ratio!).filter((x) => x > 0)),
    s3Requests: sum((r) => r.s3Requests),
    shuffleBytes: sum((r) => r.shuffleBytes),
    awsUsd: sum((r) => r.cost?.totalUsd),
    athenaUsd: sum((r) => r.cost?.athena.usd),
  };
}

/** Wall time per category summed over the passing queries: the largest slices are where to optimise. */
export function timeByCategory(results: readonly QueryOutcome[]): Overhead[] {
  const totals = new Map<Category, number>();
  for (const r of results) {
    if (r.status !== 'ok' || !r.metrics) continue;
    for (const [c, ms] of Object.entries(r.metrics.time.wallMs) as [Category, number][]) totals.set(c, (totals.get(c) ?? 0) + ms);
  }
  const all = [...totals.values()].reduce((a, b) => a + b, 0);
  return [...totals.entries()].map(([category, ms]) => ({ category, ms: Math.round(ms), share: all ? ms / all : 0 })).sort((a, b) => b.ms - a.ms);
}

export function slowest(results: readonly QueryOutcome[], n = 3): BenchReport['slowest'] {
  return results
    .filter((r) => r.status === 'ok' && r.metrics && r.shoalMs !== undefined)
    .sort((a, b) => b.shoalMs! - a.shoalMs!)
    .slice(0, n)
    .map((r) => ({ query: r.query, shoalMs: r.shoalMs!, time: r.metrics!.time.wallMs }));
}
