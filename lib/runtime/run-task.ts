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
import { duck, rows, run } from '../exec/duck.js';
import { renderPlan } from '../exec/render-plan.js';
import { quoteIdent, quoteString, renderExpr } from '../exec/render-expr.js';
import { localPath, scanRelation, shuffleRelation, type LocalSplitGroup } from '../exec/sources.js';
import { resultKey, stagingPrefix, type Sink } from '../plan/job.js';
import { schemaOf, type ScanNode, type ShuffleReadNode } from '../plan/nodes.js';
import { readShuffleRange, shuffleKey, writeShuffle, type MapOutput } from '../shuffle/shuffle.js';
import type { Stage } from '../stages/stage.js';
import type { ObjectStore } from '../store/object-store.js';
import { dataflow, doneKey, readJson, stageOf, storeFor, tasksKey, type TaskEvent } from './context.js';
import { leaves, type TaskList, type TaskSpec } from './plan-stage.js';

/** What a sink task publishes: its files, each with the partition it belongs to. */
export interface SinkOutput {
  readonly task: number;
  readonly attempt: string;
  readonly files: readonly (DataFile & { readonly partition?: readonly (string | null)[] })[];
  readonly rows: number;
}

export interface TaskResult { readonly task: number; readonly won: boolean; readonly rows: number }

export async function runTask(e: TaskEvent): Promise<TaskResult> {
  const store = storeFor(e.warehouse);
  const stmt = await dataflow(e);
  const stage = stageOf(stmt, e.stage);
  const list = await readJson<TaskList>(store, tasksKey(e));
  const spec = list.tasks[e.task];
  if (!spec) throw new Error(`stage ${e.stage} has no task ${e.task}`);
  const attempt = randomUUID().slice(0, 8);
  const dir = await mkdtemp(join(tmpdir(), `shoal-${e.queryId}-${e.stage}-${e.task}-`));
  const con = await duck();
  try {
    const sql = await renderTask(store, stage, list, spec, dir);
    if (stage.output.kind === 'sink') return await writeSink(store, stmt.sink, stage, sql, dir, e, attempt, con);
    return await writeMapOutput(store, stage, sql, dir, e, attempt, con);
  } finally {
    con.closeSync();
    await rm(dir, { recursive: true, force: true });
  }
}

async function renderTask(store: ObjectStore, stage: Stage, list: TaskList, spec: TaskSpec, dir: string): Promise<string> {
  const scanGroups: LocalSplitGroup[] = [];
  if (spec.splits?.length) {
    let i = 0;
    const byPartition = new Map<string, { paths: string[]; partition?: readonly (string | null)[] }>();
    for (const s of spec.splits) {
      const p = localPath(dir, i++, s.key);
      await store.getToFile(s.key, p);
      const k = JSON.stringify(s.partition ?? null);
      if (!byPartition.has(k)) byPartition.set(k, { paths: [], partition: s.partition });
      byPartition.get(k)!.paths.push(p);
    }
    scanGroups.push(...byPartition.values());
  }
  const shufflePaths = new Map<number, string[]>();
  for (const leaf of leaves(stage.fragment)) {
    if (leaf.kind !== 'shuffleRead') continue;
    const outs = list.inputs[leaf.stage] ?? [];
    const [start, end] = leaf.dist.kind === 'broadcast' ? [0, Number.MAX_SAFE_INTEGER] : spec.range ?? [0, 1];
    const paths: string[] = [];
    for (const out of outs) paths.push(...(await readShuffleRange(store, out, start, end, dir, `s${leaf.stage}-t${out.task}`)));
    shufflePaths.set(leaf.stage, paths);
  }
  return renderPlan(stage.fragment, {
    scan: (node: ScanNode) => scanRelation(node, list.table ?? node.table.meta, scanGroups),
    shuffle: (node: ShuffleReadNode) => shuffleRelation(node, shufflePaths.get(node.stage) ?? []),
  });
}

