// run-task: one task of one stage. Downloads its inputs, runs its fragment as one DuckDB
// query, writes shuffle output or sink files, and publishes them with put-if-absent:
// the first attempt to publish wins, a later one (a retry, a speculative copy) deletes
// what it wrote.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataFile } from '../catalog/model.js';
import { partitionPath } from '../catalog/partition-path.js';
import { duck, duckSession, rows, run } from '../exec/duck.js';
import { durationSetting, numberSetting, sessionTimeZone, setting } from '../planner/settings.js';
import { taskError } from '../common/errors.js';
import { renderPlan } from '../exec/render-plan.js';
import { resetTaskState } from '../exec/udfs.js';
import { quoteIdent, quoteString, renderExpr } from '../exec/render-expr.js';
import { localPath, scanRelation, shuffleRelation, type LocalSplitGroup } from '../exec/sources.js';
import { attemptPrefix, resultKey, type DataflowPlan } from '../plan/job.js';
import { schemaOf, type ScanNode, type ShuffleReadNode } from '../plan/nodes.js';
import { PARTITION_COLUMN, readCombinedShuffle, readShuffleRange, shuffleKey, writeCombinedShuffle, writeShuffle, type MapOutput, type ShuffleFile } from '../shuffle/shuffle.js';
import { piecesOf } from '../shuffle/slices.js';
import type { Stage } from '../stages/stage.js';
import { fanOutStages } from '../stages/fragment.js';
import type { ObjectStore } from '../store/object-store.js';
import { mapLimit } from '../store/util.js';
import { failurePoint, injectedFailure, injectTransient, taskHook, type Settings } from './inject.js';
import { Attempt, reportInterval, type TaskRun } from './attempt.js';
import type { AttemptKind } from './progress.js';
import { services } from './services.js';
import { writeTableFiles } from '../exec/write-table.js';
import { userFunctionError } from '../exec/user-functions.js';
import { prepareUserFunctions } from './udf-modules.js';
import { inputRows } from '../metrics/input-rows.js';
import { Recorder } from '../metrics/record.js';
import { abandonIfEnded, dataflow, doneKey, readJson, stageOf, storeFor, tasksKey, type TaskEvent } from './context.js';
import { fetchColumnChunks } from './parquet-ranges.js';
import { leaves, sliceFor, type Split, type TaskList, type TaskSpec } from './plan-stage.js';

/** What a sink task publishes: its files, each with the partition it belongs to. */
export interface SinkOutput {
  readonly task: number;
  readonly attempt: string;
  readonly files: readonly (DataFile & { readonly partition?: readonly (string | null)[] })[];
  readonly rows: number;
}

const UPLOAD_CONCURRENCY = 8;
const DOWNLOAD_CONCURRENCY = 4;
/** A task with up to this many times `shoal.shuffle.combined-max-bytes` of input tries the combined output first. */
const COMBINED_INPUT_FACTOR = 8;

export interface TaskResult { readonly task: number; readonly won: boolean; readonly rows: number; readonly kind: AttemptKind }

/** What an attempt wrote for one stage before publishing: the done key's body, and its own objects (deleted when it loses). */
interface Output { readonly e: TaskEvent; readonly body: object; readonly own: readonly string[]; readonly rows: number }

