// cleanup: a state machine's last task, and the target of the execution-status rule for
// executions that FAILED, TIMED_OUT or were ABORTED (lib/runtime/commit.ts, execution-events.ts).
import { isExecutionStatusChange, jobOfExecution, type ExecutionStatusChange } from '../../lib/runtime/execution-events.js';
import { HANDLERS } from '../../lib/runtime/handlers.js';
import { deployedWarehouse, lambdaHandler } from '../../lib/runtime/lambda.js';

const cleanup = HANDLERS.Cleanup as (e: { queryId: string; warehouse: string }) => Promise<{ removed: number }>;

export const handler = lambdaHandler(async (e: { queryId: string; warehouse: string } | ExecutionStatusChange) => {
  if (!isExecutionStatusChange(e)) return cleanup(e);
  const job = jobOfExecution(e, deployedWarehouse());
  return job ? cleanup(job) : { removed: 0 };
});
