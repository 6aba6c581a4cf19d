// The state machine deployed for a job file (`jobs/<name>.sql` → `statemachines/<name>.asl.json`):
// a StartJob task that plans the script at run time, with its variables resolved and
// against the live catalog, then the states emitted for the plan made at synth time.
// A run-time plan whose state machine would differ (the script's stage DAG changed
// without a redeploy) fails StartJob instead of running the wrong states; the hash of
// the emitted definition is how the two are compared.
import { createHash } from 'node:crypto';
import type { JobPlan } from '../plan/job.js';
import { RETRY, emitAsl } from './emit.js';

export const START_JOB_PLACEHOLDER = '${StartJobFunctionArn}';

export function aslHash(asl: unknown): string {
  return createHash('sha256').update(JSON.stringify(asl)).digest('hex');
}

/** What StartJob receives: the execution's input as given, plus what the definition fixes. */
export interface StartJobEvent {
  readonly job: string;
  readonly sql: string;
  readonly aslHash: string;
  /** the execution input: `{ vars?, time? }` from a schedule, the API or a console user */
  readonly input: { readonly vars?: Readonly<Record<string, string>>; readonly time?: string };
  readonly executionName: string;
  readonly executionArn: string;
  readonly startTime: string;
}

export function jobDefinition(job: string, sql: string, plan: JobPlan): Record<string, unknown> {
  const asl = emitAsl(plan) as { StartAt: string; States: Record<string, unknown> } & Record<string, unknown>;
  const start = {
    Type: 'Task',
    Resource: START_JOB_PLACEHOLDER,
    Parameters: {
      job, sql, aslHash: aslHash(asl),
      'input.$': '$', 'executionName.$': '$$.Execution.Name', 'executionArn.$': '$$.Execution.Id', 'startTime.$': '$$.Execution.StartTime',
    },
    Retry: RETRY,
    // no ResultPath: StartJob's result ({ queryId, warehouse, vars }) becomes the state, as every later state expects
    Next: asl.StartAt,
  };
  return { ...asl, StartAt: 'StartJob', States: { StartJob: start, ...asl.States } };
}
