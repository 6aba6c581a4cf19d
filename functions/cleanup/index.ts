// cleanup: a state machine's last task, and the target of the execution-status rule for
// executions that FAILED, TIMED_OUT or were ABORTED (lib/runtime/commit.ts, execution-events.ts).
import { cleanupJob } from '../../lib/runtime/commit.js';
import { HANDLERS } from '../../lib/runtime/handlers.js';
import { isExecutionStatusChange, jobOfExecution, type ExecutionStatusChange } from '../../lib/runtime/execution-events.js';
import { deployedWarehouse, lambdaHandler } from '../../lib/runtime/lambda.js';

export const handler = lambdaHandler(async (e: { queryId: string; warehouse: string } | ExecutionStatusChange) => {
  if (!isExecutionStatusChange(e)) return HANDLERS.Cleanup(e);
  const job = jobOfExecution(e, deployedWarehouse());
  return job ? cleanupJob(job) : { removed: 0 };
});
