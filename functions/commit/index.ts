// commit: a Step Functions task; switches a statement's output into the catalog (lib/runtime/commit.ts).
// HANDLERS[...] is what the local runner's workers run too, metrics recording included.
import { HANDLERS } from '../../lib/runtime/handlers.js';
import { lambdaHandler } from '../../lib/runtime/lambda.js';

export const handler = lambdaHandler(HANDLERS.Commit);
