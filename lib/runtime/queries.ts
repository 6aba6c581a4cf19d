// Queries submitted through the API: plan the SQL, reuse or create the state machine for
// the plan's shape (named by the hash of its definition, so every run of the same query
// shape shares one), start it under the query id, and answer status, result pages and
// aborts. Step Functions is behind the small `Executions` interface (the AWS adapter is
// sfn-executions.ts; tests run definitions on aws-local-stepfunctions).
import { aslHash } from '../asl/job-definition.js';
import { emitAsl, substitute, type FunctionName } from '../asl/emit.js';
import { Catalog } from '../catalog/catalog.js';
import { ShoalError } from '../common/errors.js';
import { readResult, type Value } from '../local/results.js';
import { planKey, resultSinkOf, type JobPlan } from '../plan/job.js';
import { planJob } from '../planner/plan-job.js';
import type { ObjectStore } from '../store/object-store.js';
import { resultInfoKey, type ResultInfo } from './commit.js';
import { donePrefix, readJson, tasksKey } from './context.js';
import { executionKey, publishPlan, type ExecutionRecord } from './start-job.js';

export interface ExecutionState {
  /** RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED (Step Functions' names) */
  readonly status: string;
  readonly error?: string;
  readonly cause?: string;
  readonly startDate?: string;
  readonly stopDate?: string;
}

export interface Executions {
  /** The state machine of that name, created with `definition` unless it exists; its ARN. */
  ensureMachine(name: string, definition: string): Promise<string>;
  /** Starts an execution; its ARN. */
  start(machineArn: string, name: string, input: string): Promise<string>;
  describe(executionArn: string): Promise<ExecutionState>;
  stop(executionArn: string, cause: string): Promise<void>;
}

export interface QueryService {
  readonly store: ObjectStore;
  readonly warehouse: string;
  readonly executions: Executions;
  /** state machines of submitted queries are named `<prefix><definition hash>` */
  readonly machinePrefix: string;
  readonly functionArns: Readonly<Record<FunctionName, string>>;
}

export interface SubmitRequest {
  readonly sql: string;
  readonly vars?: Readonly<Record<string, string>>;
  readonly name?: string;
}

export interface Submitted {
  readonly queryId: string;
  readonly executionArn: string;
  readonly stateMachineArn: string;
}

const QUERY_ID = /^[A-Za-z0-9_-]{1,80}$/;

export async function submitQuery(svc: QueryService, req: SubmitRequest): Promise<Submitted> {
  if (typeof req.sql !== 'string' || req.sql.trim() === '') throw new ShoalError('config', 'the request has no SQL: expected {"sql": "...", "vars": {...}}');
  const catalog = await new Catalog(svc.store).load();
  const plan = await planJob(req.sql, { name: req.name ?? 'query', file: req.name ?? '<query>', vars: req.vars, catalog, store: svc.store });
  const definition = JSON.stringify(substitute(emitAsl(plan), svc.functionArns));
  const machineArn = await svc.executions.ensureMachine(`${svc.machinePrefix}${aslHash(definition).slice(0, 16)}`, definition);
  // The plan is in place before the execution can ask for it.
  await publishPlan(svc.store, plan, { executionArn: '', vars: req.vars ?? {} });
  const executionArn = await svc.executions.start(machineArn, plan.queryId, JSON.stringify({ queryId: plan.queryId, warehouse: svc.warehouse }));
  await svc.store.put(executionKey(plan.queryId), JSON.stringify({ executionArn, vars: req.vars ?? {} } satisfies ExecutionRecord));
  return { queryId: plan.queryId, executionArn, stateMachineArn: machineArn };
}

