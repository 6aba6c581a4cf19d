// The client's view of a running job (issue 6), read from the store while the execution
// runs, so it is the same whether the tasks are worker threads or Lambdas: a stage has
// started when plan-stage wrote its task list, a task is done when its done marker
// exists, and the attempts' progress records say what is running, how far it got and
// which attempts are speculative shadows. Each poll LISTs only the stages that are
// running or could start next, and GETs only the progress records that changed since
// the last poll and are not final yet.
import type { JobPlan, StatementPlan } from '../plan/job.js';
import type { TaskList } from '../runtime/plan-stage.js';
import type { AttemptProgress } from '../runtime/progress.js';
import { donePrefix, readJson, stagePrefix, taskOfKey, tasksKey, type StageEvent } from '../runtime/context.js';
import { fanOutStages, leadOf } from '../stages/fragment.js';
import { progressPrefix } from '../runtime/progress.js';
import type { ObjectInfo, ObjectStore } from '../store/object-store.js';
import { mapLimit } from '../store/util.js';

export interface StageProgress {
  /** index of the statement in the job (0-based, as in the plan) */
  readonly statement: number;
  readonly stage: number;
  readonly state: 'waiting' | 'running' | 'done';
  /** the fan-out plan-stage chose; 0 while waiting */
  readonly total: number;
  readonly done: number;
  /** tasks not done with at least one attempt running */
  readonly running: number;
  /** attempts that wrote a progress record (primaries, their retries and shadows) */
  readonly attempts: number;
  /** input rows and bytes processed: per task, the winner's final figures or its furthest running attempt's */
  readonly rows: number;
  readonly bytes: number;
  /** speculative attempts launched, and those whose output won their task */
  readonly shadows: number;
  readonly shadowsWon: number;
  /** epoch ms: when the task list was written, and when the last task finished */
  readonly startedAt?: number;
  readonly endedAt?: number;
}

export interface JobProgress {
  readonly queryId: string;
  /** the statement being run (the last one once all have run) */
  readonly statement: number;
  readonly statements: number;
  /** every stage of the job's dataflow statements, in plan order */
  readonly stages: readonly StageProgress[];
}

type Dataflow = Extract<StatementPlan, { kind: 'dataflow' }>;

interface StageState {
  readonly event: StageEvent;
  readonly inputs: readonly number[];
  total?: number;
  startedAt?: number;
  doneKeys: readonly ObjectInfo[];
  /** record key → the LIST entry it was read at, and what it said */
  readonly records: Map<string, { info: ObjectInfo; record: AttemptProgress }>;
  /** the winning attempt of tasks that had a shadow, from their done markers */
  readonly winners: Map<number, string>;
  /** every task done (the statement may move on) */
  finished: boolean;
  /** polls left after finishing, for attempts' final records written after the done marker */
  settling: number;
}

const FINAL: ReadonlySet<AttemptProgress['state']> = new Set(['won', 'lost', 'failed']);
const SETTLE_POLLS = 2;

/** Polls a job's progress from the store; one instance per execution. */
export class ProgressReader {
  private readonly stages: StageState[];

  constructor(private readonly store: ObjectStore, private readonly plan: JobPlan) {
    const flows = plan.statements.filter((s): s is Dataflow => s.kind === 'dataflow');
    // A stage that runs in another's tasks (a multi-insert's shared scan) is followed through that stage.
    this.stages = flows.flatMap((st) => {
      const lead = leadOf(st.stages);
      return st.stages.filter((s) => !lead.has(s.id)).map((s) => ({
        event: { queryId: plan.queryId, warehouse: store.root, statement: st.index, stage: s.id },
        inputs: fanOutStages(s, st.stages).flatMap((x) => x.inputs).map((i) => lead.get(i) ?? i), doneKeys: [], records: new Map(), winners: new Map(), finished: false, settling: SETTLE_POLLS,
      }));
    });
  }

  /** Reads what changed and returns the whole picture; `final` (the job has ended) rereads every finished stage once more. */
  async poll(final = false): Promise<JobProgress> {
    const settling = this.stages.filter((s) => s.finished && (final || s.settling > 0));
    for (const s of settling) s.settling--;
    await Promise.all(settling.map((s) => this.refresh(s)));
    // A stage found finished makes its downstream stages (or the next statement's) ready
    // within the same poll, so the last poll of a job sees all of it; each stage is read once.
    const read = new Set<StageState>(settling);
    for (;;) {
      const current = this.currentStatement();
      const ready = this.stages.filter((s) => s.event.statement === current && !s.finished && !read.has(s)
        && (s.total !== undefined || s.inputs.every((i) => this.stageOf(s.event.statement, i)?.finished ?? true)));
      if (ready.length === 0) break;
      for (const s of ready) read.add(s);
      await Promise.all(ready.map((s) => this.refresh(s)));
    }
    return this.snapshot();
  }

