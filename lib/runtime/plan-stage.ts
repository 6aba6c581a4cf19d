// plan-stage: runs when a stage's inputs are complete and decides its fan-out from what
// is really there: a table's files (after partition pruning against the live catalog)
// or the bytes each upstream partition actually holds. It writes the task list to the
// store and returns only task numbers, so the state stays far below 256 KiB.
import { Catalog } from '../catalog/catalog.js';
import type { DataFile, TableMeta } from '../catalog/model.js';
import { getTable } from '../catalog/ddl.js';
import { duckSession, rows } from '../exec/duck.js';
import type { UdfDef } from '../udf/model.js';
import { prepareUserFunctions } from './udf-modules.js';
import { userFunctionError } from '../exec/user-functions.js';
import { quoteIdent, renderExpr } from '../exec/render-expr.js';
import type { BExpr, PlanNode, ScanNode, ShuffleReadNode } from '../plan/nodes.js';
import { exprChildren, inputsOf } from '../plan/nodes.js';
import { numberSetting, sessionTimeZone, setting } from '../planner/settings.js';
import type { MapOutput } from '../shuffle/shuffle.js';
import type { Stage } from '../stages/stage.js';
import type { ObjectStore } from '../store/object-store.js';
import { T } from '../common/types.js';
import { recordBase } from './commit.js';
import type { InputSlice } from '../shuffle/slices.js';
import { shuffleJoinOf } from '../stages/join-sides.js';
import { fanOutStages } from '../stages/fragment.js';
import { planJoinTasks, type JoinMode, type SideBytes } from './join-tasks.js';
import { readRowGroups, splitByRowGroups } from './row-groups.js';
import { coalescePartitions, groupSplits } from './sizing.js';
import { dataflow, donePrefix, readJson, stageOf, storeFor, tasksKey, type StageEvent } from './context.js';

export interface Split {
  readonly key: string;
  readonly size: number;
  /** the partition's values, for partitioned tables */
  readonly partition?: readonly (string | null)[];
  /** rows [first, end) of a Parquet file cut at row groups; the whole file when absent */
  readonly rows?: readonly [number, number];
  /** in a shared fan-out, the stages whose scan keeps this split after partition pruning; all of them when absent */
  readonly stages?: readonly number[];
  /** the file's bytes where `size` counts only the row groups of `rows` */
  readonly fileSize?: number;
}

export interface TaskSpec {
  readonly index: number;
  readonly splits?: readonly Split[];
  /** partitions [start, end) of every hash or single input */
  readonly range?: readonly [number, number];
  /** what to read of an upstream stage where it is not `range` (a join's skew split or run-time broadcast) */
  readonly reads?: Readonly<Record<number, InputSlice>>;
}

export interface TaskList {
  readonly stage: number;
  readonly tasks: readonly TaskSpec[];
  /** the winning map outputs of every upstream stage (of every stage the fan-out computes) */
  readonly inputs: Readonly<Record<number, readonly MapOutput[]>>;
  /** the scanned table as the live catalog has it */
  readonly table?: TableMeta;
  /** how a shuffle join's fan-out was decided at run time */
  readonly join?: JoinMode;
}

export interface PlanStageResult {
  readonly count: number;
  readonly items: readonly { readonly t: number }[];
}

/** What a task reads of the upstream stage behind a shuffle read. */
export function sliceFor(spec: TaskSpec, leaf: ShuffleReadNode): InputSlice {
  return spec.reads?.[leaf.stage] ?? (leaf.dist.kind === 'broadcast' ? { kind: 'all' } : { kind: 'partitions', range: spec.range ?? [0, 1] });
}

export function leaves(n: PlanNode): PlanNode[] {
  const ins = inputsOf(n);
  return ins.length === 0 ? [n] : ins.flatMap(leaves);
}

export async function planStage(e: StageEvent): Promise<PlanStageResult> {
  const store = storeFor(e.warehouse);
  const stmt = await dataflow(e);
  const stage = stageOf(stmt, e.stage);
  // Before any scan is planned: the commit's conflict check starts from here.
  await recordBase(store, e);
  const list = await buildTaskList(store, stage, stmt.settings, e, stmt.stages, stmt.udfs ?? []);
  await store.put(tasksKey(e), JSON.stringify(list));
  return { count: list.tasks.length, items: list.tasks.map((t) => ({ t: t.index })) };
}

