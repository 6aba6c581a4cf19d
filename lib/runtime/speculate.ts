// speculate: a stage's watcher. While the stage's Map runs, a branch beside it (emit.ts)
// calls this every shoal.speculation.interval. It reads the stage's task list, done keys
// and attempt progress records and
//  * launches one shadow attempt of each straggler (Flink's speculative execution): once
//    min-finished-ratio of the tasks have finished, a task whose running primary has run
//    longer than multiplier × the median duration of the finished ones, and at least
//    min-runtime, is run again on another invocation with the same input and the same
//    task token, so that whichever attempt publishes first completes the Map iteration;
//  * fails the job with Shoal.NoProgressError when no attempt of the stage has advanced
//    (rows or bytes) for shoal.job.no-progress-timeout: the state machine's catcher then
//    runs the cleanup, which leaves every table as it was.
// It says `done` once every task has a done key (or the job has ended), which ends the
// watcher where the Map's completion does not stop it at once.
import { ShoalError } from '../common/errors.js';
import { booleanSetting, durationSetting, ratioSetting } from '../planner/settings.js';
import { dataflow, donePrefix, endedKey, readJson, stagePrefix, storeFor, taskOfKey, tasksKey, type StageEvent } from './context.js';
import type { TaskList } from './plan-stage.js';
import { progressPrefix, type AttemptProgress } from './progress.js';
import { services } from './services.js';
import type { TaskRun } from './attempt.js';

export interface WatchResult {
  readonly done: boolean;
  /** the tasks that got a shadow attempt in this call */
  readonly shadows: readonly number[];
}

export interface SpeculationPolicy {
  readonly enabled: boolean;
  readonly minFinishedRatio: number;
  readonly multiplier: number;
  readonly minRuntimeMs: number;
}

export function speculationPolicy(settings: Readonly<Record<string, string>>): SpeculationPolicy {
  return {
    enabled: booleanSetting(settings, 'shoal.speculation.enabled'),
    minFinishedRatio: ratioSetting(settings, 'shoal.speculation.min-finished-ratio'),
    multiplier: ratioSetting(settings, 'shoal.speculation.multiplier'),
    minRuntimeMs: durationSetting(settings, 'shoal.speculation.min-runtime'),
  };
}

/** What the watcher knows about a stage at one moment. */
export interface StageView {
  readonly total: number;
  readonly done: ReadonlySet<number>;
  readonly records: readonly AttemptProgress[];
  /** tasks that already got a shadow */
  readonly shadowed: ReadonlySet<number>;
  readonly now: number;
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** The stragglers to shadow now, each with the running primary whose task token the shadow takes. */
export function stragglers(v: StageView, p: SpeculationPolicy): AttemptProgress[] {
  if (!p.enabled || v.total === 0 || v.done.size / v.total < p.minFinishedRatio) return [];
  const durations = v.records.filter((r) => r.state === 'won').map((r) => r.updatedAt - r.startedAt);
  if (durations.length === 0) return [];
  const threshold = Math.max(p.minRuntimeMs, p.multiplier * median(durations));
  const out: AttemptProgress[] = [];
  for (let t = 0; t < v.total; t++) {
    if (v.done.has(t) || v.shadowed.has(t) || v.records.some((r) => r.task === t && r.kind === 'shadow')) continue;
    // the task's current primary: a retry replaces an attempt that failed or timed out
    const primary = v.records.filter((r) => r.task === t && r.kind === 'primary' && r.state === 'running').sort((a, b) => b.startedAt - a.startedAt)[0];
    if (primary?.taskToken && v.now - primary.startedAt > threshold) out.push(primary);
  }
  return out;
}

/** Milliseconds since any attempt of the stage last advanced (or, before any has, since the stage was planned). */
export function standingStillFor(records: readonly AttemptProgress[], plannedAt: number, now: number): number {
  return now - Math.max(plannedAt, ...records.map((r) => r.advancedAt));
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
export const shadowPrefix = (e: StageEvent) => `${stagePrefix(e)}/shadows/`;

export async function speculate(e: StageEvent): Promise<WatchResult> {
  const store = storeFor(e.warehouse);
  const stmt = await dataflow(e);
  const now = Date.now();
  const objects = await store.list(`${stagePrefix(e)}/`);
  const under = (prefix: string) => objects.filter((o) => o.key.startsWith(prefix));
  const planned = objects.find((o) => o.key === tasksKey(e));
  if (!planned || (await store.head(endedKey(e.queryId)))) return { done: true, shadows: [] };
  const list = await readJson<TaskList>(store, tasksKey(e));
  const done = new Set(under(donePrefix(e)).map((o) => taskOfKey(o.key)));
  if (done.size >= list.tasks.length) return { done: true, shadows: [] };
  const records = (await Promise.all(under(progressPrefix(e)).map((o) => readJson<AttemptProgress>(store, o.key).catch(() => undefined))))
    .filter((r): r is AttemptProgress => r !== undefined);

  const still = standingStillFor(records, planned.lastModified, now);
  const limit = durationSetting(stmt.settings, 'shoal.job.no-progress-timeout');
  if (still > limit) {
    throw new ShoalError('noProgress', `no task of statement ${e.statement}, stage ${e.stage} advanced for ${seconds(still)} (shoal.job.no-progress-timeout=${seconds(limit)}): the job was aborted`);
  }

  const shadowed = new Set(under(shadowPrefix(e)).map((o) => taskOfKey(o.key)));
  const launch = stragglers({ total: list.tasks.length, done, records, shadowed, now }, speculationPolicy(stmt.settings));
  const shadows: number[] = [];
  const { invoker } = await services();
  for (const primary of launch) {
    // one shadow per task, even if two watcher calls overlap (a retried Speculate)
    if (!(await store.putIfAbsent(`${shadowPrefix(e)}t${String(primary.task).padStart(5, '0')}`, primary.attempt))) continue;
    const run: TaskRun = { queryId: e.queryId, warehouse: e.warehouse, statement: e.statement, stage: e.stage, task: primary.task, kind: 'shadow', taskToken: primary.taskToken };
    await invoker.invokeAsync('RunTask', run);
    shadows.push(primary.task);
  }
  return { done: false, shadows };
}
