// Fault injection for tests: `SET shoal.test.inject-failure=<point>` makes the handler at
// that point fail the way a crashed Lambda would, so that tests can check that a failed
// job leaves every table as it was. Points:
//   task            a writer task dies after uploading part of its files (task 0 of the sink stage)
//   task-transient  the first attempt of every writer task dies the same way with a retryable
//                   error; the retry must win and the dead attempt's files must not be committed
//   compact         a compaction task dies after uploading its merged file
//   before-commit   the commit step fails before it changes anything
//   during-commit   the commit step dies after placing part of the table files, before the catalog switch
// Stragglers and hangs (issue 6), each naming a task as <stage>:<task> (any statement):
//   shoal.test.slow-task=<stage>:<task>:<ms>  the task's first attempt waits <ms> after uploading its
//                   output, before publishing it, reporting progress and stopping when another
//                   attempt wins (a straggler; its uploaded files are what it must then remove)
//   shoal.test.hang-task=<stage>:<task>       the task's first attempt stops reporting (no progress
//                   record, no heartbeat) and, output uploaded, waits until another attempt wins (a hung task)
//   shoal.test.stall-task=<stage>:<task>      every attempt of the task keeps its heartbeat but never
//                   advances, and waits until the job ends (a hung job)
import { ShoalError } from '../common/errors.js';
import { jobPrefix } from '../plan/job.js';
import type { ObjectStore } from '../store/object-store.js';
import type { AttemptKind } from './progress.js';

export type Settings = Readonly<Record<string, string>>;
export const FAILURE_POINTS = ['task', 'task-transient', 'compact', 'before-commit', 'during-commit'] as const;
export type FailurePoint = (typeof FAILURE_POINTS)[number];
const KEY = 'shoal.test.inject-failure';

export function failurePoint(settings: Settings): FailurePoint | undefined {
  const v = settings[KEY]?.trim();
  if (!v) return undefined;
  if (!(FAILURE_POINTS as readonly string[]).includes(v)) throw new ShoalError('config', `${KEY}=${v}: expected one of ${FAILURE_POINTS.join(', ')}`);
  return v as FailurePoint;
}

export const injectedFailure = (point: FailurePoint, retryable = false) =>
  new ShoalError('task', `injected failure at '${point}' (${KEY})`, { retryable });

/** Throws at `point` when it is set; `task-transient` fails only the first attempt of each `what`. */
export async function injectTransient(store: ObjectStore, settings: Settings, point: 'task', what: string, queryId: string): Promise<void> {
  if (failurePoint(settings) !== `${point}-transient`) return;
  if (await store.putIfAbsent(`${jobPrefix(queryId)}/injected/${what}`, '')) throw injectedFailure(`${point}-transient`, true);
}

export function inject(settings: Settings, point: FailurePoint): void {
  if (failurePoint(settings) === point) throw injectedFailure(point);
}

export type TaskHook = { readonly kind: 'slow'; readonly ms: number } | { readonly kind: 'hang' | 'stall' };
const HOOKS = { slow: 'shoal.test.slow-task', hang: 'shoal.test.hang-task', stall: 'shoal.test.stall-task' } as const;

/** The straggler or hang hook set for this task, if any; `slow` and `hang` apply to the task's first attempt only. */
export async function taskHook(store: ObjectStore, settings: Settings, e: { queryId: string; statement: number; stage: number; task: number; kind?: AttemptKind }): Promise<TaskHook | undefined> {
  for (const [kind, key] of Object.entries(HOOKS) as [keyof typeof HOOKS, string][]) {
    const v = settings[key]?.trim();
    if (!v) continue;
    const m = /^(\d+):(\d+)(?::(\d+))?$/.exec(v);
    if (!m || (kind === 'slow') !== (m[3] !== undefined)) throw new ShoalError('config', `${key}=${v}: expected ${kind === 'slow' ? '<stage>:<task>:<ms>' : '<stage>:<task>'}`);
    if (Number(m[1]) !== e.stage || Number(m[2]) !== e.task) continue;
    // a shadow is never the first attempt (and s3rver, which ignores put-if-absent, cannot tell)
    if (kind !== 'stall' && (e.kind === 'shadow' || !(await store.putIfAbsent(`${jobPrefix(e.queryId)}/injected/${kind}-s${e.statement}-st${e.stage}-t${e.task}`, '')))) continue;
    return kind === 'slow' ? { kind, ms: Number(m[3]) } : { kind };
  }
  return undefined;
}
