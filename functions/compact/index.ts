// compact: a Step Functions task; merges a table sink's small files, phase plan then run (lib/runtime/compact.ts).
// HANDLERS[...] is what the local runner's workers run too, metrics recording included.
import { HANDLERS } from '../../lib/runtime/handlers.js';
import { lambdaHandler } from '../../lib/runtime/lambda.js';

export const handler = lambdaHandler(HANDLERS.Compact);
