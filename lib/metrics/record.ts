// What one handler invocation measures about itself, and where it leaves it: one small
// JSON object per invocation under the job's prefix. On AWS every task is a separate
// Lambda invocation, so the store, not process memory, is what carries the figures to
// whoever builds the report.
import { randomUUID } from 'node:crypto';
import type { FunctionName } from '../asl/emit.js';
import { jobPrefix } from '../plan/job.js';
import type { AttemptKind } from '../runtime/progress.js';
import { newCounters, type ObjectStore, type StoreCounters } from '../store/object-store.js';

/** Where time goes. Task invocations split theirs into the four task phases. */
export type Category =
  | 'planning' | 'planStage' | 'stateMachine' | 'taskStart' | 'download' | 'execute' | 'write' | 'compact' | 'commit' | 'cleanup' | 'results';

export type TaskPhase = Extract<Category, 'taskStart' | 'download' | 'execute' | 'write'>;

/** Requests and bytes, as the stores count them. */
export type S3Counts = StoreCounters;

/** Consecutive slices of an invocation's time, from its start. */
export interface Segment { readonly category: Category; readonly ms: number }

export interface InvocationMetrics {
  readonly fn: FunctionName;
  readonly statement?: number;
  readonly stage?: number;
  readonly task?: number;
  /** distinguishes retries and speculative copies of the same task */
  readonly id: string;
  readonly ok: boolean;
  /** tasks: whether this attempt's output is the one downstream reads */
  readonly won?: boolean;
  /** run-task: the Map's own attempt (or its retry) or a speculative shadow */
  readonly kind?: AttemptKind;
  /** epoch milliseconds */
  readonly start: number;
  readonly end: number;
  readonly segments: readonly Segment[];
  /** every request the invocation made, including loading the plan */
  readonly s3: S3Counts;
  readonly inputBytes: number;
  readonly inputRows: number;
  readonly outputBytes: number;
  readonly outputRows: number;
  /** plan-stage: the fan-out it chose */
  readonly tasks?: number;
  /** resident set size of the whole process at the end (a Lambda sandbox holds one invocation; a local worker shares it) */
  readonly rss: number;
}

export const metricsPrefix = (queryId: string) => `${jobPrefix(queryId)}/metrics/`;

export const zeroCounts = newCounters;

export function addCounts(a: S3Counts, b: Readonly<S3Counts>): S3Counts {
  for (const k of Object.keys(a) as (keyof S3Counts)[]) a[k] += b[k];
  return a;
}

function diffCounts(now: Readonly<StoreCounters>, before: Readonly<StoreCounters>): S3Counts {
  const d = zeroCounts();
  for (const k of Object.keys(d) as (keyof S3Counts)[]) d[k] = now[k] - before[k];
  return d;
}

const READS = new Set<PropertyKey>(['get', 'getToFile', 'head', 'list']);
const WRITES = new Set<PropertyKey>(['put', 'putFile', 'putIfAbsent', 'copy', 'delete', 'deletePrefix']);

interface Lap { readonly phase: TaskPhase; readonly at: number; io: { read: number; write: number } }

/**
 * One invocation's stopwatch. Phases are laps (`lap('download')` ends the previous
 * phase); store calls made through `meter(store)` are timed, so that within the execute
 * lap the time spent uploading or fetching is told apart from DuckDB's. Counts come
 * from the store's own counters: a container runs one invocation at a time, so the
 * difference between start and end is this invocation's.
 */
export class Recorder {
  readonly id = randomUUID().slice(0, 8);
  readonly start = Date.now();
  private readonly t0 = performance.now();
  private readonly laps: Lap[] = [];
  private readonly before: StoreCounters;
  private readonly inFlight = { read: 0, write: 0 };
  private readonly since = { read: 0, write: 0 };
  private downloadFrom = 0;
  private inputBytes = 0;
  inputRows = 0;
  outputRows = 0;
  outputBytes?: number;
  tasks?: number;
  won?: boolean;

  constructor(private readonly store: ObjectStore, readonly category: Category) {
    this.before = { ...store.counters };
    if (category === 'taskStart') this.lap('taskStart');
  }