async function publish(store: ObjectStore, e: TaskEvent, body: object, own: readonly string[]): Promise<boolean> {
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

async function writeMapOutput(store: ObjectStore, stage: Stage, sql: string, dir: string, e: TaskEvent, attempt: string, con: Awaited<ReturnType<typeof duck>>): Promise<TaskResult> {
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
  const key = shuffleKey(e.queryId, e.statement, e.stage, e.task, attempt);
  const result: MapOutput = await writeShuffle(store, key, files, partitions, dir, e.task, attempt);
  const won = await publish(store, e, result, [result.dataKey, result.indexKey]);
  return { task: e.task, won, rows: result.rows };
}

async function writeSink(store: ObjectStore, sink: Sink, stage: Stage, sql: string, dir: string, e: TaskEvent, attempt: string, con: Awaited<ReturnType<typeof duck>>): Promise<TaskResult> {
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
  const dynamic = sink.dynamicPartition.length;
  const dataCols = cols.slice(0, cols.length - dynamic);
  const dynCols = cols.slice(cols.length - dynamic);
  const names = dataCols.map((c) => `${quoteIdent(c.id)} AS ${quoteIdent(c.name)}`);
  const format = sink.format === 'textfile'
    ? `FORMAT csv, DELIMITER ${quoteString(sink.fieldDelimiter ?? '\u0001')}, HEADER false, QUOTE '', ESCAPE '', NULLSTR '\\N'`
    : 'FORMAT parquet';
  const ext = sink.format === 'textfile' ? '' : '.parquet';
  const out = join(dir, 'sink');
  const staticValues = Object.values(sink.staticPartition);
  const written: { path: string; partition?: (string | null)[] }[] = [];
  if (dynamic === 0) {
    const local = `${out}${ext || '.txt'}`;
    await run(con, `COPY (SELECT ${names.join(', ') || '1 AS "__unit"'} FROM (${sql}) AS w) TO ${quoteString(local)} (${format})`);
    written.push({ path: local, partition: sink.partitionColumns.length ? staticValues : undefined });
  } else {
    // Partition directories are named by Shoal (Hive's escaping, its default partition), so
    // DuckDB only groups rows by a partition number here.
    await run(con, `CREATE OR REPLACE TEMP TABLE sink_rows AS SELECT * FROM (${sql}) AS w`);
    const distinct = await rows(con, `SELECT DISTINCT ${dynCols.map((c) => `CAST(${quoteIdent(c.id)} AS VARCHAR) AS ${quoteIdent(c.id)}`).join(', ')} FROM sink_rows`);
    const values = distinct.map((r) => dynCols.map((c) => (r[c.id] === null || r[c.id] === undefined ? null : String(r[c.id]))));
    for (let i = 0; i < values.length; i++) {
      const cond = dynCols.map((c, j) => (values[i]![j] === null ? `${quoteIdent(c.id)} IS NULL` : `CAST(${quoteIdent(c.id)} AS VARCHAR) = ${quoteString(values[i]![j]!)}`)).join(' AND ');
      const local = `${out}-${i}${ext || '.txt'}`;
      await run(con, `COPY (SELECT ${names.join(', ')} FROM sink_rows WHERE ${cond}) TO ${quoteString(local)} (${format})`);
      written.push({ path: local, partition: [...staticValues, ...values[i]!] });
    }
    await run(con, 'DROP TABLE sink_rows');
  }
  const files: SinkOutput['files'][number][] = [];
  let total = 0;
  for (const [i, w] of written.entries()) {
    const size = (await stat(w.path)).size;
    const n = sink.format === 'textfile'
      ? Number((await rows(con, `SELECT count(*) AS n FROM read_csv(${quoteString(w.path)}, delim=${quoteString(sink.fieldDelimiter ?? '\u0001')}, header=false, quote='', escape='', columns={'x':'VARCHAR'}, auto_detect=false, null_padding=true, strict_mode=false)`))[0]!.n)
      : (await parquetFiles(con, w.path)).reduce((a, f) => a + f.rows, 0);
    if (n === 0) continue;
    total += n;
    const dirPart = w.partition ? `${partitionPath(sink.partitionColumns, w.partition)}/` : '';
    const key = `${stagingPrefix(e.queryId)}/s${e.statement}/${dirPart}part-${String(e.task).padStart(5, '0')}-${i}-${attempt}${ext}`;
    await store.putFile(key, w.path);
    files.push({ key, size, rows: n, partition: w.partition });
  }
  const won = await publish(store, e, { task: e.task, attempt, files, rows: total } satisfies SinkOutput, files.map((f) => f.key));
  return { task: e.task, won, rows: total };
}
