// commit: makes a statement's effect visible in one atomic catalog change (for a
// multi-insert, the change of every table it writes). Table files
// are first copied from staging to their final names (invisible until the catalog
// points at them, and listed as pending so a failed job can remove them), then the
// catalog switches every written partition at once (one conditional write of the next
// catalog version, refused on a conflicting change since the statement started, see
// catalog/conflict.ts), then replaced files are deleted.
import { Catalog } from '../catalog/catalog.js';
import { baseOf, checkConflict, type CommitBase, type CommitTarget } from '../catalog/conflict.js';
import { applyDdl, filesOf, getTable, putTable, replaceFiles, replacePartitions } from '../catalog/ddl.js';
import type { CatalogState, DataFile } from '../catalog/model.js';
import { partitionPath } from '../catalog/partition-path.js';
import { jobPrefix, stagingPrefix, type DataflowPlan, type DdlAction, type TableSink } from '../plan/job.js';
import type { Stage } from '../stages/stage.js';
import type { ObjectStore } from '../store/object-store.js';
import { mapLimit } from '../store/util.js';
import { committedFiles, sinkOutputs } from './compact.js';
import { dataflow, endedKey, loadPlan, readJson, storeFor, type StatementEvent } from './context.js';
import { failurePoint, inject, injectedFailure, type Settings } from './inject.js';
import { leaves } from './plan-stage.js';
import { prepareDdl, writeShowRows } from './prepare-ddl.js';
import type { WrittenFile } from './sizing.js';

const PLACE_CONCURRENCY = 16;

export const pendingKey = (queryId: string, statement: number) => `${jobPrefix(queryId)}/s${statement}/pending.json`;
export const baseKey = (queryId: string, statement: number) => `${jobPrefix(queryId)}/s${statement}/base.json`;
export const resultInfoKey = (queryId: string, statement: number) => `${jobPrefix(queryId)}/results/${statement}.json`;

export interface ResultInfo { readonly key?: string; readonly rows: number }

export interface CommitResult { readonly statement: number; readonly rows: number; readonly files: number }

export async function commitStatement(e: StatementEvent): Promise<CommitResult> {
  const store = storeFor(e.warehouse);
  const plan = await loadPlan(e);
  const stmt = plan.statements[e.statement];
  if (!stmt) throw new Error(`no statement ${e.statement}`);
  if (stmt.kind === 'ddl' && stmt.action.kind === 'show') return writeShowRows(store, e, stmt.action);
  if (stmt.kind === 'ddl') return commitDdl(store, e, stmt.action);
  if (stmt.kind !== 'dataflow') return { statement: e.statement, rows: 0, files: 0 };
  const tables = stmt.sinks.flatMap((k, i) => (k.kind === 'table' ? [i] : []));
  let committed: CommitResult = { statement: e.statement, rows: 0, files: 0 };
  if (tables.length) {
    inject(stmt.settings, 'before-commit');
    committed = await commitTables(store, e, stmt, tables);
  }
  const result = stmt.sinks.findIndex((k) => k.kind === 'result');
  if (result < 0) return committed;
  const outputs = await sinkOutputs(store, e, result);
  const rows = outputs.reduce((n, o) => n + o.rows, 0);
  const file = outputs.flatMap((o) => o.files)[0];
  await store.put(resultInfoKey(e.queryId, e.statement), JSON.stringify({ key: file?.key, rows } satisfies ResultInfo));
  return { ...committed, rows: committed.rows + rows };
}

const tableKey = (sink: TableSink) => `${sink.db}.${sink.table}`;

/**
 * Records, once per statement, what each target table looked like when the statement
 * started (one catalog read for all of them): the commit checks for conflicting changes
 * made since.
 */
export async function recordBase(store: ObjectStore, e: StatementEvent): Promise<void> {
  const df = await dataflow(e);
  const sinks = df.sinks.filter((k): k is TableSink => k.kind === 'table');
  if (sinks.length === 0 || (await store.head(baseKey(e.queryId, e.statement)))) return;
  const catalog = await new Catalog(store).load();
  const bases: Bases = Object.fromEntries(sinks.map((k) => [tableKey(k), baseOf(catalog, k.db, k.table)]));
  await store.putIfAbsent(baseKey(e.queryId, e.statement), JSON.stringify(bases));
}

/** Each target table's base, by `db.table`. */
type Bases = Readonly<Record<string, CommitBase>>;

/** The final directory of a file written for a table at `location`. */
const finalDir = (location: string, partitionColumns: readonly string[], partition: WrittenFile['partition']) =>
  partition && partitionColumns.length ? `${location}/${partitionPath(partitionColumns, partition)}` : location;

