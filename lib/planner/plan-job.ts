// Plans a whole script: statements in order against a scratch copy of the catalog, so a
// later statement sees the tables an earlier one creates. Each statement becomes either
// a catalog action or a stage DAG; nothing runs here except uploading LOAD DATA inputs.
import { randomUUID } from 'node:crypto';
import { basename, dirname, resolve } from 'node:path';
import { readdir, stat } from 'node:fs/promises';
import { sqlError, withFile, isShoalError, ShoalError } from '../common/errors.js';
import { T } from '../common/types.js';
import { applyDdl, forPlanning, getTable, statsOf } from '../catalog/ddl.js';
import { discoverPartitions, filesIn } from '../catalog/discover.js';
import { partitionPath } from '../catalog/partition-path.js';
import type { CatalogState, DataFile } from '../catalog/model.js';
import { DEFAULT_DB } from '../catalog/model.js';
import { parseScript } from '../sql/parser.js';
import { substituteVariables } from '../sql/variables.js';
import type * as A from '../sql/ast.js';
import { bindStatement, type BoundStatement, type StatementContext } from '../plan/bind-statement.js';
import { checkMultiInsertSinks, splitMultiInsert } from '../plan/multi-insert.js';
import type { DataflowPlan, DdlAction, JobPlan, Sink, StatementPlan } from '../plan/job.js';
import { stagingPrefix } from '../plan/job.js';
import type { BExpr, PlanNode } from '../plan/nodes.js';
import { schemaOf } from '../plan/nodes.js';
import { optimize } from '../optimizer/optimizer.js';
import { distributeForSink } from '../stages/distribution.js';
import { fragment } from '../stages/fragment.js';
import { shareScans } from '../stages/share-scans.js';
import type { Stage } from '../stages/stage.js';
import { explainJobStatement } from './explain.js';
import { showRows } from '../plan/show.js';
import { numberSetting, setting } from './settings.js';
import { FunctionSession } from './function-statements.js';
import { udfNamesIn } from '../plan/user-functions.js';
import { ALLOWED_LOCATIONS, ALLOWED_LOCATIONS_ENV, allowedLocations } from '../udf/source.js';
import type { ObjectStore } from '../store/object-store.js';

export interface PlanOptions {
  readonly name?: string;
  /** the script's file, for error positions and relative LOAD DATA paths */
  readonly file?: string;
  readonly vars?: Readonly<Record<string, string>>;
  readonly settings?: Readonly<Record<string, string>>;
  readonly catalog: CatalogState;
  /** where LOAD DATA inputs are uploaded; absent when only explaining */
  readonly store?: ObjectStore;
  readonly queryId?: string;
  /** applied to each parsed statement before it is planned (a shadow run redirects the tables it writes) */
  readonly rewrite?: (stmt: A.Statement, currentDb: string) => A.Statement;
}

export async function planJob(text: string, opts: PlanOptions): Promise<JobPlan> {
  const file = opts.file ?? '<input>';
  try {
    return await planInner(text, opts);
  } catch (e) {
    if (isShoalError(e)) throw withFile(e, file);
    throw e;
  }
}

