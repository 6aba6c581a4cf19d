// run-task: a Step Functions Map iteration; runs one task of a stage on DuckDB (lib/runtime/run-task.ts).
import { HANDLERS } from '../../lib/runtime/handlers.js';
import { lambdaHandler } from '../../lib/runtime/lambda.js';

export const handler = lambdaHandler(HANDLERS.RunTask);