export interface StageProgress { readonly stage: number; readonly tasks?: number; readonly done: number }
export interface StatementStatus {
  readonly index: number;
  readonly kind: JobPlan['statements'][number]['kind'];
  readonly text: string;
  readonly stages?: readonly StageProgress[];
  /** where a SELECT's rows are, once committed: the Parquet object and its row count */
  readonly result?: { readonly uri?: string; readonly rows: number };
}
export interface QueryStatus extends ExecutionState {
  readonly queryId: string;
  readonly executionArn: string;
  readonly statements: readonly StatementStatus[];
}

/** The query's execution record; undefined when there is no such query (or its files expired). */
async function record(svc: QueryService, queryId: string): Promise<ExecutionRecord | undefined> {
  if (!QUERY_ID.test(queryId)) throw new ShoalError('config', `'${queryId}' is not a query id: expected letters, digits, _ and -`);
  if (!(await svc.store.head(executionKey(queryId)))) return undefined;
  return readJson<ExecutionRecord>(svc.store, executionKey(queryId));
}

export async function queryStatus(svc: QueryService, queryId: string): Promise<QueryStatus | undefined> {
  const rec = await record(svc, queryId);
  if (!rec) return undefined;
  const state = await svc.executions.describe(rec.executionArn);
  const plan = await readJson<JobPlan>(svc.store, planKey(queryId)).catch(() => undefined);
  const statements = await Promise.all((plan?.statements ?? []).map(async (st): Promise<StatementStatus> => {
    const base = { index: st.index, kind: st.kind, text: st.text };
    if (st.kind !== 'dataflow') return base;
    const stages = await Promise.all(st.stages.map(async (s) => {
      const e = { queryId, warehouse: svc.warehouse, statement: st.index, stage: s.id };
      const tasks = await readJson<{ tasks: unknown[] }>(svc.store, tasksKey(e)).then((l) => l.tasks.length, () => undefined);
      return { stage: s.id, tasks, done: (await svc.store.list(donePrefix(e))).length };
    }));
    if (!resultSinkOf(st)) return { ...base, stages };
    const info = await readJson<ResultInfo>(svc.store, resultInfoKey(queryId, st.index)).catch(() => undefined);
    return { ...base, stages, result: info ? { uri: info.key ? `${svc.warehouse}/${info.key}` : undefined, rows: info.rows } : undefined };
  }));
  return { queryId, executionArn: rec.executionArn, ...state, statements };
}

export interface RowsPage {
  readonly queryId: string;
  readonly statement: number;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly Value[])[];
  readonly offset: number;
  /** the offset of the next page, absent on the last */
  readonly next?: number;
}

/** A page of a SELECT's result rows. */
export async function resultRows(svc: QueryService, queryId: string, statement: number, offset: number, limit: number): Promise<RowsPage | undefined> {
  if (!(await record(svc, queryId))) return undefined;
  const plan = await readJson<JobPlan>(svc.store, planKey(queryId));
  const st = plan.statements[statement];
  const sink = st?.kind === 'dataflow' ? resultSinkOf(st) : undefined;
  if (!sink) throw new ShoalError('config', `statement ${statement} of ${queryId} returns no rows: expected one of ${plan.statements.filter((s) => s.kind === 'dataflow' && resultSinkOf(s)).map((s) => s.index).join(', ') || '(none)'}`);
  const info = await readJson<ResultInfo>(svc.store, resultInfoKey(queryId, statement)).catch(() => {
    throw new ShoalError('config', `statement ${statement} of ${queryId} has no committed rows yet`);
  });
  const all = await readResult(svc.store, info.key, sink.columns);
  const rows = all.slice(offset, offset + limit);
  return { queryId, statement, columns: sink.columns.map((c) => c.name), rows, offset, next: offset + rows.length < all.length ? offset + rows.length : undefined };
}

export async function abortQuery(svc: QueryService, queryId: string): Promise<ExecutionState | undefined> {
  const rec = await record(svc, queryId);
  if (!rec) return undefined;
  await svc.executions.stop(rec.executionArn, 'aborted through the API');
  return svc.executions.describe(rec.executionArn);
}
