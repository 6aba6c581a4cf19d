// commit: makes a statement's effect visible in one atomic catalog change. Table files
// are first copied from staging to their final names (invisible until the catalog
// points at them, and listed as pending so a failed job can remove them), then the
// catalog switches every written partition at once (one conditional write of the next
// catalog version, refused on a conflicting change since the statement started, see
// catalog/conflict.ts), then replaced files are deleted.
import { Catalog } from '../catalog/catalog.js';
import { baseOf, checkConflict, type CommitBase, type CommitTarget } from '../catalog/conflict.js';
import { applyDdl, filesOf, getTable, putTable, replaceFiles, replacePartitions } from '../catalog/ddl.js';
import type { DataFile } from '../catalog/model.js';
import { partitionPath } from '../catalog/partition-path.js';
import { jobPrefix, stagingPrefix, type DdlAction, type Sink, type StatementPlan } from '../plan/job.js';
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
  if (stmt.sink.kind === 'result') {
    const outputs = await sinkOutputs(store, e);
    const rows = outputs.reduce((n, o) => n + o.rows, 0);
    const file = outputs.flatMap((o) => o.files)[0];
    await store.put(resultInfoKey(e.queryId, e.statement), JSON.stringify({ key: file?.key, rows } satisfies ResultInfo));
    return { statement: e.statement, rows, files: 0 };
  }
  inject(stmt.settings, 'before-commit');
  return commitTable(store, e, stmt, stmt.sink);
}

/**
 * Records, once per statement, what the target table looked like when the statement
 * started: the commit checks for conflicting changes made since.
 */
export async function recordBase(store: ObjectStore, e: StatementEvent): Promise<void> {
  const df = await dataflow(e);
  if (df.sink.kind !== 'table' || (await store.head(baseKey(e.queryId, e.statement)))) return;
  await store.putIfAbsent(baseKey(e.queryId, e.statement), JSON.stringify(baseOf(await new Catalog(store).load(), df.sink.db, df.sink.table)));
}

/** Copies staged files to their final keys under the table; the keys are recorded first so cleanup can find them. */
async function placeFiles(store: ObjectStore, e: StatementEvent, location: string, partitionColumns: readonly string[], files: readonly WrittenFile[], settings: Settings = {}) {
  const placed = files.map((f) => {
    const name = f.key.split('/').pop()!;
    const dir = f.partition && partitionColumns.length ? `${location}/${partitionPath(partitionColumns, f.partition)}` : location;
    return { ...f, key: `${dir}/${e.queryId}-${name}`, from: f.key };
  });
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

type TableSink = Extract<Sink, { kind: 'table' }>;

async function commitTable(store: ObjectStore, e: StatementEvent, df: Extract<StatementPlan, { kind: 'dataflow' }>, sink: TableSink): Promise<CommitResult> {
  const catalog = new Catalog(store);
  const tag = `${e.queryId}/s${e.statement}`;
  const base = await readJson<CommitBase>(store, baseKey(e.queryId, e.statement));
  const files = await committedFiles(store, e);
  const rows = files.reduce((n, f) => n + (f.rows ?? 0), 0);
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
  const done = (obsolete: readonly string[], placed: number) => finish(store, e, obsolete).then(() => ({ statement: e.statement, rows, files: placed }));

  // Fail fast, before copying anything, when the statement cannot commit (or already did).
  const current = await catalog.load();
  if (sink.create && sink.ifNotExists && current.databases[sink.db]?.tables[sink.table]) return done([], 0);
  try {
    checkConflict(current, base, target);
  } catch (err) {
    const own = await ownChange(catalog, base.catalogVersion, current.version, tag, sink);
    if (own) return done(own, files.length);
    throw err;
  }
  const location = sink.create?.location ?? getTable(current, sink.db, sink.table).location;
  const placed = await placeFiles(store, e, location, cols, files, df.settings);
  const placedKey = new Map(placed.map((p, i) => [files[i]!.key, p]));
  let obsolete: readonly string[] = [];
  let skipped = false;
  await catalog.update((state) => {
    skipped = false;
    if (sink.create && sink.ifNotExists && state.databases[sink.db]?.tables[sink.table]) { skipped = true; return state; }
    checkConflict(state, base, target);
    const s = sink.create ? putTable(state, sink.create) : state;
    const t = getTable(s, sink.db, sink.table);
    const toData = (fs: readonly WrittenFile[]): DataFile[] => fs.map((f) => { const p = placedKey.get(f.key)!; return { key: p.key, size: p.size, rows: p.rows }; });
    const r = cols.length
      ? replacePartitions(s, t, [...groups.values()].map((g) => ({ values: g.values, files: toData(g.files) })), sink.overwrite)
      : replaceFiles(s, t, undefined, toData(files), sink.overwrite);
    obsolete = r.obsolete;
    return r.state;
  }, tag);
  // An IF NOT EXISTS CTAS that lost to another job's CREATE leaves its placed copies behind for cleanup.
  if (skipped) return { statement: e.statement, rows: 0, files: 0 };
  return done(obsolete, placed.length);
}

/**
 * A commit retried after its catalog write landed (the Lambda died before answering)
 * finds its own change: the files it replaced, to delete now. Undefined when none.
 */
async function ownChange(catalog: Catalog, from: number, to: number, tag: string, sink: TableSink): Promise<string[] | undefined> {
  for (let v = to; v > from; v--) {
    const s = await catalog.loadVersion(v);
    if (s?.change !== tag) continue;
    const before = await catalog.loadVersion(v - 1);
    const had = before?.databases[sink.db]?.tables[sink.table];
    const has = new Set(filesOf(getTable(s, sink.db, sink.table)));
    return had ? filesOf(had).filter((k) => !has.has(k)) : [];
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
    const placed = await placeFiles(store, e, t.location, partCols, action.files.map((f) => ({ ...f, partition: action.partitionValues })));
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
