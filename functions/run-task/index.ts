// run-task: a Step Functions task; runs one task of a stage on DuckDB (lib/runtime/run-task.ts).
// HANDLERS[...] is what the local runner's workers run too, metrics recording included.
import { HANDLERS } from '../../lib/runtime/handlers.js';
import { lambdaHandler } from '../../lib/runtime/lambda.js';

export const handler = lambdaHandler(HANDLERS.RunTask);
