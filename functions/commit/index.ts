// commit: a Step Functions task; switches a statement's output into the catalog (lib/runtime/commit.ts).
import { HANDLERS } from '../../lib/runtime/handlers.js';
import { lambdaHandler } from '../../lib/runtime/lambda.js';

export const handler = lambdaHandler(HANDLERS.Commit);
