// StartJob: the first state of a deployed job's state machine. Resolves the job's
// variables for the run's time, plans the script against the live catalog, checks that
// the plan still has the deployed states, and writes the plan where every later task
// reads it. The execution's name is the query id, so the execution-status rule and the
// API find the job's files from the execution alone.
import { aslHash, type StartJobEvent } from '../asl/job-definition.js';
import { emitAsl } from '../asl/emit.js';
import { Catalog } from '../catalog/catalog.js';
import { ShoalError } from '../common/errors.js';
import { planKey, jobPrefix, type JobPlan } from '../plan/job.js';
import { parseJobHeader, resolveVars } from '../planner/job-header.js';
import { planJob } from '../planner/plan-job.js';
import type { ObjectStore } from '../store/object-store.js';
import { storeFor, type JobEvent } from './context.js';

export const executionKey = (queryId: string) => `${jobPrefix(queryId)}/execution.json`;

export interface ExecutionRecord {
  readonly executionArn: string;
  readonly job?: string;
  readonly vars: Readonly<Record<string, string>>;
}

export interface StartJobResult extends JobEvent {
  readonly vars: Readonly<Record<string, string>>;
}

/** Writes the plan and the execution record: what every task and the status API read. */
export async function publishPlan(store: ObjectStore, plan: JobPlan, record: ExecutionRecord): Promise<void> {
  await store.put(planKey(plan.queryId), JSON.stringify(plan));
  await store.put(executionKey(plan.queryId), JSON.stringify(record));
}

export async function startJob(e: StartJobEvent, warehouse: string): Promise<StartJobResult> {
  const store = storeFor(warehouse);
  const file = `jobs/${e.job}.sql`;
  const time = new Date(e.input.time ?? e.startTime);
  const vars = resolveVars(parseJobHeader(e.sql, file), e.input.vars ?? {}, time);
  const catalog = await new Catalog(store).load();
  const plan = await planJob(e.sql, { name: e.job, file, vars, catalog, store, queryId: e.executionName });
  if (aslHash(emitAsl(plan)) !== e.aslHash) {
    throw new ShoalError('config', `${file}: today's plan of job ${e.job} has other stages than the state machine deployed for it (the script, its settings or the tables it creates changed since \`cdk deploy\`); deploy again`);
  }
  await publishPlan(store, plan, { executionArn: e.executionArn, job: e.job, vars });
  return { queryId: plan.queryId, warehouse, vars };
}
