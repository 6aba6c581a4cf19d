// commit: a Step Functions task; switches a statement's output into the catalog (lib/runtime/commit.ts).
import { commitStatement } from '../../lib/runtime/commit.js';
import { lambdaHandler } from '../../lib/runtime/lambda.js';

export const handler = lambdaHandler(commitStatement);
