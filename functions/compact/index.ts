// compact: a Step Functions task (phase plan) and Map iteration (phase run); merges a table sink's small files (lib/runtime/compact.ts).
import { HANDLERS } from '../../lib/runtime/handlers.js';
import { lambdaHandler } from '../../lib/runtime/lambda.js';

export const handler = lambdaHandler(HANDLERS.Compact);
