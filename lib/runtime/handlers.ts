// The handler functions by name: what a Lambda function or a local worker runs. Errors
// leave as { name, message } where `name` is what Step Functions' Retry matches on.
import { isShoalError } from '../common/errors.js';
import { cleanupJob, commitStatement } from './commit.js';
import { compact } from './compact.js';
import { planStage } from './plan-stage.js';
import { runTask } from './run-task.js';
import type { FunctionName } from '../asl/emit.js';

export const HANDLERS: Record<FunctionName, (event: never) => Promise<unknown>> = {
  PlanStage: planStage,
  RunTask: runTask,
  Compact: compact,
  Commit: commitStatement,
  Cleanup: cleanupJob,
};

/** The Step Functions error name for a thrown value: transient errors are retried, the rest are not. */
export function errorName(e: unknown): string {
  if (isShoalError(e)) return e.retryable ? 'Shoal.Transient' : `Shoal.${e.kind[0]!.toUpperCase()}${e.kind.slice(1)}Error`;
  const code = (e as { code?: string }).code;
  if (code && ['ECONNRESET', 'ETIMEDOUT', 'EPIPE'].includes(code)) return 'Shoal.Transient';
  return 'Shoal.Error';
}
