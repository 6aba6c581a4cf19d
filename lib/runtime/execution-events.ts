// The EventBridge event Step Functions sends when an execution ends, and which job's files
// it concerns. A Catch inside the state machine cannot run when the execution is aborted
// or times out, so the execution-status rule hands such ends to cleanup.
import { ShoalError } from '../common/errors.js';
import type { JobEvent } from './context.js';

export interface ExecutionStatusChange {
  readonly 'detail-type': 'Step Functions Execution Status Change';
  readonly source: 'aws.states';
  readonly detail: {
    readonly executionArn: string;
    readonly stateMachineArn: string;
    readonly name: string;
    readonly status: string;
    /** the execution's input as JSON text; may be null when it was too large to include */
    readonly input?: string | null;
  };
}

/** The statuses after which nothing in the execution itself cleaned up. */
export const UNCLEAN_END = ['FAILED', 'TIMED_OUT', 'ABORTED'] as const;

export function isExecutionStatusChange(e: unknown): e is ExecutionStatusChange {
  return (e as { 'detail-type'?: unknown })['detail-type'] === 'Step Functions Execution Status Change';
}

/**
 * The job an ended execution ran: a query's input names it; a scheduled job's query id is
 * the execution's name. A Distributed Map's child executions (their state machine ARN has
 * a `/<map run>` suffix) are not jobs: their failure fails the parent, which is cleaned.
 */
export function jobOfExecution(e: ExecutionStatusChange, warehouse: string): JobEvent | undefined {
  if (!(UNCLEAN_END as readonly string[]).includes(e.detail.status)) return undefined;
  const arn = e.detail.stateMachineArn;
  if (arn.slice(arn.indexOf(':stateMachine:') + ':stateMachine:'.length).includes('/')) return undefined;
  let queryId = e.detail.name;
  if (e.detail.input) {
    try {
      const input = JSON.parse(e.detail.input) as { queryId?: unknown };
      if (typeof input.queryId === 'string') queryId = input.queryId;
    } catch {
      throw new ShoalError('config', `execution ${e.detail.executionArn} has an input that is not JSON`);
    }
  }
  return { queryId, warehouse };
}