  private stageOf(statement: number, id: number): StageState | undefined {
    return this.stages.find((s) => s.event.statement === statement && s.event.stage === id);
  }

  /** The first statement with an unfinished stage: statements run one after another. */
  private currentStatement(): number | undefined {
    return this.stages.find((s) => !s.finished)?.event.statement;
  }

  private async refresh(s: StageState): Promise<void> {
    const listed = await this.store.list(`${stagePrefix(s.event)}/`);
    if (s.total === undefined) {
      const tasks = listed.find((o) => o.key === tasksKey(s.event));
      if (!tasks) return;
      s.total = (await readJson<TaskList>(this.store, tasks.key)).tasks.length;
      s.startedAt = tasks.lastModified;
    }
    s.doneKeys = listed.filter((o) => o.key.startsWith(donePrefix(s.event)));
    const changed = listed.filter((o) => {
      if (!o.key.startsWith(progressPrefix(s.event))) return false;
      const seen = s.records.get(o.key);
      return !seen || (!FINAL.has(seen.record.state) && (seen.info.lastModified !== o.lastModified || seen.info.size !== o.size));
    });
    await mapLimit(changed, 8, async (o) => {
      // A record can vanish between LIST and GET (a failed job's cleanup): keep the last one read.
      const record = await readJson<AttemptProgress>(this.store, o.key).catch(() => undefined);
      if (record) s.records.set(o.key, { info: o, record });
    });
    // Which attempt won a speculated task is what its done marker names (the arbiter), whatever order the records land in.
    const speculated = new Set([...s.records.values()].filter((r) => r.record.kind === 'shadow').map((r) => r.record.task));
    const undecided = s.doneKeys.filter((o) => speculated.has(taskOfKey(o.key)) && !s.winners.has(taskOfKey(o.key)));
    await mapLimit(undecided, 8, async (o) => {
      const body = await readJson<{ attempt: string }>(this.store, o.key).catch(() => undefined);
      if (body) s.winners.set(taskOfKey(o.key), body.attempt);
    });
    s.finished = s.doneKeys.length >= s.total;
  }

  private snapshot(): JobProgress {
    const current = this.currentStatement() ?? this.stages[this.stages.length - 1]?.event.statement ?? 0;
    return { queryId: this.plan.queryId, statement: current, statements: this.plan.statements.length, stages: this.stages.map(stageProgress) };
  }
}

/** The figures of one stage from its task list, done markers and attempts' records. */
function stageProgress(s: StageState): StageProgress {
  const done = new Set(s.doneKeys.map((o) => taskOfKey(o.key)));
  const records = [...s.records.values()].map((r) => r.record);
  const byTask = new Map<number, AttemptProgress[]>();
  for (const r of records) byTask.set(r.task, [...(byTask.get(r.task) ?? []), r]);
  let rows = 0;
  let bytes = 0;
  let running = 0;
  for (const [task, attempts] of byTask) {
    const winner = attempts.find((a) => a.attempt === s.winners.get(task)) ?? attempts.find((a) => a.state === 'won');
    // A shadow reads the same input as its primary: count the task once.
    const best = winner ?? attempts.reduce((a, b) => (b.bytes > a.bytes || (b.bytes === a.bytes && b.rows > a.rows) ? b : a));
    rows += best.rows;
    bytes += best.bytes;
    if (!done.has(task) && attempts.some((a) => a.state === 'running')) running++;
  }
  const shadows = records.filter((r) => r.kind === 'shadow');
  const state = s.total === undefined ? 'waiting' : done.size >= s.total ? 'done' : 'running';
  return {
    statement: s.event.statement, stage: s.event.stage, state, total: s.total ?? 0, done: done.size, running, attempts: records.length, rows, bytes,
    shadows: shadows.length, shadowsWon: shadows.filter((r) => s.winners.get(r.task) === r.attempt || r.state === 'won').length,
    startedAt: s.startedAt, endedAt: state === 'done' ? Math.max(...s.doneKeys.map((o) => o.lastModified)) : undefined,
  };
}

export interface ProgressWatch {
  /** Stops polling; with `final`, polls once more first so the last state is reported. */
  stop(final: boolean): Promise<void>;
}

/**
 * Polls every `intervalMs` (the next poll starts after the previous one ended, so polls
 * never pile up) and hands each picture to `report`. A failed poll is skipped: watching
 * must never fail the job.
 */
export function watchProgress(store: ObjectStore, plan: JobPlan, report: (p: JobProgress) => void, intervalMs: number): ProgressWatch {
  const reader = new ProgressReader(store, plan);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let polling: Promise<void> = Promise.resolve();
  const tick = () => {
    polling = reader.poll().then(report, () => undefined).finally(() => {
      if (!stopped) timer = setTimeout(tick, intervalMs).unref();
    });
  };
  tick();
  return {
    async stop(final) {
      stopped = true;
      clearTimeout(timer);
      await polling;
      if (final) await reader.poll(true).then(report, () => undefined);
    },
  };
}
