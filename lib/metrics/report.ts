// The job report (`shoal run --metrics FILE`): the invocations' records gathered from
// the store and folded per stage, with totals and where the wall time went.
import type { FunctionName } from '../asl/emit.js';
import type { JobPlan } from '../plan/job.js';
import type { Stage, StageOutput } from '../stages/stage.js';
import type { ObjectStore } from '../store/object-store.js';
import { mapLimit } from '../store/util.js';
import { leaves } from '../runtime/plan-stage.js';
import { attributeWallTime, emptyTimes, type Span } from './attribution.js';
import { addCounts, metricsPrefix, zeroCounts, type Category, type InvocationMetrics, type S3Counts } from './record.js';

export interface Spread { readonly min: number; readonly median: number; readonly max: number }

/**
 * What speculative execution did (issue 6). A task is speculated when a shadow attempt
 * was launched for it; the winner is the attempt whose output was published.
 */
export interface Speculation {
  readonly shadows: number;
  readonly shadowsWon: number;
  /**
   * A lower bound of the time speculation saved: over the tasks a shadow won, the sum of
   * (the primary's end − the shadow's end). The primary was still running when the
   * shadow finished (else it would have won), so without the shadow its task would
   * have ended no earlier than the primary did. The primary is stopped once it notices
   * it lost, so the bound can be far below the real gain; the bench measures that by
   * running the same stage with speculation off. A primary that left no record counts 0.
   */
  readonly timeSavedMs: number;
  /** the attempts of speculated tasks that lost (a primary a shadow beat, or a shadow its primary beat) and what they spent */
  readonly lostAttempts: number;
  /** their summed duration (what Lambda bills) */
  readonly lostTaskMs: number;
  readonly lostBytesRead: number;
  readonly lostBytesWritten: number;
}

export interface StageMetrics {
  readonly statement: number;
  readonly id: number;
  /** what the stage writes: hash-partitioned or single shuffle output, a broadcast, or the sink */
  readonly kind: StageOutput['kind'];
  /** what its leaves read */
  readonly reads: readonly ('table' | 'shuffle' | 'broadcast' | 'values')[];
  /** the fan-out plan-stage chose */
  readonly tasks: number;
  /** task invocations, counting retries and speculative copies */
  readonly attempts: number;
  /** fine output partitions (1 unless hash-partitioned) */
  readonly partitions: number;
  /** winning attempts only: bytes downloaded as input, bytes written to the store, rows */
  readonly inputBytes: number;
  readonly outputBytes: number;
  readonly inputRows: number;
  readonly outputRows: number;
  /** from plan-stage's start to the end of the stage's last task */
  readonly durationMs: number;
  /** every attempt and the stage's plan-stage */
  readonly s3: S3Counts;
  readonly taskMs: Spread;
  readonly taskInputBytes: Spread;
  readonly speculation: Speculation;
}

export interface JobMetrics {
  readonly queryId: string;
  readonly wallMs: number;
  readonly stages: readonly StageMetrics[];
  readonly totals: {
    readonly stages: number;
    readonly tasks: number;
    readonly attempts: number;
    readonly failedInvocations: number;
    readonly inputBytes: number;
    readonly outputBytes: number;
    /** bytes written by stages that feed other stages */
    readonly shuffleBytes: number;
    readonly inputRows: number;
    readonly outputRows: number;
    readonly s3: S3Counts;
    /** per handler: invocations and their summed duration (what Lambda bills) */
    readonly invocations: Readonly<Record<FunctionName, { count: number; ms: number }>>;
    /** highest process RSS any invocation saw at its end */
    readonly peakRss: number;
    readonly speculation: Speculation;
  };
  readonly time: {
    /** the wall time, shared among what ran at each instant (sums to wallMs) */
    readonly wallMs: Readonly<Record<Category, number>>;
    /** summed over invocations, as if run one after another */
    readonly busyMs: Readonly<Record<Category, number>>;
  };
}

/** Client-side part of a run: the whole window and what the client did itself (planning, fetching results). */
export interface ClientTimes {
  readonly start: number;
  readonly end: number;
  readonly spans?: readonly Span[];
}

export async function readInvocations(store: ObjectStore, queryId: string): Promise<InvocationMetrics[]> {
  const keys = await store.list(metricsPrefix(queryId));
  return mapLimit(keys, 16, async (k) => JSON.parse(new TextDecoder().decode(await store.get(k.key))) as InvocationMetrics);
}

function spread(xs: readonly number[]): Spread {
  if (xs.length === 0) return { min: 0, median: 0, max: 0 };
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return { min: s[0]!, median: s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2, max: s[s.length - 1]! };
}

const sum = <T>(xs: readonly T[], f: (x: T) => number) => xs.reduce((a, x) => a + f(x), 0);

function readsOf(stage: Stage): StageMetrics['reads'] {
  const kinds = leaves(stage.fragment).map((l) => (l.kind === 'scan' ? 'table' : l.kind === 'shuffleRead' ? (l.dist.kind === 'broadcast' ? 'broadcast' : 'shuffle') : 'values'));
  return [...new Set(kinds)].sort() as StageMetrics['reads'];
}

const SPECULATION_FIELDS = ['shadows', 'shadowsWon', 'timeSavedMs', 'lostAttempts', 'lostTaskMs', 'lostBytesRead', 'lostBytesWritten'] as const;

