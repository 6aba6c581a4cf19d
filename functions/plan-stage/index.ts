// plan-stage: a Step Functions task; sizes a stage's fan-out (lib/runtime/plan-stage.ts).
// HANDLERS[...] is what the local runner's workers run too, metrics recording included.
import { HANDLERS } from '../../lib/runtime/handlers.js';
import { lambdaHandler } from '../../lib/runtime/lambda.js';

export const handler = lambdaHandler(HANDLERS.PlanStage);
