// plan-stage: a Step Functions task; sizes a stage's fan-out (lib/runtime/plan-stage.ts).
import { HANDLERS } from '../../lib/runtime/handlers.js';
import { lambdaHandler } from '../../lib/runtime/lambda.js';

export const handler = lambdaHandler(HANDLERS.PlanStage);
