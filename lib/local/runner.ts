// The embedded local mode: plans a script, writes the plan to the warehouse, and runs
// the very state machine the planner emits with aws-local-stepfunctions, its Task
// states served by a pool of worker threads running the Lambda handlers' code.
import './polyfill.js';
import { availableParallelism } from 'node:os';
import { StateMachine } from 'aws-local-stepfunctions';
import { Catalog } from '../catalog/catalog.js';
import { ShoalError } from '../common/errors.js';
import { emitAsl, INVOKE_WITH_TOKEN, substitute, TASK_TOKEN_FIELD, watchWaits, type FunctionName } from '../asl/emit.js';
import { HANDLERS } from '../runtime/handlers.js';
import { asLambdaError } from '../runtime/lambda.js';
import { useServices } from '../runtime/services.js';
import { localTokens } from './task-tokens.js';
import { appendSpan, buildReport, readInvocations, type JobMetrics } from '../metrics/report.js';
import type { Span } from '../metrics/attribution.js';
import { jobPrefix, planKey, resultSinkOf, showRowsKey, type JobPlan } from '../plan/job.js';
import { planJob, type PlanOptions } from '../planner/plan-job.js';
import { resultInfoKey, type ResultInfo } from '../runtime/commit.js';
import { openStore } from '../store/open-store.js';
import type { ObjectStore } from '../store/object-store.js';
import { localDefinition } from './local-definition.js';
import { WorkerPool } from './pool.js';
import { watchProgress, type JobProgress } from './watch-progress.js';
import { readResult, type QueryResult } from './results.js';

export interface RunOptions {
  readonly warehouse: string;
  readonly file?: string;
  readonly vars?: Readonly<Record<string, string>>;
  readonly settings?: Readonly<Record<string, string>>;
  readonly workers?: number;
  readonly pool?: WorkerPool;
  /** the job's progress, polled from the store while it runs (and once more at its end) */
  readonly onProgress?: (p: JobProgress) => void;
  /** how often; default 500 ms, 2 s on S3 (each poll LISTs every running stage) */
  readonly progressIntervalMs?: number;
  /** keep `_jobs/<id>` (plan, results) after the run */
  readonly keepJobFiles?: boolean;
  readonly rewrite?: PlanOptions['rewrite'];
}

export interface RunResult {
  readonly queryId: string;
  readonly plan: JobPlan;
  readonly results: readonly QueryResult[];
  /** the job report: per stage, totals, where the time went (planning and reading results included) */
  readonly metrics: JobMetrics;
}

const LOCAL_ARNS: Record<FunctionName, string> = {
  PlanStage: 'arn:aws:lambda:us-east-1:000000000000:function:shoal-plan-stage',
  RunTask: 'arn:aws:lambda:us-east-1:000000000000:function:shoal-run-task',
  Compact: 'arn:aws:lambda:us-east-1:000000000000:function:shoal-compact',
  Commit: 'arn:aws:lambda:us-east-1:000000000000:function:shoal-commit',
  Cleanup: 'arn:aws:lambda:us-east-1:000000000000:function:shoal-cleanup',
  Speculate: 'arn:aws:lambda:us-east-1:000000000000:function:shoal-speculate',
};

/** A Task state's function; `heartbeatMs` for a `.waitForTaskToken` invocation. */
interface TaskFunction { readonly fn: FunctionName; readonly withToken: boolean; readonly heartbeatMs?: number }

/** Task state name → the function its Resource (or a token task's FunctionName) names, across Map processors and Parallel branches. */
function taskFunctions(asl: unknown, out: Record<string, TaskFunction> = {}): Record<string, TaskFunction> {
  const states = (asl as { States?: Record<string, Record<string, unknown>> }).States ?? {};
  for (const [name, s] of Object.entries(states)) {
    if (s.Type === 'Task') {
      const withToken = s.Resource === INVOKE_WITH_TOKEN;
      const arn = withToken ? (s.Parameters as { FunctionName: string }).FunctionName : s.Resource;
      const fn = (Object.keys(LOCAL_ARNS) as FunctionName[]).find((f) => LOCAL_ARNS[f] === arn);
      const beat = s.HeartbeatSeconds;
      if (fn) out[name] = { fn, withToken, heartbeatMs: typeof beat === 'number' ? beat * 1000 : undefined };
    }
    if (s.ItemProcessor) taskFunctions(s.ItemProcessor, out);
    if (s.Iterator) taskFunctions(s.Iterator, out);
    for (const b of (s.Branches as unknown[] | undefined) ?? []) taskFunctions(b, out);
  }
  return out;
}

/** What the client did before the execution (planning), for the report's time breakdown. */
export interface ClientWork { readonly start: number; readonly spans: readonly Span[] }

/**
 * Runs the job's state machine and returns its report, built from the metrics every
 * invocation left in the store; `before` puts the client's planning into it.
 */