/** Copies staged files to their final keys (in `dir`); the keys are recorded first so cleanup can find them. */
async function placeFiles(store: ObjectStore, e: StatementEvent, files: readonly (WrittenFile & { readonly dir: string })[], settings: Settings = {}): Promise<WrittenFile[]> {
  const placed = files.map(({ dir, ...f }) => ({ ...f, key: `${dir}/${e.queryId}-${f.key.split('/').pop()!}`, from: f.key }));
  await store.put(pendingKey(e.queryId, e.statement), JSON.stringify(placed.map((p) => p.key)));
  // An injected failure places half of the files, as a commit killed mid-way would.
  const dying = failurePoint(settings) === 'during-commit';
  const todo = dying ? placed.slice(0, Math.ceil(placed.length / 2)) : placed;
  await mapLimit(todo, PLACE_CONCURRENCY, (p) => store.copy(p.from, p.key));
  if (dying) throw injectedFailure('during-commit');
  return placed.map(({ from: _from, ...rest }) => rest);
}

/** Scans of the statement's own target: its result then depends on the whole table. */
function readsTarget(stages: readonly Stage[], db: string, table: string): boolean {
  return stages.some((st) => leaves(st.fragment).some((l) => l.kind === 'scan' && l.table.db === db && l.table.name === table));
}

/** What one table sink writes: its files grouped by partition path, and what it must not conflict with. */
interface SinkWrite {
  readonly sink: TableSink;
  readonly files: readonly WrittenFile[];
  readonly groups: ReadonlyMap<string, { readonly values: readonly (string | null)[]; readonly files: WrittenFile[] }>;
  readonly base: CommitBase;
  readonly target: CommitTarget;
}

async function sinkWrite(store: ObjectStore, e: StatementEvent, df: DataflowPlan, k: number, bases: Bases): Promise<SinkWrite> {
  const sink = df.sinks[k] as TableSink;
  const files = await committedFiles(store, e, k);
  const cols = sink.partitionColumns;
  // Partitions by path: NULL and '' are both Hive's default partition.
  const groups = new Map<string, { values: readonly (string | null)[]; files: WrittenFile[] }>();
  if (cols.length) {
    for (const f of files) {
      const path = partitionPath(cols, f.partition!);
      if (!groups.has(path)) groups.set(path, { values: f.partition!, files: [] });
      groups.get(path)!.files.push(f);
    }
    // A fully static INSERT OVERWRITE replaces its partition even when no rows arrive.
    if (sink.dynamicPartition.length === 0) {
      const values = cols.map((c) => sink.staticPartition[c] ?? null);
      if (!groups.has(partitionPath(cols, values))) groups.set(partitionPath(cols, values), { values, files: [] });
    }
  }
  const target: CommitTarget = {
    db: sink.db, table: sink.table, create: !!sink.create,
    partitions: cols.length && !readsTarget(df.stages, sink.db, sink.table) ? [...groups.keys()] : undefined,
  };
  const base = bases[tableKey(sink)];
  if (!base) throw new Error(`statement ${e.statement} recorded no base for ${tableKey(sink)}`);
  return { sink, files, groups, base, target };
}

/** A CTAS IF NOT EXISTS whose table another job created meanwhile: left alone. */
const createdMeanwhile = (state: CatalogState, sink: TableSink) => !!(sink.create && sink.ifNotExists && state.databases[sink.db]?.tables[sink.table]);

/**
 * Every table sink of the statement in one catalog change: all their partitions switch,
 * or (on a conflict, or a failure before the write) none. Sinks apply in branch order, so
 * two branches writing the same partition leave what running them in turn would.
 */
async function commitTables(store: ObjectStore, e: StatementEvent, df: DataflowPlan, sinks: readonly number[]): Promise<CommitResult> {
  const catalog = new Catalog(store);
  const tag = `${e.queryId}/s${e.statement}`;
  const bases = await readJson<Bases>(store, baseKey(e.queryId, e.statement));
  const writes = await Promise.all(sinks.map((k) => sinkWrite(store, e, df, k, bases)));
  const files = writes.flatMap((w) => w.files);
  const rows = files.reduce((n, f) => n + (f.rows ?? 0), 0);
  const done = (obsolete: readonly string[], placed: number) => finish(store, e, obsolete).then(() => ({ statement: e.statement, rows, files: placed }));

  // Fail fast, before copying anything, when the statement cannot commit (or already did).
  const current = await catalog.load();
  const live = writes.filter((w) => !createdMeanwhile(current, w.sink));
  if (live.length === 0) return done([], 0);
  try {
    for (const w of live) checkConflict(current, w.base, w.target);
  } catch (err) {
    const own = await ownChange(catalog, Math.min(...live.map((w) => w.base.catalogVersion)), current.version, tag, live.map((w) => w.sink));
    if (own) return done(own, files.length);
    throw err;
  }
  const locate = (w: SinkWrite) => w.sink.create?.location ?? getTable(current, w.sink.db, w.sink.table).location;
  const staged = live.flatMap((w) => w.files.map((f) => ({ ...f, dir: finalDir(locate(w), w.sink.partitionColumns, f.partition) })));
  const placed = await placeFiles(store, e, staged, df.settings);
  const placedKey = new Map(placed.map((p, i) => [staged[i]!.key, p]));
  const toData = (fs: readonly WrittenFile[]): DataFile[] => fs.map((f) => { const p = placedKey.get(f.key)!; return { key: p.key, size: p.size, rows: p.rows }; });
  let obsolete: string[] = [];
  let skipped = false;
  await catalog.update((state) => {
    const now = live.filter((w) => !createdMeanwhile(state, w.sink));
    skipped = now.length === 0;
    obsolete = [];
    for (const w of now) checkConflict(state, w.base, w.target);
    let s = state;
    for (const w of now) {
      if (w.sink.create) s = putTable(s, w.sink.create);
      const t = getTable(s, w.sink.db, w.sink.table);
      const r = w.sink.partitionColumns.length
        ? replacePartitions(s, t, [...w.groups.values()].map((g) => ({ values: g.values, files: toData(g.files) })), w.sink.overwrite)
        : replaceFiles(s, t, undefined, toData(w.files), w.sink.overwrite);
      obsolete.push(...r.obsolete);
      s = r.state;
    }
    return s;
  }, tag);
  // An IF NOT EXISTS CTAS that lost to another job's CREATE leaves its placed copies behind for cleanup.
  if (skipped) return { statement: e.statement, rows: 0, files: 0 };
  return done(obsolete, placed.length);
}