export async function runTask(e: TaskRun, rec = new Recorder(storeFor(e.warehouse), 'taskStart')): Promise<TaskResult> {
  const store = rec.meter(storeFor(e.warehouse));
  const stmt = await dataflow(e);
  const stage = stageOf(stmt, e.stage);
  const list = await readJson<TaskList>(store, tasksKey(e));
  const spec = list.tasks[e.task];
  if (!spec) throw new Error(`stage ${e.stage} has no task ${e.task}`);
  const id = randomUUID().slice(0, 8);
  const callbacks = e.taskToken ? (await services()).callbacks : undefined;
  const attempt = new Attempt(store, e, id, callbacks, reportInterval(stmt.settings), durationSetting(stmt.settings, 'shoal.speculation.min-runtime'));
  const hook = await taskHook(store, stmt.settings, e);
  attempt.silent = hook?.kind === 'hang';
  attempt.frozen = hook?.kind === 'stall';
  // A shared fan-out downloads each split once and computes every stage it runs on it.
  const group = fanOutStages(stage, stmt.stages);
  attempt.doneKeys = group.map((st) => doneKey({ ...e, stage: st.id }, e.task));
  const dir = await mkdtemp(join(tmpdir(), `shoal-${e.queryId}-${e.stage}-${e.task}-`));
  const con = await duckSession(sessionTimeZone(stmt.settings));
  resetTaskState();
  // DuckDB counts the rows its scans have processed only with the progress bar on (not printed).
  await run(con, 'SET enable_progress_bar = true; SET enable_progress_bar_print = false; SET progress_bar_time = 0');
  const bytesBefore = store.counters.bytesRead;
  const bytes = () => store.counters.bytesRead - bytesBefore;
  attempt.sample = () => ({ rows: Number(con.progress.rows_processed), bytes: bytes() });
  attempt.onStop(() => con.interrupt());
  const stopped = () => { if (attempt.stopped) throw new Stopped(); };
  try {
    await attempt.start();
    rec.lap('download');
    await prepareUserFunctions(store, stmt.udfs ?? [], con);
    const inputs = await downloadInputs(store, group, list, spec, dir, stmt.settings);
    rec.inputRows = inputRows(stage, list, spec);
    const outputs: Output[] = [];
    for (const st of group) {
      stopped();
      rec.lap('execute');
      const sql = renderTask(st, list, spec, inputs);
      const ev = { queryId: e.queryId, warehouse: e.warehouse, statement: e.statement, stage: st.id, task: e.task };
      const out = group.length > 1 ? await mkdtemp(join(dir, `st${st.id}-`)) : dir;
      outputs.push(st.output.kind === 'sink'
        ? await writeSink(store, stmt, st, sql, out, ev, id, con)
        : await writeMapOutput(store, st, sql, out, ev, id, con, rec, combinedLimit(stmt.settings, inputs.inputBytes)));
    }
    // test hooks: a straggler or a hang with its output uploaded, so that losing has files to remove
    if (hook) await Promise.race([attempt.untilStopped(), ...(hook.kind === 'slow' ? [sleep(hook.ms)] : [])]);
    await attempt.quiesce({ rows: rec.inputRows, bytes: bytes() });
    stopped();
    // each stage of a shared fan-out has its own done key: every one names one attempt's output
    const won: boolean[] = [];
    for (const o of outputs) won.push(await publish(store, o.e, o.body, o.own));
    const allWon = won.every(Boolean);
    await attempt.finish(allWon ? 'won' : 'lost', { rows: rec.inputRows, bytes: bytes() });
    // A losing attempt completes the iteration too: the winner's token may be one a retry has since replaced.
    if (e.taskToken) await callbacks!.success(e.taskToken, { task: e.task, won: allWon });
    return { task: e.task, won: allWon, rows: outputs.reduce((n, o) => n + o.rows, 0), kind: attempt.kind };
  } catch (err) {
    if (!attempt.stopped) {
      await attempt.finish('failed');
      throw userFunctionError(err) ?? err;
    }
    // Another attempt won, or the job ended: this one removes what it wrote.
    for (const st of group) {
      await store.delete(ownObjects({ ...e, stage: st.id }, stmt, st, id));
      await store.deletePrefix(`${attemptPrefix(e.queryId, e.statement, `writer-st${st.id}`, e.task, id)}/`);
    }
    await attempt.finish('lost');
    if (attempt.stopped === 'ended') throw taskError(`job ${e.queryId} has already ended; this late attempt removed its output`, false);
    if (e.taskToken) await callbacks!.success(e.taskToken, { task: e.task, won: false });
    return { task: e.task, won: false, rows: 0, kind: attempt.kind };
  } finally {
    await attempt.quiesce();
    con.closeSync();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Thrown where an attempt notices it was told to stop; the stop's reason is on the attempt. */
class Stopped extends Error {}

/** The single objects an attempt may have written for a stage (a table sink's files are under its attempt prefix). */
function ownObjects(e: TaskEvent, stmt: DataflowPlan, stage: Stage, attempt: string): string[] {
  if (stage.output.kind !== 'sink') return [`${shuffleKey(e.queryId, e.statement, e.stage, e.task, attempt)}.data`];
  return stmt.sinks[stage.output.sink]!.kind === 'result' ? [`${resultKey(e.queryId, e.statement)}.${attempt}`] : [];
}

/** A task's local inputs: its splits grouped per partition (with the stages that read each), each upstream stage's shuffle files, and the bytes of input it was given. */
interface TaskInputs {
  readonly scanGroups: readonly (LocalSplitGroup & { readonly stages?: readonly number[] })[];
  readonly shuffleFiles: ReadonlyMap<number, readonly ShuffleFile[]>;
  readonly inputBytes: number;
}

async function downloadInputs(store: ObjectStore, group: readonly Stage[], list: TaskList, spec: TaskSpec, dir: string, settings: Settings): Promise<TaskInputs> {
  const scanGroups: (LocalSplitGroup & { stages?: readonly number[] })[] = [];
  if (spec.splits?.length) {
    const splits = spec.splits;
    await mapLimit(splits, DOWNLOAD_CONCURRENCY, (s, i) => fetchSplit(store, s, projection(group, list, settings, store), localPath(dir, i, s.key)));
    let i = 0;
    const byPartition = new Map<string, { paths: string[]; partition?: readonly (string | null)[]; rows?: readonly [number, number]; stages?: readonly number[] }>();
    for (const s of splits) {
      const p = localPath(dir, i++, s.key);
      // a file cut at row groups is read on its own, over its rows only
      const k = JSON.stringify([s.partition ?? null, s.rows ?? null, s.rows ? p : null, s.stages ?? null]);
      if (!byPartition.has(k)) byPartition.set(k, { paths: [], partition: s.partition, rows: s.rows, stages: s.stages });
      byPartition.get(k)!.paths.push(p);
    }
    scanGroups.push(...byPartition.values());
  }
  const shuffleFiles = new Map<number, ShuffleFile[]>();
  let inputBytes = (spec.splits ?? []).reduce((n, s) => n + s.size, 0);
  for (const leaf of group.flatMap((st) => leaves(st.fragment))) {
    if (leaf.kind !== 'shuffleRead' || shuffleFiles.has(leaf.stage)) continue;
    const outs = list.inputs[leaf.stage] ?? [];
    const slice = sliceFor(spec, leaf);
    const files: ShuffleFile[] = [];
    for (const piece of piecesOf(slice, outs.length, outs[0]?.partitions ?? 1)) {
      const out = outs[piece.map]!;
      const tag = `s${leaf.stage}-t${out.task}-p${piece.start}`;
      inputBytes += out.entries.reduce((n, en) => n + (en.partition >= piece.start && en.partition < piece.end ? en.length : 0), 0);
      if (out.combined) files.push(...(await readCombinedShuffle(store, out, piece.start, piece.end, dir, tag)));
      else files.push(...(await readShuffleRange(store, out, piece.start, piece.end, dir, tag)).map((path) => ({ path })));
    }
    shuffleFiles.set(leaf.stage, files);
  }
  return { scanGroups, shuffleFiles, inputBytes };
}

/**
 * The columns to fetch of a Parquet table on S3: the data columns every scan of the
 * group reads. Undefined (whole files) on a local warehouse, which hands files over
 * without copying them (LocalStore links them), for text tables, or when switched off.
 */
function projection(group: readonly Stage[], list: TaskList, settings: Settings, store: ObjectStore): { columns: readonly string[] } | undefined {
  const scans = group.flatMap((st) => leaves(st.fragment)).filter((l): l is ScanNode => l.kind === 'scan');
  const table = list.table ?? scans[0]?.table.meta;
  if (!table || table.format !== 'parquet' || scans.length === 0 || setting(settings, 'shoal.scan.column-ranges') !== 'true' || store.root.startsWith('file:')) return undefined;
  const isPartition = (name: string) => table.partitionColumns.some((p) => p.name === name);
  return { columns: [...new Set(scans.flatMap((sc) => sc.columns.map((c) => c.name)).filter((n) => !isPartition(n)))] };
}

/** A split as a local file: from S3 only the column chunks `projected` names, else the whole file. */
async function fetchSplit(store: ObjectStore, s: Split, projected: { columns: readonly string[] } | undefined, path: string): Promise<void> {
  if (projected) await fetchColumnChunks(store, s.key, s.fileSize ?? s.size, { columns: projected.columns, rows: s.rows }, path);
  else await store.getToFile(s.key, path);
}

/** One stage's fragment as SQL over the task's local inputs; its scan sees only the splits its own pruning kept. */
function renderTask(stage: Stage, list: TaskList, spec: TaskSpec, inputs: TaskInputs): string {
  const groups = inputs.scanGroups.filter((g) => !g.stages || g.stages.includes(stage.id));
  return renderPlan(stage.fragment, {
    scan: (node: ScanNode) => scanRelation(node, list.table ?? node.table.meta, groups),
    shuffle: (node: ShuffleReadNode) => shuffleRelation(node, inputs.shuffleFiles.get(node.stage) ?? []),
  });
}

/** put-if-absent of the done key: the arbiter between a task's attempts (retries and shadows); the loser deletes its own objects. */
async function publish(store: ObjectStore, e: TaskEvent, body: object, own: readonly string[]): Promise<boolean> {
  await abandonIfEnded(store, e.queryId, own);
  const won = await store.putIfAbsent(doneKey(e, e.task), JSON.stringify(body));
  if (!won) await store.delete(own);
  return won;
}

/** Row counts of the Parquet files at `path`: one file, or every file below a directory. */
async function parquetFiles(con: Awaited<ReturnType<typeof duck>>, path: string): Promise<{ path: string; rows: number }[]> {
  const pattern = path.endsWith('.parquet') ? path : `${path}/**/*.parquet`;
  const found = await rows(con, `SELECT file_name, num_rows FROM parquet_file_metadata(${quoteString(pattern)})`).catch(() => []);
  return found.map((r) => ({ path: String(r.file_name), rows: Number(r.num_rows) })).filter((f) => f.rows > 0);
}

/**
 * Up to which size a hash output is written as one combined file (0: never): the setting,
 * and at most an eighth of a task's target, since every reader of any of its partitions
 * fetches it whole. Tried only where the input is small enough that the output likely is
 * too: a larger one is then partitioned from the file already written.
 */
function combinedLimit(settings: Settings, inputBytes: number): number {
  const max = Math.min(numberSetting(settings, 'shoal.shuffle.combined-max-bytes'), Math.floor(numberSetting(settings, 'shoal.adaptive.target-bytes-per-task') / 8));
  return inputBytes <= COMBINED_INPUT_FACTOR * max ? max : 0;
}

async function writeMapOutput(store: ObjectStore, stage: Stage, sql: string, dir: string, e: TaskEvent, attempt: string, con: Awaited<ReturnType<typeof duck>>, rec: Recorder, combinedMax: number): Promise<Output> {
  const out = join(dir, 'out');
  let partitions = 1;
  let files: { partition: number; path: string; rows: number }[];
  const key = shuffleKey(e.queryId, e.statement, e.stage, e.task, attempt);
  if (stage.output.kind === 'hash') {
    partitions = stage.output.partitions;
    const keys = stage.output.keys.map(renderExpr).join(', ');
    let tagged = `SELECT *, CAST(hash(${keys}) % ${partitions} AS INTEGER) AS ${quoteIdent(PARTITION_COLUMN)} FROM (${sql}) AS m`;
    if (combinedMax > 0) {
      const one = join(dir, 'combined.parquet');
      await run(con, `COPY (${tagged}) TO ${quoteString(one)} (FORMAT parquet)`);
      if ((await stat(one)).size <= combinedMax) {
        const counts = await rows(con, `SELECT ${quoteIdent(PARTITION_COLUMN)} AS p, count(*) AS n FROM read_parquet(${quoteString(one)}) GROUP BY 1`);
        rec.lap('write');
        const result = await writeCombinedShuffle(store, key, one, new Map(counts.map((r) => [Number(r.p), Number(r.n)])), partitions, e.task, attempt);
        return { e, body: result, own: [result.dataKey], rows: result.rows };
      }
      tagged = `SELECT * FROM read_parquet(${quoteString(one)})`; // larger than expected: partitioned from what was written
    }
    await run(con, `COPY (${tagged}) TO ${quoteString(out)} (FORMAT parquet, PARTITION_BY (${quoteIdent(PARTITION_COLUMN)}))`);
    files = (await parquetFiles(con, out)).map((f) => ({ ...f, partition: Number(/__p=(\d+)/.exec(f.path)![1]) }));
  } else {
    await run(con, `COPY (${sql}) TO ${quoteString(`${out}.parquet`)} (FORMAT parquet)`);
    files = (await parquetFiles(con, `${out}.parquet`)).map((f) => ({ ...f, partition: 0 }));
  }
  rec.lap('write');
  const result: MapOutput = await writeShuffle(store, key, files, partitions, dir, e.task, attempt);
  return { e, body: result, own: [result.dataKey], rows: result.rows };
}

async function writeSink(store: ObjectStore, stmt: DataflowPlan, stage: Stage, sql: string, dir: string, e: TaskEvent, attempt: string, con: Awaited<ReturnType<typeof duck>>): Promise<Output> {
  if (stage.output.kind !== 'sink') throw new Error(`stage ${stage.id} writes no sink`);
  const sink = stmt.sinks[stage.output.sink]!;
  const cols = schemaOf(stage.fragment);
  if (sink.kind === 'result') {
    const local = join(dir, 'result.parquet');
    const named = cols.map((c, i) => `${quoteIdent(c.id)} AS ${quoteIdent(sink.columns[i]!.name)}`).join(', ');
    await run(con, `COPY (SELECT ${named} FROM (${sql}) AS r) TO ${quoteString(local)} (FORMAT parquet)`);
    const n = (await parquetFiles(con, local)).reduce((a, f) => a + f.rows, 0);
    const key = `${resultKey(e.queryId, e.statement)}.${attempt}`;
    const size = (await stat(local)).size;
    await store.putFile(key, local, { move: true });
    return { e, body: { task: e.task, attempt, files: [{ key, size, rows: n }], rows: n } satisfies SinkOutput, own: [key], rows: n };
  }
  const written = await writeTableFiles(con, sink, cols, sql, join(dir, 'sink'));
  const prefix = attemptPrefix(e.queryId, e.statement, `writer-st${e.stage}`, e.task, attempt);
  const ext = sink.format === 'textfile' ? '' : '.parquet';
  // The stage is in the name: a shared scan's sinks may place files in one partition of one table.
  const files: SinkOutput['files'][number][] = written.map((w, i) => {
    const dirPart = w.partition ? `${partitionPath(sink.partitionColumns, w.partition)}/` : '';
    return { key: `${prefix}/${dirPart}part-${String(e.task).padStart(5, '0')}-${e.stage}-${i}-${attempt}${ext}`, size: w.size, rows: w.rows, partition: w.partition };
  });
  // In a multi-insert, the last branch's sink fails: the branches before it have written theirs.
  const injected = failurePoint(stmt.settings) === 'task' && e.task === 0 && stage.output.sink === stmt.sinks.length - 1;
  // An injected failure uploads only part of the files, as a task killed mid-way would.
  const upload = injected ? files.slice(0, Math.ceil(files.length / 2)) : files;
  await mapLimit(upload, UPLOAD_CONCURRENCY, (f) => store.putFile(f.key, written[files.indexOf(f)]!.path, { move: true }));
  if (injected) throw injectedFailure('task');
  await injectTransient(store, stmt.settings, 'task', `s${e.statement}-st${e.stage}-t${e.task}`, e.queryId);
  const total = files.reduce((n, f) => n + (f.rows ?? 0), 0);
  return { e, body: { task: e.task, attempt, files, rows: total } satisfies SinkOutput, own: files.map((f) => f.key), rows: total };
}