export async function executePlan(store: ObjectStore, warehouse: string, plan: JobPlan, pool: WorkerPool, progress?: Pick<RunOptions, 'onProgress' | 'progressIntervalMs'>, before?: ClientWork): Promise<JobMetrics> {
  const start = Date.now();
  await store.put(planKey(plan.queryId), JSON.stringify(plan));
  const asl = localDefinition(substitute(emitAsl(plan), LOCAL_ARNS));
  const fns = taskFunctions(asl);
  // A failed Map stops waiting for its other iterations, a completed task token for its
  // losing attempts, and shadows run beside the Map; they all still run, and the job is only
  // over for the caller once they have (they clean up after themselves, see attempt.ts).
  const inflight = new Set<Promise<unknown>>();
  const track = <T>(call: Promise<T>): Promise<T> => {
    inflight.add(call);
    void call.catch(() => undefined).finally(() => inflight.delete(call));
    return call;
  };
  useServices({ callbacks: localTokens, invoker: { invokeAsync: async (fn, event) => { void track(pool.invoke(fn, event)).catch(() => undefined); } } });
  const handlers = Object.fromEntries(Object.entries(fns).map(([state, { fn, withToken, heartbeatMs }]) => [state, async (input: unknown) => {
    if (withToken) {
      const payload = (input as { Payload: Record<string, unknown> }).Payload;
      return (await localTokens.wait(heartbeatMs, (token, started) => track(pool.invoke(fn, { ...payload, [TASK_TOKEN_FIELD]: token }, started)))) as never;
    }
    // The watcher and the cleanup run here, not on a worker: on AWS every invocation has its
    // own container, while the pool is bounded; a watcher queued behind its own stage's
    // tasks could never see a straggler, and a cleanup queued behind hung tasks would never
    // write the marker that ends them.
    if (fn === 'Speculate' || fn === 'Cleanup') return (await track((HANDLERS[fn](input as never) as Promise<unknown>).catch((e: unknown) => { throw asLambdaError(e); }))) as never;
    return (await track(pool.invoke(fn, input))) as never;
  }]));
  // No validation per run: asl-validator compiles its JSON schemas on every call, which
  // cost 0.4-2.8 s per job here (more than most jobs' work). The emitter's output is
  // validated by test/asl instead.
  const sm = new StateMachine(asl as never, { validationOptions: { noValidate: true } });
  const exec = sm.run({ queryId: plan.queryId, warehouse }, { overrides: { taskResourceLocalHandlers: handlers, retryIntervalOverrides: retryOverrides(asl), waitTimeOverrides: watchWaits(plan) } });
  const watch = progress?.onProgress && watchProgress(store, plan, progress.onProgress, progress.progressIntervalMs ?? (store.root.startsWith('s3://') ? 2000 : 500));
  try {
    await exec.result;
    await settle(inflight);
    await watch?.stop(true);
  } catch (e) {
    await settle(inflight);
    await watch?.stop(false);
    // The state machine's Fail state carries the first error's name and message.
    const cause = (e as { cause?: unknown }).cause as { cause?: string; error?: string } | undefined;
    const msg = cause?.cause ?? (e as Error).message;
    throw new ShoalError('task', String(msg).replace(/^Execution has failed with the following error: /, ''));
  }
  const end = Date.now();
  return buildReport(plan, await readInvocations(store, plan.queryId), { start: before?.start ?? start, end, spans: before?.spans });
}

/** Waits for every tracked call, including those started while waiting (a shadow a last watcher call launched). */
async function settle(inflight: ReadonlySet<Promise<unknown>>): Promise<void> {
  while (inflight.size > 0) await Promise.allSettled([...inflight]);
}

/** Local retries wait 50 ms instead of seconds: the failures they retry are local. */
function retryOverrides(asl: unknown): Record<string, number> {
  return Object.fromEntries(Object.keys(taskFunctions(asl)).map((n) => [n, 50]));
}

export async function runScript(text: string, opts: RunOptions): Promise<RunResult> {
  const start = Date.now();
  const store = openStore(opts.warehouse);
  const catalog = await new Catalog(store).load();
  const plan = await planJob(text, { file: opts.file, vars: opts.vars, settings: opts.settings, catalog, store, rewrite: opts.rewrite });
  const planned = Date.now();
  const pool = opts.pool ?? new WorkerPool(opts.workers ?? Math.max(1, availableParallelism()));
  try {
    const executed = await executePlan(store, store.root, plan, pool, opts, { start, spans: [{ category: 'planning', start, end: planned }] });
    const fetchStart = Date.now();
    const results: QueryResult[] = [];
    for (const st of plan.statements) {
      if (st.kind === 'ddl' && st.action.kind === 'show') {
        const rows = JSON.parse(new TextDecoder().decode(await store.get(showRowsKey(plan.queryId, st.index)))) as QueryResult['rows'];
        results.push({ statement: st.index, text: st.text, columns: st.action.columns, rows });
      }
      if (st.kind === 'rows') results.push({ statement: st.index, text: st.text, columns: st.columns, rows: st.rows as QueryResult['rows'] });
      const sink = st.kind === 'dataflow' ? resultSinkOf(st) : undefined;
      if (sink) {
        const info = JSON.parse(new TextDecoder().decode(await store.get(resultInfoKey(plan.queryId, st.index)))) as ResultInfo;
        results.push({ statement: st.index, text: st.text, columns: sink.columns, rows: await readResult(store, info.key, sink.columns) });
      }
    }
    const metrics = appendSpan(executed, { category: 'results', start: fetchStart, end: Date.now() });
    return { queryId: plan.queryId, plan, results, metrics };
  } finally {
    if (!opts.keepJobFiles) await store.deletePrefix(`${jobPrefix(plan.queryId)}/`).catch(() => undefined);
    if (!opts.pool) await pool.close();
  }
}
