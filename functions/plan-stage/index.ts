// plan-stage: a Step Functions task; sizes a stage's fan-out (lib/runtime/plan-stage.ts).
import { lambdaHandler } from '../../lib/runtime/lambda.js';
import { planStage } from '../../lib/runtime/plan-stage.js';

export const handler = lambdaHandler(planStage);
