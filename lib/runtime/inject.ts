// Fault injection for tests: `SET shoal.test.inject-failure=<point>` makes the handler at
// that point fail the way a crashed Lambda would, so that tests can check that a failed
// job leaves every table as it was. Points:
//   task            a writer task dies after uploading part of its files (task 0 of the sink stage)
//   task-transient  the first attempt of every writer task dies the same way with a retryable
//                   error; the retry must win and the dead attempt's files must not be committed
//   compact         a compaction task dies after uploading its merged file
//   before-commit   the commit step fails before it changes anything
//   during-commit   the commit step dies after placing part of the table files, before the catalog switch
import { ShoalError } from '../common/errors.js';
import { jobPrefix } from '../plan/job.js';
import type { ObjectStore } from '../store/object-store.js';

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