async function buildTaskList(store: ObjectStore, stage: Stage, settings: Readonly<Record<string, string>>, e: StageEvent, stages: readonly Stage[], udfs: readonly UdfDef[]): Promise<TaskList> {
  const target = numberSetting(settings, 'shoal.adaptive.target-bytes-per-task');
  const minPar = numberSetting(settings, 'shoal.adaptive.min-parallelism');
  const maxPar = numberSetting(settings, 'shoal.adaptive.max-parallelism');
  const group = fanOutStages(stage, stages);
  const scans = group.map((s) => leaves(s.fragment).filter((l): l is ScanNode => l.kind === 'scan'));
  const reads = group.flatMap((s) => leaves(s.fragment)).filter((l): l is ShuffleReadNode => l.kind === 'shuffleRead');
  if (scans.some((ss) => ss.length > 1)) throw new Error(`stage ${stage.id} scans ${scans.flat().length} tables; the stage split allows one`);
  const inputs: Record<number, MapOutput[]> = {};
  for (const r of reads) inputs[r.stage] ??= await mapOutputs(store, { ...e, stage: r.stage });

  if (scans[0]!.length === 1) {
    const scan = scans[0]![0]!;
    const catalog = await new Catalog(store).load();
    const table = getTable(catalog, scan.table.db, scan.table.name);
    let splits = await sharedSplits(store, table, group.map((s, i) => [s.id, scans[i]![0]!] as const), sessionTimeZone(settings), udfs);
    if (table.format === 'parquet') {
      splits = (await Promise.all(splits.map(async (s) => (s.size > target ? splitByRowGroups(s, await readRowGroups(store, s.key, s.size), target) : [s])))).flat();
    }
    const groups = groupSplits(splits, target, minPar, maxPar);
    return { stage: stage.id, tasks: groups.map((splits, index) => ({ index, splits })), inputs, table };
  }
  const partitioned = reads.filter((r) => r.dist.kind !== 'broadcast');
  if (partitioned.length === 0) return { stage: stage.id, tasks: [{ index: 0 }], inputs };
  const partitionsOf = (id: number) => { const out = stageOf({ stages }, id).output; return out.kind === 'hash' ? out.partitions : 1; };
  const n = partitionsOf(partitioned[0]!.stage);
  const join = shuffleJoinOf(stage.fragment);
  if (join) {
    const side = (id: number): SideBytes => ({ stage: id, cells: inputs[id]!.map((out) => bytesByPartition(out, n)) });
    const plan = planJoinTasks(join.join.joinType, side(join.left), side(join.right), n, {
      target, minPar, maxPar,
      skewFactor: Number(setting(settings, 'shoal.adaptive.skew-factor')),
      broadcastThreshold: numberSetting(settings, 'shoal.join.broadcast-threshold-bytes'),
    });
    return { stage: stage.id, tasks: plan.tasks.map((t, index) => ({ index, ...t })), inputs, join: plan.mode };
  }
  const bytes = new Array<number>(n).fill(0);
  for (const r of partitioned) for (const out of inputs[r.stage]!) bytesByPartition(out, n).forEach((b, p) => { bytes[p]! += b; });
  const ranges = coalescePartitions(bytes, target, minPar, maxPar);
  return { stage: stage.id, tasks: ranges.map((range, index) => ({ index, range })), inputs };
}

function bytesByPartition(out: MapOutput, partitions: number): number[] {
  const bytes = new Array<number>(partitions).fill(0);
  for (const en of out.entries) bytes[en.partition]! += en.length;
  return bytes;
}

async function mapOutputs(store: ObjectStore, e: StageEvent): Promise<MapOutput[]> {
  const keys = await store.list(donePrefix(e));
  const outs = await Promise.all(keys.map((k) => readJson<MapOutput>(store, k.key)));
  return outs.sort((a, b) => a.task - b.task);
}

/**
 * The splits of a shared fan-out: the union of what each stage's scan keeps after its own
 * partition pruning, each split marked with the stages that read it unless all do.
 */
async function sharedSplits(store: ObjectStore, table: TableMeta, scans: readonly (readonly [number, ScanNode])[], timeZone: string, udfs: readonly UdfDef[]): Promise<Split[]> {
  if (scans.length === 1) return pruneSplits(store, table, scans[0]![1], timeZone, udfs);
  const readers = new Map<string, { split: Split; stages: number[] }>();
  for (const [id, scan] of scans) {
    for (const split of await pruneSplits(store, table, scan, timeZone, udfs)) {
      if (!readers.has(split.key)) readers.set(split.key, { split, stages: [] });
      readers.get(split.key)!.stages.push(id);
    }
  }
  return [...readers.values()].map(({ split, stages }) => (stages.length === scans.length ? split : { ...split, stages }));
}

async function pruneSplits(store: ObjectStore, table: TableMeta, scan: ScanNode, timeZone: string, udfs: readonly UdfDef[]): Promise<Split[]> {
  const filesOf = (fs: readonly DataFile[], partition?: readonly (string | null)[]): Split[] => fs.map((f) => ({ key: f.key, size: f.size, partition }));
  if (table.partitionColumns.length === 0) return filesOf(table.files);
  let parts = Object.values(table.partitions);
  if (scan.partitionFilter && parts.length > 0) {
    // Evaluate the partition predicate with the same SQL the tasks would run, over one row per partition.
    const cols = table.partitionColumns.map((pc) => scan.columns.find((c) => c.name === pc.name));
    const select = parts.map((p, i) => {
      const values = cols.map((c, j) => (c ? `${renderExpr({ kind: 'cast', expr: { kind: 'lit', value: p.values[j] ?? null, type: T.string }, type: c.type })} AS ${quoteIdent(c.id)}` : undefined)).filter(Boolean);
      return `SELECT ${[`${i} AS "__i"`, ...values].join(', ')}`;
    });
    const con = await duckSession(timeZone);
    try {
      // a user function over partition columns prunes here, as it would filter in the tasks
      if (callsUserFunction(scan.partitionFilter)) await prepareUserFunctions(store, udfs, con);
      const keep = await rows(con, `SELECT "__i" FROM (${select.join(' UNION ALL ')}) AS p WHERE ${renderExpr(scan.partitionFilter)}`);
      const idx = new Set(keep.map((r) => Number(r.__i)));
      parts = parts.filter((_, i) => idx.has(i));
    } catch (err) {
      throw userFunctionError(err) ?? err;
    } finally {
      con.closeSync();
    }
  }
  return parts.flatMap((p) => filesOf(p.files, p.values));
}

const callsUserFunction = (e: BExpr): boolean => (e.kind === 'call' && e.udf === true) || exprChildren(e).some(callsUserFunction);
