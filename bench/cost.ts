// What a run would cost on AWS: an ESTIMATE from the measured work of a local run (per
// invocation durations, state machine size, S3 requests), priced with us-east-1 list
// prices, next to what Athena would charge for scanning the same data.
//
// Assumptions (see bench/README.md): local task durations stand for Lambda durations
// (locally each task has one DuckDB thread on a shared core; a 3008 MB Lambda has about
// 1.7 vCPU, so compute is if anything over-estimated), no cold starts, no free tier,
// first pricing tier, x86_64 (the architecture the CDK app deploys).
import { emitAsl } from '../lib/asl/emit.js';
import type { FunctionName } from '../lib/asl/emit.js';
import type { JobMetrics } from '../lib/metrics/report.js';
import type { JobPlan } from '../lib/plan/job.js';

export const REGION = 'us-east-1';

/** List prices in USD, us-east-1, as published by AWS (checked 2026-11). */
export const PRICES = {
  lambdaGbSecond: 0.0000166667,
  lambdaRequest: 0.2 / 1e6,
  /** per GB-second of ephemeral storage above the free 512 MB */
  lambdaEphemeralGbSecond: 0.0000000309,
  stepFunctionsTransition: 0.025 / 1000,
  /** PUT, COPY, POST, LIST */
  s3Write: 0.005 / 1000,
  /** GET, HEAD and the rest; DELETE is free */
  s3Read: 0.0004 / 1000,
  athenaPerTiB: 5,
  athenaMinimumBytes: 10 * 2 ** 20,
} as const;

/** Memory and ephemeral storage per function, as cdk/engine-stack.ts configures them. */
export const FUNCTION_CONFIG: Readonly<Record<FunctionName, { memoryMb: number; ephemeralMb: number }>> = {
  PlanStage: { memoryMb: 1024, ephemeralMb: 512 },
  RunTask: { memoryMb: 3008, ephemeralMb: 4096 },
  Compact: { memoryMb: 3008, ephemeralMb: 4096 },
  Commit: { memoryMb: 1024, ephemeralMb: 512 },
  Cleanup: { memoryMb: 512, ephemeralMb: 512 },
  Speculate: { memoryMb: 512, ephemeralMb: 512 },
};

export interface CostEstimate {
  readonly lambda: { readonly invocations: number; readonly gbSeconds: number; readonly usd: number };
  readonly stepFunctions: { readonly transitions: number; readonly usd: number };
  readonly s3: { readonly writeRequests: number; readonly readRequests: number; readonly usd: number };
  readonly totalUsd: number;
  readonly athena: { readonly bytesScanned: number; readonly usd: number };
}

type State = { Type?: string; ItemProcessor?: { States: Record<string, State> }; Iterator?: { States: Record<string, State> }; Branches?: { States: Record<string, State> }[] };

/**
 * States entered once on the success path (Map processors' inner states are entered once
 * per item and counted from the invocations instead; failure-only states are left out).
 */
function statesOnce(states: Record<string, State>): number {
  let n = 0;
  for (const [name, s] of Object.entries(states)) {
    if (name === 'CleanupAfterFailure' || name === 'Failed') continue;
    n++;
    for (const b of s.Branches ?? []) n += statesOnce(b.States);
  }
  return n;
}

/** Map items: every inner task invocation is a state transition (retries included). */
function mapItems(m: JobMetrics, plan: JobPlan): number {
  const compactPlans = JSON.stringify(emitAsl(plan)).split('"phase":"plan"').length - 1;
  return m.totals.invocations.RunTask.count + Math.max(0, m.totals.invocations.Compact.count - compactPlans);
}

export function stateTransitions(m: JobMetrics, plan: JobPlan): number {
  const asl = emitAsl(plan) as { States: Record<string, State> };
  return statesOnce(asl.States) + mapItems(m, plan);
}

export function athenaUsd(bytesScanned: number): number {
  const billed = Math.max(PRICES.athenaMinimumBytes, Math.ceil(bytesScanned / 2 ** 20) * 2 ** 20);
  return (billed / 2 ** 40) * PRICES.athenaPerTiB;
}

/** The estimate for one job; `athenaBytes` is what Athena would scan for the same query. */
export function estimateCost(m: JobMetrics, plan: JobPlan, athenaBytes: number): CostEstimate {
  let gbSeconds = 0;
  let ephemeralGbSeconds = 0;
  let invocations = 0;
  for (const [fn, t] of Object.entries(m.totals.invocations) as [FunctionName, { count: number; ms: number }][]) {
    const cfg = FUNCTION_CONFIG[fn];
    // Billed per started millisecond of every invocation.
    const seconds = (t.ms + t.count) / 1000;
    gbSeconds += (seconds * cfg.memoryMb) / 1024;
    ephemeralGbSeconds += (seconds * (cfg.ephemeralMb - 512)) / 1024;
    invocations += t.count;
  }
  const lambdaUsd = gbSeconds * PRICES.lambdaGbSecond + ephemeralGbSeconds * PRICES.lambdaEphemeralGbSecond + invocations * PRICES.lambdaRequest;
  const transitions = stateTransitions(m, plan);
  const s3 = m.totals.s3;
  // Each invocation also PUTs its metrics object, which the counters do not include.
  const writeRequests = s3.put + s3.copy + s3.list + invocations;
  const readRequests = s3.get + s3.head;
  const s3Usd = writeRequests * PRICES.s3Write + readRequests * PRICES.s3Read;
  const sfnUsd = transitions * PRICES.stepFunctionsTransition;
  return {
    lambda: { invocations, gbSeconds, usd: lambdaUsd },
    stepFunctions: { transitions, usd: sfnUsd },
    s3: { writeRequests, readRequests, usd: s3Usd },
    totalUsd: lambdaUsd + sfnUsd + s3Usd,
    athena: { bytesScanned: athenaBytes, usd: athenaUsd(athenaBytes) },
  };
}
