// run-task: one task of one stage. Downloads its inputs, runs its fragment as one DuckDB
// query, writes shuffle output or sink files, and publishes them with put-if-absent:
// the first attempt to publish wins, a later one (a retry, a speculative copy) deletes
// what it wrote.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataFile } from '../catalog/model.js';
import { partitionPath } from '../catalog/partition-path.js';
import { duck, duckSession, rows, run } from '../exec/duck.js';
import { sessionTimeZone } from '../planner/settings.js';
import { renderPlan } from '../exec/render-plan.js';
import { resetTaskState } from '../exec/udfs.js';
import { quoteIdent, quoteString, renderExpr } from '../exec/render-expr.js';
import { localPath, scanRelation, shuffleRelation, type LocalSplitGroup } from '../exec/sources.js';
import { attemptPrefix, resultKey, type DataflowPlan } from '../plan/job.js';
import { schemaOf, type ScanNode, type ShuffleReadNode } from '../plan/nodes.js';
import { readShuffleRange, shuffleKey, writeShuffle, type MapOutput } from '../shuffle/shuffle.js';
import { piecesOf } from '../shuffle/slices.js';
import type { Stage } from '../stages/stage.js';
import { fanOutStages } from '../stages/fragment.js';
import type { ObjectStore } from '../store/object-store.js';
import { mapLimit } from '../store/util.js';
import { failurePoint, injectedFailure, injectTransient } from './inject.js';
import { writeTableFiles } from '../exec/write-table.js';
import { userFunctionError } from '../exec/user-functions.js';
import { prepareUserFunctions } from './udf-modules.js';
import { inputRows } from '../metrics/input-rows.js';
import { Recorder } from '../metrics/record.js';
import { abandonIfEnded, dataflow, doneKey, readJson, stageOf, storeFor, tasksKey, type TaskEvent } from './context.js';
import { leaves, sliceFor, type TaskList, type TaskSpec } from './plan-stage.js';

/** What a sink task publishes: its files, each with the partition it belongs to. */
export interface SinkOutput {
  readonly task: number;
  readonly attempt: string;
  readonly files: readonly (DataFile & { readonly partition?: readonly (string | null)[] })[];
  readonly rows: number;
}

const UPLOAD_CONCURRENCY = 8;

export interface TaskResult { readonly task: number; readonly won: boolean; readonly rows: number }

export async function runTask(e: TaskEvent, rec = new Recorder(storeFor(e.warehouse), 'taskStart')): Promise<TaskResult> {
  const store = rec.meter(storeFor(e.warehouse));
  const stmt = await dataflow(e);
  const stage = stageOf(stmt, e.stage);
  const list = await readJson<TaskList>(store, tasksKey(e));
  const spec = list.tasks[e.task];
  if (!spec) throw new Error(`stage ${e.stage} has no task ${e.task}`);
  const attempt = randomUUID().slice(0, 8);
  const dir = await mkdtemp(join(tmpdir(), `shoal-${e.queryId}-${e.stage}-${e.task}-`));
  const con = await duckSession(sessionTimeZone(stmt.settings));
  resetTaskState();
  try {
    rec.lap('download');
    await prepareUserFunctions(store, stmt.udfs ?? [], con);
    // A shared fan-out downloads each split once and computes every stage it runs on it.
    const group = fanOutStages(stage, stmt.stages);
    const inputs = await downloadInputs(store, group, list, spec, dir);
    rec.inputRows = inputRows(stage, list, spec);
    const results: TaskResult[] = [];
    for (const st of group) {
      rec.lap('execute');
      const sql = renderTask(st, list, spec, inputs);
      const ev = { ...e, stage: st.id };
      const out = group.length > 1 ? await mkdtemp(join(dir, `st${st.id}-`)) : dir;
      results.push(st.output.kind === 'sink'
        ? await writeSink(store, stmt, st, sql, out, ev, attempt, con)
        : await writeMapOutput(store, st, sql, out, ev, attempt, con, rec));
    }
    return { task: e.task, won: results.every((r) => r.won), rows: results.reduce((n, r) => n + r.rows, 0) };
  } catch (err) {
    throw userFunctionError(err) ?? err;
  } finally {
    con.closeSync();
    await rm(dir, { recursive: true, force: true });
  }
}

/** A task's local inputs: its splits grouped per partition (with the stages that read each), and each upstream stage's shuffle files. */
interface TaskInputs {
  readonly scanGroups: readonly (LocalSplitGroup & { readonly stages?: readonly number[] })[];
  readonly shufflePaths: ReadonlyMap<number, readonly string[]>;
}

