// commit: makes a statement's effect visible in one atomic catalog change. Table files
// are first copied from staging to their final names (invisible until the catalog
// points at them, and listed as pending so a failed job can remove them), then the
// catalog switches every written partition at once, then replaced files are deleted.
import { Catalog } from '../catalog/catalog.js';
import { applyDdl, filesOf, getTable, putTable, replaceFiles, type DdlResult } from '../catalog/ddl.js';
import type { CatalogState, DataFile, TableMeta } from '../catalog/model.js';
import { partitionPath } from '../catalog/partition-path.js';
import { conflictError } from '../common/errors.js';
import { jobPrefix, stagingPrefix, type DdlAction, type Sink } from '../plan/job.js';
import type { ObjectStore } from '../store/object-store.js';
import { dataflow, donePrefix, loadPlan, readJson, storeFor, type StatementEvent } from './context.js';
import type { SinkOutput } from './run-task.js';

export const pendingKey = (queryId: string, statement: number) => `${jobPrefix(queryId)}/s${statement}/pending.json`;
export const resultInfoKey = (queryId: string, statement: number) => `${jobPrefix(queryId)}/results/${statement}.json`;

export interface ResultInfo { readonly key?: string; readonly rows: number }

export interface CommitResult { readonly statement: number; readonly rows: number; readonly files: number }

export async function commitStatement(e: StatementEvent): Promise<CommitResult> {
  const store = storeFor(e.warehouse);
  const plan = await loadPlan(e);
  const stmt = plan.statements[e.statement];
  if (!stmt) throw new Error(`no statement ${e.statement}`);
  if (stmt.kind === 'ddl') return commitDdl(store, e, stmt.action);
  if (stmt.kind !== 'dataflow') return { statement: e.statement, rows: 0, files: 0 };
  const df = await dataflow(e);
  const sinkStage = df.stages[df.stages.length - 1]!;
  const doneKeys = await store.list(donePrefix({ ...e, stage: sinkStage.id }));
  const outputs = await Promise.all(doneKeys.map((k) => readJson<SinkOutput>(store, k.key)));
  const rows = outputs.reduce((n, o) => n + o.rows, 0);
  if (df.sink.kind === 'result') {
    const file = outputs.flatMap((o) => o.files)[0];
    await store.put(resultInfoKey(e.queryId, e.statement), JSON.stringify({ key: file?.key, rows } satisfies ResultInfo));
    return { statement: e.statement, rows, files: 0 };
  }
  const files = outputs.flatMap((o) => o.files);
  return commitTable(store, e, df.sink, files, rows);
}

/** Copies staged files to their final keys under the table; the keys are recorded first so cleanup can find them. */
async function placeFiles(store: ObjectStore, e: StatementEvent, location: string, partitionColumns: readonly string[], files: readonly (DataFile & { partition?: readonly (string | null)[] })[]) {
  const placed = files.map((f) => {
    const name = f.key.split('/').pop()!;
    const dir = f.partition && partitionColumns.length ? `${location}/${partitionPath(partitionColumns, f.partition)}` : location;
    return { ...f, key: `${dir}/${e.queryId}-${name}`, from: f.key };
  });
  await store.put(pendingKey(e.queryId, e.statement), JSON.stringify(placed.map((p) => p.key)));
  for (const p of placed) await store.copy(p.from, p.key);
  return placed.map(({ from: _from, ...rest }) => rest);
}

async function commitTable(store: ObjectStore, e: StatementEvent, sink: Extract<Sink, { kind: 'table' }>, files: readonly SinkOutput['files'][number][], rows: number): Promise<CommitResult> {
  const catalog = new Catalog(store);
  const before = await catalog.load();
  const existing = before.databases[sink.db]?.tables[sink.table];
  if (sink.create && existing) throw conflictError(`table '${sink.db}.${sink.table}' already exists`);
  const target: TableMeta = sink.create ?? getTable(before, sink.db, sink.table);
  const placed = await placeFiles(store, e, target.location, sink.partitionColumns, files);
  let obsolete: string[] = [];
  await catalog.update((state) => {
    obsolete = [];
    let s: CatalogState = state;
    if (sink.create) {
      if (s.databases[sink.db]?.tables[sink.table]) throw conflictError(`table '${sink.db}.${sink.table}' was created by another job while this one ran`);
      s = putTable(s, sink.create);
    }
    const apply = (r: DdlResult) => { s = r.state; obsolete.push(...r.obsolete); };
    const t = getTable(s, sink.db, sink.table);
    if (t.partitionColumns.length === 0) {
      apply(replaceFiles(s, t, undefined, placed, sink.overwrite));
      return s;
    }
    const groups = new Map<string, { values: readonly (string | null)[]; files: DataFile[] }>();
    for (const f of placed) {
      const k = JSON.stringify(f.partition);
      if (!groups.has(k)) groups.set(k, { values: f.partition!, files: [] });
      groups.get(k)!.files.push({ key: f.key, size: f.size, rows: f.rows });
    }
    // A fully static INSERT OVERWRITE replaces its partition even when no rows arrive.
    if (sink.dynamicPartition.length === 0) {
      const values = sink.partitionColumns.map((c) => sink.staticPartition[c] ?? null);
      if (!groups.has(JSON.stringify(values))) groups.set(JSON.stringify(values), { values, files: [] });
    }
    for (const g of groups.values()) apply(replaceFiles(s, getTable(s, sink.db, sink.table), g.values, g.files, sink.overwrite));
    return s;
  });
  await store.delete(obsolete);
  await store.deletePrefix(`${stagingPrefix(e.queryId)}/s${e.statement}/`);
  await store.delete([pendingKey(e.queryId, e.statement)]);
  return { statement: e.statement, rows, files: placed.length };
}

async function commitDdl(store: ObjectStore, e: StatementEvent, action: DdlAction): Promise<CommitResult> {
  const catalog = new Catalog(store);
  let a = action;
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
