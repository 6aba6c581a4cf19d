// One attempt of a stage task while it runs: it writes its progress record (progress.ts)
// every few seconds, sends the Task state's heartbeat with it, and watches for the two
// reasons to stop early: another attempt of the task has published (its done key exists:
// this one lost, see doneKey) or the job has ended (the cleanup's `ended` marker). It then
// calls what run-task registered (interrupting DuckDB), and run-task deletes what the
// attempt wrote. Stopping is cooperative: a stopped attempt can at worst still publish
// nothing, because publish() is a put-if-absent on the done key.
import { durationSetting } from '../planner/settings.js';
import type { ObjectStore } from '../store/object-store.js';
import { doneKey, endedKey, type TaskEvent } from './context.js';
import { progressKey, type AttemptKind, type AttemptProgress } from './progress.js';
import type { TaskCallbacks } from './services.js';

/** What the state machine (or a watcher launching a shadow) passes to run-task besides the task. */
export interface TaskRun extends TaskEvent {
  /** the `.waitForTaskToken` token of the task's Map iteration; absent when run-task is called directly */
  readonly taskToken?: string;
  readonly kind?: AttemptKind;
}

export type StopReason = 'lost' | 'ended';

/** Rows and bytes an attempt has processed so far. */
export interface Sample { readonly rows: number; readonly bytes: number }

/**
 * How often an attempt reports: shoal.task.progress-interval (each report is a PUT and a
 * heartbeat call: 5 s keeps them a few percent of a task's cost), and at least three times
 * per heartbeat timeout, so that one slow report does not let the Task state time out.
 */
export function reportInterval(settings: Readonly<Record<string, string>>): number {
  const every = durationSetting(settings, 'shoal.task.progress-interval');
  return Math.max(20, Math.min(every, Math.floor(durationSetting(settings, 'shoal.task.heartbeat-timeout') / 3)));
}

export class Attempt {
  readonly startedAt = Date.now();
  private rows = 0;
  private bytes = 0;
  private advancedAt = this.startedAt;
  private reason: StopReason | undefined;
  private readonly stopHandlers: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> = Promise.resolve();
  private running = false;
  /** test hooks: a silent attempt sends nothing (a hung task); a frozen one reports no advance (a hung job) */
  silent = false;
  frozen = false;
  sample: () => Sample = () => ({ rows: 0, bytes: 0 });
  /**
   * The done keys whose existence means another attempt won: every stage the task computes
   * (a shared fan-out publishes one per stage, and a rival that won the first may yet fail
   * before the others, which this attempt must then still publish).
   */
  doneKeys: readonly string[] | undefined;

  constructor(
    private readonly store: ObjectStore,
    private readonly e: TaskRun,
    readonly id: string,
    private readonly callbacks: TaskCallbacks | undefined,
    private readonly interval: number,
    /** from when on another attempt could exist: a primary has no rival before the speculation's min-runtime */
    private readonly rivalAfter: number,
  ) {}

  get kind(): AttemptKind { return this.e.kind ?? 'primary'; }
  get stopped(): StopReason | undefined { return this.reason; }

  /** Called once the attempt stops early (immediately if it already has). */
  onStop(fn: () => void): void {
    if (this.reason) fn();
    else this.stopHandlers.push(fn);
  }

  /** Resolves once the attempt is told to stop; never resolves otherwise. */
  untilStopped(): Promise<StopReason> {
    return new Promise((resolve) => this.onStop(() => resolve(this.reason!)));
  }

  async start(): Promise<void> {
    this.running = true;
    if (!this.silent) await this.report('running');
    this.schedule();
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.ticking = this.tick().catch(() => undefined).finally(() => this.schedule());
    }, this.interval);
  }

  private async tick(): Promise<void> {
    if (!this.silent) await this.report('running');
    const now = Date.now();
    if ((this.kind === 'shadow' || now - this.startedAt >= this.rivalAfter) && (await this.rivalDone())) this.stop('lost');
    else if (await this.store.head(endedKey(this.e.queryId))) this.stop('ended');
  }

  private async rivalDone(): Promise<boolean> {
    for (const k of this.doneKeys ?? [doneKey(this.e, this.e.task)]) if (!(await this.store.head(k))) return false;
    return true;
  }

  private stop(reason: StopReason): void {
    if (this.reason) return;
    this.reason = reason;
    for (const fn of this.stopHandlers.splice(0)) fn();
  }

  /**
   * Stops reporting and waits for a report in flight: before publishing, so that no late
   * tick can take the own done key for a rival's. With `exact` it then reports the final
   * figures, so that whoever sees the done key finds them already in the record.
   */
  async quiesce(exact?: Partial<Sample>): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.ticking;
    if (exact && !this.reason) await this.report('running', exact);
  }

  /** The last record: the attempt's final state and its exact figures. */
  async finish(state: AttemptProgress['state'], exact?: Partial<Sample>): Promise<void> {
    await this.quiesce();
    await this.report(state, exact).catch(() => undefined);
  }

  private async report(state: AttemptProgress['state'], exact: Partial<Sample> = {}): Promise<void> {
    const now = Date.now();
    const s = this.sample();
    if (!this.frozen && (s.rows > this.rows || s.bytes > this.bytes)) {
      this.rows = Math.max(this.rows, s.rows);
      this.bytes = Math.max(this.bytes, s.bytes);
      this.advancedAt = now;
    }
    const record: AttemptProgress = {
      task: this.e.task, attempt: this.id, kind: this.kind, startedAt: this.startedAt, updatedAt: now, advancedAt: this.advancedAt,
      rows: exact.rows ?? this.rows, bytes: exact.bytes ?? this.bytes, state,
      ...(this.e.taskToken && this.kind === 'primary' ? { taskToken: this.e.taskToken } : {}),
    };
    await this.store.put(progressKey(this.e, this.e.task, this.id), JSON.stringify(record));
    if (state === 'running' && this.e.taskToken) await this.callbacks?.heartbeat(this.e.taskToken).catch(() => false);
  }
}
