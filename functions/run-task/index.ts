// run-task: a Step Functions Map iteration; runs one task of a stage on DuckDB (lib/runtime/run-task.ts).
import { lambdaHandler } from '../../lib/runtime/lambda.js';
import { runTask } from '../../lib/runtime/run-task.js';

export const handler = lambdaHandler(runTask);