  /** Starts a task phase; the input bytes are what the store read during 'download'. */
  lap(phase: TaskPhase): void {
    const now = performance.now();
    this.flushIo(now);
    this.endDownload();
    if (phase === 'download') this.downloadFrom = this.store.counters.bytesRead;
    this.laps.push({ phase, at: now, io: { read: 0, write: 0 } });
  }

  private endDownload(): void {
    if (this.laps[this.laps.length - 1]?.phase === 'download') this.inputBytes += this.store.counters.bytesRead - this.downloadFrom;
  }

  /** The store, with the wall time of its calls (overlapping calls counted once) added to the current lap. */
  meter(store: ObjectStore): ObjectStore {
    return new Proxy(store, {
      get: (target, p, receiver) => {
        const v: unknown = Reflect.get(target, p, receiver);
        if (typeof v !== 'function') return v;
        const kind = READS.has(p) ? 'read' : WRITES.has(p) ? 'write' : undefined;
        if (!kind) return v.bind(target);
        return async (...args: unknown[]) => {
          this.ioStart(kind);
          try {
            return await (v as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          } finally {
            this.ioEnd(kind);
          }
        };
      },
    });
  }

  private ioStart(kind: 'read' | 'write'): void {
    if (this.inFlight[kind]++ === 0) this.since[kind] = performance.now();
  }

  private ioEnd(kind: 'read' | 'write'): void {
    const now = performance.now();
    if (--this.inFlight[kind] === 0) this.addIo(kind, now - this.since[kind]);
  }

  /** Charges in-flight I/O up to `now` to the lap that is ending. */
  private flushIo(now: number): void {
    for (const kind of ['read', 'write'] as const) {
      if (this.inFlight[kind] === 0) continue;
      this.addIo(kind, now - this.since[kind]);
      this.since[kind] = now;
    }
  }

  private addIo(kind: 'read' | 'write', ms: number): void {
    const lap = this.laps[this.laps.length - 1];
    if (lap) lap.io[kind] += ms;
  }

  private segments(end: number): Segment[] {
    if (this.laps.length === 0) return [{ category: this.category, ms: end - this.t0 }];
    const out: Segment[] = [];
    this.laps.forEach((lap, i) => {
      const ms = (this.laps[i + 1]?.at ?? end) - lap.at;
      if (lap.phase !== 'execute') { out.push({ category: lap.phase, ms }); return; }
      // Uploads come after DuckDB's work within this lap; reads here are small lookups.
      const write = Math.min(ms, lap.io.write);
      const read = Math.min(ms - write, lap.io.read);
      out.push({ category: 'execute', ms: ms - write - read });
      if (read > 0) out.push({ category: 'download', ms: read });
      if (write > 0) out.push({ category: 'write', ms: write });
    });
    return out.filter((s) => s.ms > 0);
  }

  finish(fn: FunctionName, event: { statement?: number; stage?: number; task?: number; kind?: AttemptKind }, ok: boolean): InvocationMetrics {
    const endPerf = performance.now();
    this.flushIo(endPerf);
    this.endDownload();
    const s3 = diffCounts(this.store.counters, this.before);
    return {
      fn, statement: event.statement, stage: event.stage, task: event.task, id: this.id, ok, won: this.won,
      ...(fn === 'RunTask' ? { kind: event.kind ?? 'primary' } : {}),
      start: this.start, end: this.start + Math.round(endPerf - this.t0),
      segments: this.segments(endPerf).map((s) => ({ category: s.category, ms: Math.round(s.ms * 100) / 100 })),
      s3, inputBytes: this.inputBytes, inputRows: this.inputRows,
      outputBytes: this.outputBytes ?? s3.bytesWritten, outputRows: this.outputRows,
      tasks: this.tasks, rss: process.memoryUsage.rss(),
    };
  }
}

export function metricsKey(queryId: string, m: InvocationMetrics): string {
  const parts = [m.fn, m.statement, m.stage, m.task].filter((x) => x !== undefined).join('-');
  return `${metricsPrefix(queryId)}${parts}-${m.id}.json`;
}
