// start-job: the first state of a deployed job's state machine (lib/runtime/start-job.ts).
import type { StartJobEvent } from '../../lib/asl/job-definition.js';
import { deployedWarehouse, lambdaHandler } from '../../lib/runtime/lambda.js';
import { startJob } from '../../lib/runtime/start-job.js';

export const handler = lambdaHandler((e: StartJobEvent) => startJob(e, deployedWarehouse()));
