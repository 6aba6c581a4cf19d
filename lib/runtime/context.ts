// What every handler needs from its event: the store, the job's plan and its keys.
// Stores and plans are cached per container; a plan never changes once written.
import { taskError } from '../common/errors.js';
import type { JobPlan, StatementPlan } from '../plan/job.js';
import { jobPrefix, planKey } from '../plan/job.js';
import type { Stage } from '../stages/stage.js';
import type { ObjectStore } from '../store/object-store.js';
import { openStore } from '../store/open-store.js';

export interface JobEvent {
  readonly queryId: string;
  readonly warehouse: string;
}
export interface StatementEvent extends JobEvent { readonly statement: number }
export interface StageEvent extends StatementEvent { readonly stage: number }
export interface TaskEvent extends StageEvent { readonly task: number }

const stores = new Map<string, ObjectStore>();
const plans = new Map<string, JobPlan>();

export function storeFor(warehouse: string): ObjectStore {
  let s = stores.get(warehouse);
  if (!s) stores.set(warehouse, (s = openStore(warehouse)));
  return s;
}

export async function loadPlan(e: JobEvent): Promise<JobPlan> {
  const k = `${e.warehouse}|${e.queryId}`;
  let p = plans.get(k);
  if (!p) {
    p = JSON.parse(new TextDecoder().decode(await storeFor(e.warehouse).get(planKey(e.queryId)))) as JobPlan;
    plans.set(k, p);
  }
  return p;
}

export async function dataflow(e: StatementEvent): Promise<Extract<StatementPlan, { kind: 'dataflow' }>> {
  const s = (await loadPlan(e)).statements[e.statement];
  if (!s || s.kind !== 'dataflow') throw new Error(`statement ${e.statement} of ${e.queryId} is not a dataflow statement`);
  return s;
}

export function stageOf(s: { stages: readonly Stage[] }, id: number): Stage {
  const st = s.stages.find((x) => x.id === id);
  if (!st) throw new Error(`no stage ${id}`);
  return st;
}

export const stagePrefix = (e: StageEvent) => `${jobPrefix(e.queryId)}/s${e.statement}/st${e.stage}`;
export const tasksKey = (e: StageEvent) => `${stagePrefix(e)}/tasks.json`;
/** Written with put-if-absent by the attempt that wins a task: the arbiter between retries and speculative copies. */
export const doneKey = (e: StageEvent, task: number) => `${stagePrefix(e)}/done/${String(task).padStart(5, '0')}.json`;
export const donePrefix = (e: StageEvent) => `${stagePrefix(e)}/done/`;
/** The task a done key (or another per-task marker ending in its number) belongs to. */
export const taskOfKey = (key: string) => Number(/(\d+)(?:\.json)?$/.exec(key)![1]);

/** Written by the cleanup before it deletes anything; an attempt still running after that removes its own output. */
export const endedKey = (queryId: string) => `${jobPrefix(queryId)}/ended`;

/**
 * Called by a task attempt after its uploads, before it publishes: a failed job's Map
 * stops waiting for its other iterations, which may still be uploading when the cleanup
 * runs. Either the cleanup lists the files (uploaded before the marker), or the attempt
 * sees the marker (uploaded after it) and deletes them itself.
 */
export async function abandonIfEnded(store: ObjectStore, queryId: string, own: readonly string[]): Promise<void> {
  if (!(await store.head(endedKey(queryId)))) return;
  await store.delete(own);
  throw taskError(`job ${queryId} has already ended; this late attempt removed its output`, false);
}

export async function readJson<T>(store: ObjectStore, key: string): Promise<T> {
  return JSON.parse(new TextDecoder().decode(await store.get(key))) as T;
}
