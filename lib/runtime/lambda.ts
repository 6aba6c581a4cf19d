// The Lambda side of a handler: the event in, the result out, and a thrown error turned
// into one whose `name` is the Step Functions error name, because Lambda reports
// `error.name` as the errorType that a state's Retry and Catch match on.
import { formatError } from '../common/errors.js';
import { ShoalError } from '../common/errors.js';
import { errorName } from './handlers.js';

/** The warehouse a deployed function serves (`s3://bucket[/prefix]`): its IAM policy reaches no other. */
export function deployedWarehouse(): string {
  const w = process.env['SHOAL_WAREHOUSE'];
  if (!w) throw new ShoalError('config', 'SHOAL_WAREHOUSE is not set: expected the warehouse URI, e.g. s3://bucket');
  return w;
}

export function asLambdaError(e: unknown): Error {
  const err = new Error(formatError(e));
  err.name = errorName(e);
  return err;
}

/** Wraps a handler so its failures carry Step Functions error names, and checks that a task names this function's warehouse. */
export function lambdaHandler<E, R>(fn: (event: E) => Promise<R>): (event: E) => Promise<R> {
  return async (event: E) => {
    try {
      const w = (event as { warehouse?: unknown }).warehouse;
      if (typeof w === 'string' && w !== deployedWarehouse()) throw new ShoalError('config', `this function serves warehouse ${deployedWarehouse()}, the task names ${w}`);
      return await fn(event);
    } catch (e) {
      throw asLambdaError(e);
    }
  };
}
