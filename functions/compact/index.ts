// compact: a Step Functions task (phase plan) and Map iteration (phase run); merges a table sink's small files (lib/runtime/compact.ts).
import { compact } from '../../lib/runtime/compact.js';
import { lambdaHandler } from '../../lib/runtime/lambda.js';

export const handler = lambdaHandler(compact);