/**
 * A commit retried after its catalog write landed (the Lambda died before answering)
 * finds its own change: the files it replaced in any of its tables, to delete now.
 * Undefined when none.
 */
async function ownChange(catalog: Catalog, from: number, to: number, tag: string, sinks: readonly TableSink[]): Promise<string[] | undefined> {
  for (let v = to; v > from; v--) {
    const s = await catalog.loadVersion(v);
    if (s?.change !== tag) continue;
    const before = await catalog.loadVersion(v - 1);
    const tables = [...new Map(sinks.map((k) => [tableKey(k), k])).values()];
    return tables.flatMap((k) => {
      const had = before?.databases[k.db]?.tables[k.table];
      const has = new Set(filesOf(getTable(s, k.db, k.table)));
      return had ? filesOf(had).filter((f) => !has.has(f)) : [];
    });
  }
  return undefined;
}

/** After the switch: replaced files, the statement's staging and its pending list go. */
async function finish(store: ObjectStore, e: StatementEvent, obsolete: readonly string[]): Promise<void> {
  await store.delete(obsolete);
  await store.deletePrefix(`${stagingPrefix(e.queryId)}/s${e.statement}/`);
  await store.delete([pendingKey(e.queryId, e.statement)]);
}

async function commitDdl(store: ObjectStore, e: StatementEvent, action: DdlAction): Promise<CommitResult> {
  const catalog = new Catalog(store);
  let a = await prepareDdl(store, action, (keys) => store.put(pendingKey(e.queryId, e.statement), JSON.stringify(keys)));
  if (action.kind === 'loadData') {
    const t = getTable(await catalog.load(), action.db, action.table);
    const partCols = t.partitionColumns.map((c) => c.name);
    const placed = await placeFiles(store, e, action.files.map((f) => ({ ...f, dir: finalDir(t.location, partCols, action.partitionValues) })));
    a = { ...action, files: placed.map((p) => ({ key: p.key, size: p.size })) };
  }
  let obsolete: readonly string[] = [];
  await catalog.update((s) => {
    const r = applyDdl(s, a);
    obsolete = r.obsolete;
    return r.state;
  });
  await store.delete(obsolete);
  await store.delete([pendingKey(e.queryId, e.statement)]);
  return { statement: e.statement, rows: 0, files: a.kind === 'loadData' ? a.files.length : 0 };
}

/** Removes everything a job left behind except its plan and results: staging, shuffle, and placed-but-uncommitted files. */
export async function cleanupJob(e: { queryId: string; warehouse: string }): Promise<{ removed: number }> {
  const store = storeFor(e.warehouse);
  await store.put(endedKey(e.queryId), '');
  const referenced = new Set<string>();
  const state = await new Catalog(store).load();
  for (const db of Object.values(state.databases)) for (const t of Object.values(db.tables)) for (const k of filesOf(t)) referenced.add(k);
  let removed = 0;
  for (const p of await store.list(`${jobPrefix(e.queryId)}/`)) {
    if (!p.key.endsWith('/pending.json')) continue;
    const keys = (await readJson<string[]>(store, p.key)).filter((k) => !referenced.has(k));
    await store.delete(keys);
    removed += keys.length;
  }
  const shuffle = await store.list(`${jobPrefix(e.queryId)}/shuffle/`);
  await store.deletePrefix(`${jobPrefix(e.queryId)}/shuffle/`);
  const staged = await store.list(`${stagingPrefix(e.queryId)}/`);
  await store.deletePrefix(`${stagingPrefix(e.queryId)}/`);
  return { removed: removed + shuffle.length + staged.length };
}