async function planInner(text: string, opts: PlanOptions): Promise<JobPlan> {
  const queryId = opts.queryId ?? `q${new Date().toISOString().replace(/[-:T.Z]/g, '').slice(0, 14)}-${randomUUID().slice(0, 8)}`;
  const script = parseScript(substituteVariables(text, opts.vars ?? {}, opts.file));
  let catalog = opts.catalog;
  let currentDb = DEFAULT_DB;
  const settings: Record<string, string> = { ...(opts.settings ?? {}) };
  let n = 0;
  const newId = () => `c${++n}`;
  const parseQuery = (q: string): A.QueryExpr => {
    const s = parseScript(q).statements[0];
    if (!s || s.kind !== 'query') throw sqlError(`a stored view's text is not a query: ${q.slice(0, 60)}`);
    return s.query;
  };
  const baseDir = opts.file && opts.file !== '<input>' ? dirname(resolve(opts.file)) : process.cwd();
  const fns = new FunctionSession({ baseDir, allowed: allowedLocations(opts.settings?.[ALLOWED_LOCATIONS], baseDir), ...(opts.store && { store: opts.store }) });
  const out: StatementPlan[] = [];
  for (const parsed of script.statements) {
    const stmt = opts.rewrite ? opts.rewrite(parsed, currentDb) : parsed;
    const index = out.length;
    const ctx: StatementContext = { catalog, currentDb, newId, parseQuery, settings: { ...settings }, functions: fns.functions(catalog, currentDb) };
    switch (stmt.kind) {
      case 'set':
        // Where function modules may come from is the deployment's choice, not the script's.
        if (stmt.key === ALLOWED_LOCATIONS) throw sqlError(`${ALLOWED_LOCATIONS} cannot be changed by a script; it is set for the deployment (--set ${ALLOWED_LOCATIONS}=… or ${ALLOWED_LOCATIONS_ENV})`, stmt.pos);
        if (stmt.key !== undefined && stmt.value !== undefined) { settings[stmt.key] = stmt.value; continue; }
        out.push({
          kind: 'rows', index, text: stmt.text, columns: [{ name: 'set', type: T.string }],
          rows: (stmt.key !== undefined ? [stmt.key] : Object.keys(settings).sort()).map((k) => [`${k}=${setting(settings, k) || '<undefined>'}`]),
        });
        continue;
      case 'reset':
        for (const k of Object.keys(settings)) delete settings[k];
        continue;
      case 'use': {
        const db = stmt.name.toLowerCase();
        if (!catalog.databases[db]) throw new ShoalError('catalog', `database '${db}' does not exist`, { pos: stmt.pos });
        currentDb = db;
        continue;
      }
      case 'show': case 'describe': {
        // Checked now (a missing table fails before anything runs); the rows are read when its turn comes.
        const temporaryFunctions = [...fns.temporary.values()];
        const r = showRows(stmt, { ...ctx, temporaryFunctions }, opts.store?.root ?? 'warehouse');
        out.push({ kind: 'ddl', index, text: stmt.text, action: { kind: 'show', statement: stmt, currentDb, columns: r.columns, ...(temporaryFunctions.length && { temporaryFunctions }) } });
        continue;
      }
      case 'addResource':
        await fns.add(stmt);
        continue;
      case 'createFunction': case 'dropFunction': {
        const action = stmt.kind === 'createFunction' ? await fns.create(stmt, catalog, currentDb) : fns.drop(stmt, catalog, currentDb);
        if (!action) continue;
        catalog = applyDdl(catalog, action).state;
        out.push({ kind: 'ddl', index, text: stmt.text, action });
        continue;
      }
      case 'explain': {
        const inner = planStatement(stmt.statement, ctx, index);
        const lines = inner.kind === 'dataflow' ? explainJobStatement(inner) : [`catalog action: ${inner.kind === 'ddl' ? inner.action.kind : inner.kind}`];
        out.push({ kind: 'rows', index, text: stmt.text, columns: [{ name: 'Explain', type: T.string }], rows: lines.map((l) => [l]) });
        continue;
      }
    }
    const planned = planStatement(stmt, ctx, index);
    if (planned.kind === 'ddl') {
      let action = planned.action;
      if (action.kind === 'loadData') {
        const files = opts.store ? await uploadLoadInput(opts.store, queryId, index, resolve(opts.file ? dirname(opts.file) : '.', (stmt as A.LoadDataStatement).path), stmt.pos) : [];
        action = { ...action, files };
      }
      if (opts.store) action = await withFoundFiles(opts.store, action, catalog, stmt);
      catalog = applyDdl(catalog, forPlanning(action)).state;
      out.push({ ...planned, action });
    } else {
      for (const sink of planned.kind === 'dataflow' ? planned.sinks : []) {
        if (sink.kind === 'table' && sink.create) catalog = applyDdl(catalog, { kind: 'createTable', table: sink.create, ifNotExists: true }).state;
      }
      if (planned.kind === 'dataflow' && planned.udfs) await fns.checkStored(planned.udfs.filter((d) => !d.temporary), stmt.pos);
      out.push(planned);
    }
  }
  return { queryId, name: opts.name ?? 'job', createdAt: Date.now(), statements: out };
}

/** Binds, optimizes and cuts one statement into stages. */
export function planStatement(stmt: A.Statement, ctx: StatementContext, index: number): StatementPlan {
  if (stmt.kind === 'multiInsert') return planMultiInsert(stmt, ctx, index);
  const bound = bindStatement(stmt, ctx);
  if (bound.kind === 'ddl') return { kind: 'ddl', index, text: stmt.text, action: bound.action };
  return withUdfs({ kind: 'dataflow', index, text: stmt.text, stages: stagesOf(bound, ctx, 0, 1), sinks: [bound.sink], settings: ctx.settings }, ctx);
}

