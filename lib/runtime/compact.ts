// compact: between a statement's sink writers and its commit, merges the small files each
// written partition of each table sink received into files of about the target size. Like any stage it
// has a plan step that sizes the fan-out from what was really written (per partition),
// then tasks; each task attempt writes under its own staging prefix and publishes with
// put-if-absent, so the commit sees exactly one winner per task.
import { randomUUID } from 'node:crypto';
import { appendFile, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { partitionPath } from '../catalog/partition-path.js';
import { duck, rows } from '../exec/duck.js';
import { quoteString } from '../exec/render-expr.js';
import { countLines } from '../exec/write-table.js';
import { attemptPrefix, jobPrefix, sinkStageOf } from '../plan/job.js';
import { numberSetting, setting } from '../planner/settings.js';
import type { ObjectStore } from '../store/object-store.js';
import { mapLimit } from '../store/util.js';
import { abandonIfEnded, dataflow, donePrefix, readJson, storeFor, type StatementEvent } from './context.js';
import { inject } from './inject.js';
import type { PlanStageResult } from './plan-stage.js';
import type { SinkOutput } from './run-task.js';
import { compactionUnits, groupSplits, type CompactionUnit, type WrittenFile } from './sizing.js';

export interface CompactEvent extends StatementEvent {
  readonly phase: 'plan' | 'run';
  /** the task, for phase 'run' */
  readonly task?: number;
}

/** A unit of one of the statement's table sinks. */
export type SinkUnit = CompactionUnit & { readonly sink: number };

export interface CompactTaskList { readonly tasks: readonly { readonly index: number; readonly units: readonly SinkUnit[] }[] }

/** What a compaction task publishes: the files it merged away and the files that replace them, each with its sink. */
export interface CompactOutput {
  readonly task: number;
  readonly attempt: string;
  readonly replaced: readonly string[];
  readonly files: readonly (WrittenFile & { readonly sink: number })[];
}

export interface CompactResult { readonly task: number; readonly won: boolean; readonly files: number }

const compactPrefix = (e: StatementEvent) => `${jobPrefix(e.queryId)}/s${e.statement}/compact`;
const compactTasksKey = (e: StatementEvent) => `${compactPrefix(e)}/tasks.json`;
const compactDoneKey = (e: StatementEvent, task: number) => `${compactPrefix(e)}/done/${String(task).padStart(5, '0')}.json`;

/** The Compact function: `phase` selects the plan step or one task. */
export async function compact(e: CompactEvent): Promise<PlanStageResult | CompactResult> {
  return e.phase === 'plan' ? planCompaction(e) : runCompaction(e);
}

/** The winning outputs of the stage that writes the statement's sink `sink`. */
export async function sinkOutputs(store: ObjectStore, e: StatementEvent, sink: number): Promise<SinkOutput[]> {
  const stage = sinkStageOf(await dataflow(e), sink);
  const keys = await store.list(donePrefix({ ...e, stage: stage.id }));
  return Promise.all(keys.map((k) => readJson<SinkOutput>(store, k.key)));
}

/** The files the commit switches in for sink `sink`: the writers' files with merged ones in place of their inputs. */
export async function committedFiles(store: ObjectStore, e: StatementEvent, sink: number): Promise<WrittenFile[]> {
  const written = (await sinkOutputs(store, e, sink)).flatMap((o) => o.files);
  const done = await store.list(`${compactPrefix(e)}/done/`);
  const outs = await Promise.all(done.map((k) => readJson<CompactOutput>(store, k.key)));
  const replaced = new Set(outs.flatMap((o) => o.replaced));
  const merged = outs.flatMap((o) => o.files).filter((f) => f.sink === sink).map(({ sink: _sink, ...f }) => f);
  return [...written.filter((f) => !replaced.has(f.key)), ...merged];
}

export async function planCompaction(e: StatementEvent): Promise<PlanStageResult> {
  const store = storeFor(e.warehouse);
  const { settings, sinks } = await dataflow(e);
  const tableSinks = sinks.flatMap((k, i) => (k.kind === 'table' ? [i] : []));
  const units: SinkUnit[] = setting(settings, 'shoal.compaction.enabled') === 'false' ? [] : (await Promise.all(tableSinks.map(async (sink) => {
    const files = (await sinkOutputs(store, e, sink)).flatMap((o) => o.files);
    return compactionUnits(files, numberSetting(settings, 'shoal.compaction.small-file-bytes'), numberSetting(settings, 'shoal.compaction.target-file-bytes')).map((u) => ({ ...u, sink }));
  }))).flat();
  const groups = units.length === 0 ? [] : groupSplits(units, numberSetting(settings, 'shoal.adaptive.target-bytes-per-task'),
    numberSetting(settings, 'shoal.adaptive.min-parallelism'), numberSetting(settings, 'shoal.adaptive.max-parallelism'));
  const list: CompactTaskList = { tasks: groups.map((units, index) => ({ index, units })) };
  await store.put(compactTasksKey(e), JSON.stringify(list));
  return { count: list.tasks.length, items: list.tasks.map((t) => ({ t: t.index })) };
}

export async function runCompaction(e: CompactEvent): Promise<CompactResult> {
  const store = storeFor(e.warehouse);
  const df = await dataflow(e);
  const task = e.task ?? 0;
  const spec = (await readJson<CompactTaskList>(store, compactTasksKey(e))).tasks[task];
  if (!spec) throw new Error(`compaction of statement ${e.statement} has no task ${task}`);
  const attempt = randomUUID().slice(0, 8);
  const prefix = attemptPrefix(e.queryId, e.statement, 'compact', task, attempt);
  const dir = await mkdtemp(join(tmpdir(), `shoal-compact-${e.queryId}-${task}-`));
  const files: CompactOutput['files'][number][] = [];
  try {
    for (const [u, unit] of spec.units.entries()) {
      const sink = df.sinks[unit.sink];
      if (sink?.kind !== 'table') throw new Error(`statement ${e.statement} has no table sink ${unit.sink}`);
      const ext = sink.format === 'textfile' ? '' : '.parquet';
      const paths = await mapLimit(unit.inputs, 8, async (f, i) => {
        const p = join(dir, `in-${u}-${i}${ext}`);
        await store.getToFile(f.key, p);
        return p;
      });
      const out = join(dir, `out-${u}${ext}`);
      const rowsOut = sink.format === 'textfile' ? await concatText(paths, out) : await mergeParquet(paths, out, numberSetting(df.settings, 'shoal.compaction.row-group-rows'));
      const inputRows = unit.inputs.reduce((n, f) => n + (f.rows ?? 0), 0);
      if (rowsOut !== inputRows) throw new Error(`compaction of ${unit.key} wrote ${rowsOut} rows from ${inputRows}`);
      const dirPart = unit.partition ? `${partitionPath(sink.partitionColumns, unit.partition)}/` : '';
      const key = `${prefix}/${dirPart}part-c${String(task).padStart(5, '0')}-${u}-${attempt}${ext}`;
      await store.putFile(key, out);
      files.push({ key, size: (await stat(out)).size, rows: rowsOut, partition: unit.partition, sink: unit.sink });
      if (task === 0) inject(df.settings, 'compact');
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const body: CompactOutput = { task, attempt, replaced: spec.units.flatMap((u) => u.inputs.map((f) => f.key)), files };
  await abandonIfEnded(store, e.queryId, files.map((f) => f.key));
  const won = await store.putIfAbsent(compactDoneKey(e, task), JSON.stringify(body));
  if (!won) await store.delete(files.map((f) => f.key));
  return { task, won, files: files.length };
}

/** One Parquet file from several, rows in input order, row groups of at most `rowGroupRows`. */
async function mergeParquet(paths: readonly string[], out: string, rowGroupRows: number): Promise<number> {
  const con = await duck();
  try {
    const list = `[${paths.map(quoteString).join(', ')}]`;
    const r = await rows(con, `COPY (SELECT * FROM read_parquet(${list})) TO ${quoteString(out)} (FORMAT parquet, ROW_GROUP_SIZE ${rowGroupRows}, RETURN_STATS true)`);
    return r.reduce((n, x) => n + Number(x.count), 0);
  } finally {
    con.closeSync();
  }
}

/** Text files merge by concatenation: byte for byte what the writers wrote. */
async function concatText(paths: readonly string[], out: string): Promise<number> {
  for (const p of paths) {
    const b = await readFile(p);
    await appendFile(out, b);
    if (b.length > 0 && b[b.length - 1] !== 10) await appendFile(out, '\n');
  }
  return countLines(out);
}