async function downloadInputs(store: ObjectStore, group: readonly Stage[], list: TaskList, spec: TaskSpec, dir: string): Promise<TaskInputs> {
  const scanGroups: (LocalSplitGroup & { stages?: readonly number[] })[] = [];
  if (spec.splits?.length) {
    let i = 0;
    const byPartition = new Map<string, { paths: string[]; partition?: readonly (string | null)[]; rows?: readonly [number, number]; stages?: readonly number[] }>();
    for (const s of spec.splits) {
      const p = localPath(dir, i++, s.key);
      await store.getToFile(s.key, p);
      // a file cut at row groups is read on its own, over its rows only
      const k = JSON.stringify([s.partition ?? null, s.rows ?? null, s.rows ? p : null, s.stages ?? null]);
      if (!byPartition.has(k)) byPartition.set(k, { paths: [], partition: s.partition, rows: s.rows, stages: s.stages });
      byPartition.get(k)!.paths.push(p);
    }
    scanGroups.push(...byPartition.values());
  }
  const shufflePaths = new Map<number, string[]>();
  for (const leaf of group.flatMap((st) => leaves(st.fragment))) {
    if (leaf.kind !== 'shuffleRead' || shufflePaths.has(leaf.stage)) continue;
    const outs = list.inputs[leaf.stage] ?? [];
    const slice = sliceFor(spec, leaf);
    const paths: string[] = [];
    for (const piece of piecesOf(slice, outs.length, outs[0]?.partitions ?? 1)) {
      const out = outs[piece.map]!;
      paths.push(...(await readShuffleRange(store, out, piece.start, piece.end, dir, `s${leaf.stage}-t${out.task}`)));
    }
    shufflePaths.set(leaf.stage, paths);
  }
  return { scanGroups, shufflePaths };
}

/** One stage's fragment as SQL over the task's local inputs; its scan sees only the splits its own pruning kept. */
function renderTask(stage: Stage, list: TaskList, spec: TaskSpec, inputs: TaskInputs): string {
  const groups = inputs.scanGroups.filter((g) => !g.stages || g.stages.includes(stage.id));
  return renderPlan(stage.fragment, {
    scan: (node: ScanNode) => scanRelation(node, list.table ?? node.table.meta, groups),
    shuffle: (node: ShuffleReadNode) => shuffleRelation(node, inputs.shufflePaths.get(node.stage) ?? []),
  });
}

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

async function writeMapOutput(store: ObjectStore, stage: Stage, sql: string, dir: string, e: TaskEvent, attempt: string, con: Awaited<ReturnType<typeof duck>>, rec: Recorder): Promise<TaskResult> {
  const out = join(dir, 'out');
  let partitions = 1;
  let files: { partition: number; path: string; rows: number }[];
  if (stage.output.kind === 'hash') {
    partitions = stage.output.partitions;
    const keys = stage.output.keys.map(renderExpr).join(', ');
    await run(con, `COPY (SELECT *, CAST(hash(${keys}) % ${partitions} AS INTEGER) AS "__p" FROM (${sql}) AS m) TO ${quoteString(out)} (FORMAT parquet, PARTITION_BY ("__p"))`);
    files = (await parquetFiles(con, out)).map((f) => ({ ...f, partition: Number(/__p=(\d+)/.exec(f.path)![1]) }));
  } else {
    await run(con, `COPY (${sql}) TO ${quoteString(`${out}.parquet`)} (FORMAT parquet)`);
    files = (await parquetFiles(con, `${out}.parquet`)).map((f) => ({ ...f, partition: 0 }));
  }
  rec.lap('write');
  const key = shuffleKey(e.queryId, e.statement, e.stage, e.task, attempt);
  const result: MapOutput = await writeShuffle(store, key, files, partitions, dir, e.task, attempt);
  const won = await publish(store, e, result, [result.dataKey]);
  return { task: e.task, won, rows: result.rows };
}

async function writeSink(store: ObjectStore, stmt: DataflowPlan, stage: Stage, sql: string, dir: string, e: TaskEvent, attempt: string, con: Awaited<ReturnType<typeof duck>>): Promise<TaskResult> {
  if (stage.output.kind !== 'sink') throw new Error(`stage ${stage.id} writes no sink`);
  const sink = stmt.sinks[stage.output.sink]!;
  const cols = schemaOf(stage.fragment);
  if (sink.kind === 'result') {
    const local = join(dir, 'result.parquet');
    const named = cols.map((c, i) => `${quoteIdent(c.id)} AS ${quoteIdent(sink.columns[i]!.name)}`).join(', ');
    await run(con, `COPY (SELECT ${named} FROM (${sql}) AS r) TO ${quoteString(local)} (FORMAT parquet)`);
    const n = (await parquetFiles(con, local)).reduce((a, f) => a + f.rows, 0);
    const key = `${resultKey(e.queryId, e.statement)}.${attempt}`;
    await store.putFile(key, local);
    const won = await publish(store, e, { task: e.task, attempt, files: [{ key, size: (await stat(local)).size, rows: n }], rows: n } satisfies SinkOutput, [key]);
    return { task: e.task, won, rows: n };
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
  await mapLimit(upload, UPLOAD_CONCURRENCY, (f) => store.putFile(f.key, written[files.indexOf(f)]!.path));
  if (injected) throw injectedFailure('task');
  await injectTransient(store, stmt.settings, 'task', `s${e.statement}-st${e.stage}-t${e.task}`, e.queryId);
  const total = files.reduce((n, f) => n + (f.rows ?? 0), 0);
  const won = await publish(store, e, { task: e.task, attempt, files, rows: total } satisfies SinkOutput, files.map((f) => f.key));
  return { task: e.task, won, rows: total };
}