/** The user functions the statement's stages call, which its tasks load. */
function withUdfs(plan: DataflowPlan, ctx: StatementContext): DataflowPlan {
  const udfs = [...udfNamesIn(plan.stages)].sort().map((name) => ctx.functions!.resolve(name)!);
  return udfs.length ? { ...plan, udfs } : plan;
}

/**
 * Hive's multi-insert as one statement: every branch is planned over the shared FROM,
 * its stages numbered after the previous branch's and its sink added to the statement's
 * sinks; then the stages that scan the same table share one fan-out, so the source is
 * read once, and the commit switches every branch's table at once.
 */
function planMultiInsert(stmt: A.MultiInsertStatement, ctx: StatementContext, index: number): StatementPlan {
  const stages: Stage[] = [];
  const sinks: Sink[] = [];
  const branches = splitMultiInsert(stmt);
  for (const branch of branches) {
    const bound = bindStatement(branch, ctx);
    if (bound.kind !== 'dataflow') throw sqlError('a multi-insert branch must be an INSERT or a SELECT', branch.pos);
    stages.push(...stagesOf(bound, ctx, sinks.length, stages.length + 1));
    sinks.push(bound.sink);
  }
  checkMultiInsertSinks(sinks, branches.map((b) => b.pos));
  return withUdfs({ kind: 'dataflow', index, text: stmt.text, stages: shareScans(stages), sinks, settings: ctx.settings }, ctx);
}

function stagesOf(bound: Extract<BoundStatement, { kind: 'dataflow' }>, ctx: StatementContext, sink: number, firstId: number): Stage[] {
  const optimized: PlanNode = optimize(bound.plan, { newId: ctx.newId, settings: ctx.settings });
  let distributed: PlanNode;
  if (bound.sink.kind === 'result') distributed = distributeForSink(optimized, { kind: 'result' });
  else {
    const cols = schemaOf(optimized);
    const dyn = bound.sink.dynamicPartition.length;
    const dynamicKeys: BExpr[] = cols.slice(cols.length - dyn).map((c) => ({ kind: 'ref', id: c.id, type: c.type }));
    distributed = distributeForSink(optimized, { kind: 'table', dynamicKeys: dyn ? dynamicKeys : [], shuffleDynamic: setting(ctx.settings, 'shoal.sink.dynamic-partition.sort') !== 'false' });
  }
  return fragment(distributed, numberSetting(ctx.settings, 'shoal.shuffle.partitions'), sink, firstId);
}

/**
 * The files already on storage that an action registers: a table created with LOCATION
 * (Hive reads what is there), the partitions of ADD PARTITION and MSCK REPAIR TABLE.
 * Found while planning, so the statements after it in the script see them.
 */
async function withFoundFiles(store: ObjectStore, action: DdlAction, catalog: CatalogState, stmt: A.Statement): Promise<DdlAction> {
  switch (action.kind) {
    case 'createTable': {
      const t = action.table;
      if (stmt.kind !== 'createTable' || !stmt.location || t.type === 'view' || t.partitionColumns.length) return action;
      const files = await filesIn(store, t.location);
      return { ...action, table: { ...t, files, stats: statsOf(files) } };
    }
    case 'addPartitions': {
      const t = getTable(catalog, action.db, action.table);
      const cols = t.partitionColumns.map((c) => c.name);
      const partitions = await Promise.all(action.partitions.map(async (p) => ({ ...p, files: await filesIn(store, p.location ?? `${t.location}/${partitionPath(cols, p.values)}`) })));
      return { ...action, partitions };
    }
    case 'repair':
      return { ...action, found: await discoverPartitions(store, getTable(catalog, action.db, action.table)) };
    default:
      return action;
  }
}

/** LOAD DATA LOCAL: the client's files go to the job's staging prefix now; the commit moves them into the table. */
async function uploadLoadInput(store: ObjectStore, queryId: string, index: number, path: string, pos: A.Pos): Promise<DataFile[]> {
  let st;
  try {
    st = await stat(path);
  } catch {
    throw new ShoalError('sql', `LOAD DATA: no such file or directory: ${path}`, { pos });
  }
  const paths = st.isDirectory()
    ? (await readdir(path)).filter((f) => !f.startsWith('.') && !f.startsWith('_')).sort().map((f) => resolve(path, f))
    : [path];
  const files: DataFile[] = [];
  for (const p of paths) {
    const key = `${stagingPrefix(queryId)}/load/${index}/${basename(p)}`;
    await store.putFile(key, p);
    files.push({ key, size: (await stat(p)).size });
  }
  return files;
}
