// speculate: a Step Functions task; a stage's watcher, which launches shadow attempts of
// stragglers and aborts a job that stands still (lib/runtime/speculate.ts).
import { HANDLERS } from '../../lib/runtime/handlers.js';
import { lambdaHandler } from '../../lib/runtime/lambda.js';

export const handler = lambdaHandler(HANDLERS.Speculate);
