// The handler functions by name: what a Lambda function or a local worker runs. Errors
// leave as { name, message } where `name` is what Step Functions' Retry matches on.
// Every invocation leaves its metrics in the store (see lib/metrics/record.ts).
import { isShoalError } from '../common/errors.js';
import { metricsKey, Recorder, type Category } from '../metrics/record.js';
import { cleanupJob, commitStatement } from './commit.js';
import { compact } from './compact.js';
import { storeFor, type JobEvent } from './context.js';
import { planStage } from './plan-stage.js';
import type { AttemptKind } from './progress.js';
import { runTask } from './run-task.js';
import { speculate } from './speculate.js';
import type { FunctionName } from '../asl/emit.js';

type Handler<E extends JobEvent, R> = (event: E, rec: Recorder) => Promise<R>;

/**
 * Runs the handler with a recorder and stores what it recorded, also when it fails;
 * `note` copies figures from the handler's result into the record.
 */
function measured<E extends JobEvent, R>(fn: FunctionName, category: Category, handler: Handler<E, R>, note?: (r: R, rec: Recorder) => void): (event: E) => Promise<R> {
  return async (e) => {
    const store = storeFor(e.warehouse);
    const rec = new Recorder(store, category);
    const save = (ok: boolean) => {
      const m = rec.finish(fn, e as { statement?: number; stage?: number; task?: number; kind?: AttemptKind }, ok);
      return store.put(metricsKey(e.queryId, m), JSON.stringify(m));
    };
    let result: R;
    try {
      result = await handler(e, rec);
    } catch (err) {
      // The task's own error is what the state machine must see, not a failed metrics write.
      await save(false).catch(() => undefined);
      throw err;
    }
    note?.(result, rec);
    await save(true);
    return result;
  };
}

/** The same functions for Lambda (functions/*) and the local workers: both record metrics. */
export const HANDLERS = {
  PlanStage: measured('PlanStage', 'planStage', planStage, (r, rec) => { rec.tasks = r.count; }),
  RunTask: measured('RunTask', 'taskStart', runTask, (r, rec) => { rec.won = r.won; rec.outputRows = r.rows; }),
  Compact: measured('Compact', 'compact', compact, (r, rec) => { if ('count' in r) rec.tasks = r.count; else rec.won = r.won; }),
  Commit: measured('Commit', 'commit', commitStatement, (r, rec) => { rec.outputRows = r.rows; }),
  Cleanup: measured('Cleanup', 'cleanup', cleanupJob),
  // The watcher leaves no metrics: it runs every few seconds while a stage runs and does no work of the job's.
  Speculate: speculate,
} satisfies Record<FunctionName, (event: never) => Promise<unknown>>;

/** The Step Functions error name for a thrown value: transient errors are retried, the rest are not. */
export function errorName(e: unknown): string {
  if (isShoalError(e)) return e.retryable ? 'Shoal.Transient' : `Shoal.${e.kind[0]!.toUpperCase()}${e.kind.slice(1)}Error`;
  const code = (e as { code?: string }).code;
  if (code && ['ECONNRESET', 'ETIMEDOUT', 'EPIPE'].includes(code)) return 'Shoal.Transient';
  return 'Shoal.Error';
}
