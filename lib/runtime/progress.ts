// Progress of task attempts (issue 6): every attempt of a stage task writes a small record
// while it runs, which is at once its heartbeat, the speculation detector's input and what
// `shoal run` shows live. One object per attempt, so writers never contend.
import { stagePrefix, type StageEvent } from './context.js';

/** Why an attempt exists: the Map's own invocation (and its retries), or a speculative shadow. */
export type AttemptKind = 'primary' | 'shadow';

export interface AttemptProgress {
  readonly task: number;
  /** the attempt id (also in its staging prefix and shuffle keys) */
  readonly attempt: string;
  readonly kind: AttemptKind;
  /** epoch milliseconds */
  readonly startedAt: number;
  readonly updatedAt: number;
  /** when rows or bytes last grew: a job whose attempts all stand still is aborted (shoal.job.no-progress-timeout) */
  readonly advancedAt: number;
  /** input rows and bytes processed so far (estimates while running, exact once finished) */
  readonly rows: number;
  readonly bytes: number;
  /** finished attempts say whether their output won the task (see doneKey) */
  readonly state: 'running' | 'won' | 'lost' | 'failed';
  /** a primary's task token: the watcher gives it to the task's shadow, whose SendTaskSuccess then completes the same Map iteration */
  readonly taskToken?: string;
}

export const progressPrefix = (e: StageEvent) => `${stagePrefix(e)}/progress/`;
export const progressKey = (e: StageEvent, task: number, attempt: string) =>
  `${progressPrefix(e)}t${String(task).padStart(5, '0')}-${attempt}.json`;