/** Speculation figures of one stage's task attempts (see Speculation for the definitions). */
export function speculationOf(attempts: readonly InvocationMetrics[]): Speculation {
  const out: Record<keyof Speculation, number> = Object.fromEntries(SPECULATION_FIELDS.map((k) => [k, 0])) as Record<keyof Speculation, number>;
  const byTask = new Map<number, InvocationMetrics[]>();
  for (const m of attempts) byTask.set(m.task ?? -1, [...(byTask.get(m.task ?? -1) ?? []), m]);
  for (const tries of byTask.values()) {
    const shadows = tries.filter((m) => m.kind === 'shadow');
    if (shadows.length === 0) continue;
    out.shadows += shadows.length;
    const winner = tries.find((m) => m.won === true);
    if (winner?.kind === 'shadow') {
      out.shadowsWon++;
      const primaries = tries.filter((m) => m.kind !== 'shadow');
      const primaryEnd = Math.max(winner.end, ...primaries.map((m) => m.end));
      out.timeSavedMs += primaryEnd - winner.end;
    }
    for (const m of tries) {
      if (m === winner) continue;
      out.lostAttempts++;
      out.lostTaskMs += m.end - m.start;
      out.lostBytesRead += m.s3.bytesRead;
      out.lostBytesWritten += m.s3.bytesWritten;
    }
  }
  return out;
}

function addSpeculation(xs: readonly Speculation[]): Speculation {
  return Object.fromEntries(SPECULATION_FIELDS.map((k) => [k, sum(xs, (x) => x[k])])) as unknown as Speculation;
}

function stageMetrics(statement: number, stage: Stage, all: readonly InvocationMetrics[]): StageMetrics {
  const mine = all.filter((m) => m.statement === statement && m.stage === stage.id);
  const plan = mine.filter((m) => m.fn === 'PlanStage');
  const attempts = mine.filter((m) => m.fn === 'RunTask');
  // A task whose attempt did not say (a failed one) never counts as the winner.
  const won = attempts.filter((m) => m.won === true);
  const start = Math.min(...mine.map((m) => m.start));
  const end = Math.max(...mine.map((m) => m.end));
  return {
    statement, id: stage.id, kind: stage.output.kind, reads: readsOf(stage),
    tasks: plan.reduce((n, m) => Math.max(n, m.tasks ?? 0), 0),
    attempts: attempts.length,
    partitions: stage.output.kind === 'hash' ? stage.output.partitions : 1,
    inputBytes: sum(won, (m) => m.inputBytes),
    outputBytes: sum(won, (m) => m.outputBytes),
    inputRows: sum(won, (m) => m.inputRows),
    outputRows: sum(won, (m) => m.outputRows),
    durationMs: mine.length ? end - start : 0,
    s3: mine.reduce((a, m) => addCounts(a, m.s3), zeroCounts()),
    taskMs: spread(won.map((m) => m.end - m.start)),
    taskInputBytes: spread(won.map((m) => m.inputBytes)),
    speculation: speculationOf(attempts),
  };
}

const rounded = (t: Record<Category, number>) => Object.fromEntries(Object.entries(t).map(([k, v]) => [k, Math.round(v * 10) / 10])) as Record<Category, number>;

/** Each invocation's segments laid end to end from its start, for the wall-time attribution. */
export function spansOf(m: InvocationMetrics): Span[] {
  const out: Span[] = [];
  let t = m.start;
  for (const s of m.segments) {
    out.push({ category: s.category, start: t, end: t + s.ms });
    t += s.ms;
  }
  return out;
}

export function buildReport(plan: JobPlan, invocations: readonly InvocationMetrics[], client: ClientTimes): JobMetrics {
  const stages = plan.statements.flatMap((st) => (st.kind === 'dataflow' ? st.stages.map((s) => stageMetrics(st.index, s, invocations)) : []));
  const invocationTotals = { PlanStage: { count: 0, ms: 0 }, RunTask: { count: 0, ms: 0 }, Compact: { count: 0, ms: 0 }, Commit: { count: 0, ms: 0 }, Cleanup: { count: 0, ms: 0 }, Speculate: { count: 0, ms: 0 } };
  const busyMs = emptyTimes();
  for (const m of invocations) {
    invocationTotals[m.fn].count++;
    invocationTotals[m.fn].ms += m.end - m.start;
    for (const s of m.segments) busyMs[s.category] += s.ms;
  }
  for (const s of client.spans ?? []) busyMs[s.category] += s.end - s.start;
  const spans = [...(client.spans ?? []), ...invocations.flatMap(spansOf)];
  return {
    queryId: plan.queryId,
    wallMs: client.end - client.start,
    stages,
    totals: {
      stages: stages.length,
      tasks: sum(stages, (s) => s.tasks),
      attempts: sum(stages, (s) => s.attempts),
      failedInvocations: invocations.filter((m) => !m.ok).length,
      inputBytes: sum(stages, (s) => s.inputBytes),
      outputBytes: sum(stages, (s) => s.outputBytes),
      shuffleBytes: sum(stages.filter((s) => s.kind !== 'sink'), (s) => s.outputBytes),
      inputRows: sum(stages, (s) => s.inputRows),
      outputRows: sum(stages, (s) => s.outputRows),
      s3: invocations.reduce((a, m) => addCounts(a, m.s3), zeroCounts()),
      invocations: invocationTotals,
      peakRss: invocations.reduce((n, m) => Math.max(n, m.rss), 0),
      speculation: addSpeculation(stages.map((s) => s.speculation)),
    },
    time: { wallMs: rounded(attributeWallTime(client.start, client.end, spans)), busyMs: rounded(busyMs) },
  };
}

/** The report with client work that came after everything in it (e.g. reading results back). */
export function appendSpan(r: JobMetrics, s: Span): JobMetrics {
  const ms = s.end - s.start;
  return {
    ...r,
    wallMs: r.wallMs + ms,
    time: { wallMs: { ...r.time.wallMs, [s.category]: r.time.wallMs[s.category] + ms }, busyMs: { ...r.time.busyMs, [s.category]: r.time.busyMs[s.category] + ms } },
  };
}
