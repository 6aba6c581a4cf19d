// Catalog changes as pure functions state → state. The planner applies them to a
// scratch copy to plan later statements of a script; the commit step applies them to
// the real catalog inside one atomic update.
import { catalogError } from '../common/errors.js';
import { isNumeric } from '../common/types.js';
import type { DdlAction, FoundPartition, PartitionFilter } from '../plan/job.js';
import type { CatalogState, DatabaseMeta, DataFile, PartitionMeta, Stats, TableMeta } from './model.js';
import { defaultTableLocation } from './model.js';
import { partitionPath } from './partition-path.js';

export function statsOf(files: readonly DataFile[]): Stats {
  return { rows: files.reduce((n, f) => n + (f.rows ?? 0), 0), bytes: files.reduce((n, f) => n + f.size, 0), files: files.length };
}

export function getDb(s: CatalogState, name: string): DatabaseMeta {
  const db = s.databases[name];
  if (!db) throw catalogError(`database '${name}' does not exist`);
  return db;
}

export function getTable(s: CatalogState, db: string, name: string): TableMeta {
  const t = getDb(s, db).tables[name];
  if (!t) throw catalogError(`table '${db}.${name}' does not exist`);
  return t;
}

export function putTable(s: CatalogState, t: TableMeta): CatalogState {
  const db = getDb(s, t.db);
  return { ...s, databases: { ...s.databases, [t.db]: { ...db, tables: { ...db.tables, [t.name]: t } } } };
}

function removeTable(s: CatalogState, db: string, name: string): CatalogState {
  const d = getDb(s, db);
  const tables = { ...d.tables };
  delete tables[name];
  return { ...s, databases: { ...s.databases, [db]: { ...d, tables } } };
}

/** Files a change stops referencing; deleted after the change is committed, never before. */
export interface DdlResult { readonly state: CatalogState; readonly obsolete: readonly string[] }

export function filesOf(t: TableMeta): string[] {
  return [...t.files.map((f) => f.key), ...Object.values(t.partitions).flatMap((p) => p.files.map((f) => f.key))];
}

export function applyDdl(s: CatalogState, a: DdlAction): DdlResult {
  switch (a.kind) {
    case 'createDatabase': {
      if (s.databases[a.name]) {
        if (a.ifNotExists) return { state: s, obsolete: [] };
        throw catalogError(`database '${a.name}' already exists`);
      }
      const db: DatabaseMeta = { name: a.name, location: a.location, comment: a.comment, properties: a.properties, tables: {} };
      return { state: { ...s, databases: { ...s.databases, [a.name]: db } }, obsolete: [] };
    }
    case 'dropDatabase': {
      const db = s.databases[a.name];
      if (!db) {
        if (a.ifExists) return { state: s, obsolete: [] };
        throw catalogError(`database '${a.name}' does not exist`);
      }
      if (a.name === 'default') throw catalogError(`the default database cannot be dropped`);
      const tables = Object.values(db.tables);
      const functions = Object.keys(db.functions ?? {}).length;
      if ((tables.length || functions) && !a.cascade)
        throw catalogError(`database '${a.name}' is not empty (${tables.length} tables${functions ? `, ${functions} functions` : ''}); use DROP DATABASE … CASCADE`);
      const databases = { ...s.databases };
      delete databases[a.name];
      return { state: { ...s, databases }, obsolete: tables.filter((t) => t.type === 'managed').flatMap(filesOf) };
    }
    case 'createTable': {
      const db = getDb(s, a.table.db);
      const old = db.tables[a.table.name];
      if (old && a.orReplace) {
        if (old.type !== 'view') throw catalogError(`'${a.table.db}.${a.table.name}' is a table, not a view; CREATE OR REPLACE VIEW cannot replace it`);
        return { state: putTable(s, a.table), obsolete: [] };
      }
      if (old) {
        if (a.ifNotExists) return { state: s, obsolete: [] };
        throw catalogError(`table '${a.table.db}.${a.table.name}' already exists`);
      }
      return { state: putTable(s, a.table), obsolete: [] };
    }
    case 'dropTable': {
      const t = s.databases[a.db]?.tables[a.name];
      if (!t) {
        if (a.ifExists) return { state: s, obsolete: [] };
        throw catalogError(`${a.view ? 'view' : 'table'} '${a.db}.${a.name}' does not exist`);
      }
      if (a.view && t.type !== 'view') throw catalogError(`'${a.db}.${a.name}' is a table, not a view; use DROP TABLE`);
      if (!a.view && t.type === 'view') throw catalogError(`'${a.db}.${a.name}' is a view; use DROP VIEW`);
      return { state: removeTable(s, a.db, a.name), obsolete: t.type === 'managed' ? filesOf(t) : [] };
    }
    case 'loadData': {
      const t = getTable(s, a.db, a.table);
      if (t.type === 'view') throw catalogError(`cannot load data into view '${a.db}.${a.table}'`);
      return replaceFiles(s, t, a.partitionValues, a.files, a.overwrite);
    }
    case 'addPartitions': {
      const t = partitioned(getDataTable(s, a.db, a.table), 'ADD PARTITION');
      const partitions = { ...t.partitions };
      for (const p of a.partitions) {
        const path = partitionPath(t.partitionColumns.map((c) => c.name), p.values);
        if (partitions[path]) {
          if (a.ifNotExists) continue;
          throw catalogError(`partition ${path} of '${t.db}.${t.name}' already exists`);
        }
        partitions[path] = partitionMeta(t, p);
      }
      return { state: putTable(s, { ...t, partitions, dataVersion: t.dataVersion + 1 }), obsolete: [] };
    }
    case 'dropPartitions': {
      const t = partitioned(getDataTable(s, a.db, a.table), 'DROP PARTITION');
      const partitions = { ...t.partitions };
      const dropped: PartitionMeta[] = [];
      for (const f of a.filters) {
        const hits = Object.entries(partitions).filter(([, p]) => matches(t, p.values, f));
        if (hits.length === 0 && !a.ifExists) throw catalogError(`no partition of '${t.db}.${t.name}' matches ${describeFilter(f)}`);
        for (const [path, p] of hits) { dropped.push(p); delete partitions[path]; }
      }
      // Hive deletes a managed table's partition data; an external table's stays where it is.
      return { state: putTable(s, { ...t, partitions, dataVersion: t.dataVersion + 1 }), obsolete: t.type === 'managed' ? dropped.flatMap((p) => p.files.map((f) => f.key)) : [] };
    }
    case 'renameTable': {
      const t = getTable(s, a.db, a.table);
      if (getDb(s, a.toDb).tables[a.toName]) throw catalogError(`cannot rename '${a.db}.${a.table}': table '${a.toDb}.${a.toName}' already exists`);
      const moved = renamedLocation(t, a.toDb, a.toName);
      const next: TableMeta = moved === t.location ? { ...t, db: a.toDb, name: a.toName } : relocate({ ...t, db: a.toDb, name: a.toName }, t.location, moved);
      return { state: putTable(removeTable(s, a.db, a.table), next), obsolete: moved === t.location ? [] : filesOf(t) };
    }
    case 'addColumns': {
      const t = getDataTable(s, a.db, a.table);
      const columns = a.replace ? a.columns : [...t.columns, ...a.columns];
      const names = new Set<string>();
      for (const c of [...columns, ...t.partitionColumns]) {
        if (names.has(c.name)) throw catalogError(`'${t.db}.${t.name}' would have two columns named '${c.name}'`);
        names.add(c.name);
      }
      return { state: putTable(s, { ...t, columns }), obsolete: [] };
    }
    case 'setProperties': {
      const t = getTable(s, a.db, a.table);
      return { state: putTable(s, { ...t, properties: { ...t.properties, ...a.properties } }), obsolete: [] };
    }
    case 'truncate': {
      const t = getDataTable(s, a.db, a.table);
      if (t.type !== 'managed') throw catalogError(`cannot truncate '${t.db}.${t.name}': it is an external table (as in Hive, only managed tables can be truncated)`);
      if (t.partitionColumns.length === 0) {
        if (a.filter) throw catalogError(`table '${t.db}.${t.name}' is not partitioned`);
        return { state: putTable(s, { ...t, files: [], stats: statsOf([]), dataVersion: t.dataVersion + 1 }), obsolete: filesOf(t) };
      }
      const hits = Object.entries(t.partitions).filter(([, p]) => !a.filter || matches(t, p.values, a.filter));
      if (a.filter && hits.length === 0 && !a.ifExists) throw catalogError(`no partition of '${t.db}.${t.name}' matches ${describeFilter(a.filter)}`);
      const partitions = { ...t.partitions };
      for (const [path, p] of hits) partitions[path] = { ...p, files: [], stats: statsOf([]), dataVersion: t.dataVersion + 1 };
      return { state: putTable(s, { ...t, partitions, dataVersion: t.dataVersion + 1 }), obsolete: hits.flatMap(([, p]) => p.files.map((f) => f.key)) };
    }
    case 'repair': {
      const t = getDataTable(s, a.db, a.table);
      if (t.partitionColumns.length === 0) {
        // Unpartitioned: the files under the location become the table's files.
        const files = a.found.flatMap((p) => p.files);
        return { state: putTable(s, { ...t, files, stats: statsOf(files), dataVersion: t.dataVersion + 1 }), obsolete: [] };
      }
      const cols = t.partitionColumns.map((c) => c.name);
      const found = new Map(a.found.map((p) => [partitionPath(cols, p.values), p]));
      const partitions = { ...t.partitions };
      // ADD registers directories the catalog lacks; DROP forgets partitions whose directory is gone; SYNC does both.
      if (a.mode !== 'drop') for (const [path, p] of found) if (!partitions[path]) partitions[path] = partitionMeta(t, p);
      if (a.mode !== 'add') for (const path of Object.keys(partitions)) if (!found.has(path)) delete partitions[path];
      return { state: putTable(s, { ...t, partitions, dataVersion: t.dataVersion + 1 }), obsolete: [] };
    }
    case 'show': return { state: s, obsolete: [] };
    case 'createFunction': {
      const db = getDb(s, a.fn.db);
      if (db.functions?.[a.fn.name]) throw catalogError(`function '${a.fn.db}.${a.fn.name}' already exists`);
      return { state: { ...s, databases: { ...s.databases, [db.name]: { ...db, functions: { ...db.functions, [a.fn.name]: a.fn } } } }, obsolete: [] };
    }
    case 'dropFunction': {
      const db = s.databases[a.db];
      if (!db?.functions?.[a.name]) {
        if (a.ifExists) return { state: s, obsolete: [] };
        throw catalogError(`function '${a.db}.${a.name}' does not exist`);
      }
      const functions = { ...db.functions };
      delete functions[a.name];
      // The module's blob stays: content-addressed, it may be shared with other functions and running jobs.
      return { state: { ...s, databases: { ...s.databases, [a.db]: { ...db, functions } } }, obsolete: [] };
    }
    case 'analyze': {
      const t = getDataTable(s, a.db, a.table);
      const stats = a.stats ?? {};
      if (t.partitionColumns.length === 0) return { state: putTable(s, { ...t, stats: stats[''] ?? t.stats }), obsolete: [] };
      const partitions = { ...t.partitions };
      for (const [path, st] of Object.entries(stats)) if (partitions[path]) partitions[path] = { ...partitions[path]!, stats: st };
      const all = Object.values(partitions).map((p) => p.stats);
      const total: Stats = { rows: all.reduce((n, x) => n + x.rows, 0), bytes: all.reduce((n, x) => n + x.bytes, 0), files: all.reduce((n, x) => n + x.files, 0) };
      return { state: putTable(s, { ...t, partitions, stats: total }), obsolete: [] };
    }
  }
}

/**
 * The action as the planner applies it to its scratch catalog: partitions that earlier
 * statements of the script write are not known before they run, so "no such partition"
 * and "already exists" are left to the commit, which sees the real catalog.
 */
export function forPlanning(a: DdlAction): DdlAction {
  switch (a.kind) {
    case 'addPartitions': return { ...a, ifNotExists: true };
    case 'dropPartitions': return { ...a, ifExists: true };
    case 'truncate': return { ...a, ifExists: true };
    default: return a;
  }
}

/** A table that holds data (not a view). */
function getDataTable(s: CatalogState, db: string, name: string): TableMeta {
  const t = getTable(s, db, name);
  if (t.type === 'view') throw catalogError(`'${db}.${name}' is a view, not a table`);
  return t;
}

function partitioned(t: TableMeta, what: string): TableMeta {
  if (t.partitionColumns.length === 0) throw catalogError(`${what}: table '${t.db}.${t.name}' is not partitioned`);
  return t;
}

function partitionMeta(t: TableMeta, p: FoundPartition): PartitionMeta {
  const path = partitionPath(t.partitionColumns.map((c) => c.name), p.values);
  return { values: p.values, location: p.location ?? `${t.location}/${path}`, files: p.files, stats: statsOf(p.files) };
}

/** Where a renamed table's files go: a managed table at its default location moves to the new default (as in Hive); others stay. */
export function renamedLocation(t: TableMeta, toDb: string, toName: string): string {
  return t.type === 'managed' && t.location === defaultTableLocation(t.db, t.name) ? defaultTableLocation(toDb, toName) : t.location;
}

/** The same table with every key under `from/` moved under `to/`. */
export function relocate(t: TableMeta, from: string, to: string): TableMeta {
  const move = (k: string) => (k.startsWith(`${from}/`) ? `${to}/${k.slice(from.length + 1)}` : k);
  const files = (fs: readonly DataFile[]) => fs.map((f) => ({ ...f, key: move(f.key) }));
  const partitions = Object.fromEntries(Object.entries(t.partitions).map(([k, p]) => [k, { ...p, location: move(p.location), files: files(p.files) }]));
  return { ...t, location: to, files: files(t.files), partitions };
}

/** Hive compares partition values as the partition column's type: numbers numerically, the rest as text. */
export function matches(t: TableMeta, values: readonly (string | null)[], filter: PartitionFilter): boolean {
  return filter.every((f) => {
    const i = t.partitionColumns.findIndex((c) => c.name === f.column);
    const v = values[i];
    if (f.value === null || v === null || v === undefined) return f.op === '=' ? v === f.value : f.op === '<>' && v !== f.value;
    const numeric = isNumeric(t.partitionColumns[i]!.type) && v.trim() !== '' && f.value.trim() !== '' && !Number.isNaN(Number(v)) && !Number.isNaN(Number(f.value));
    const c = numeric ? Math.sign(Number(v) - Number(f.value)) : v < f.value ? -1 : v > f.value ? 1 : 0;
    switch (f.op) {
      case '=': return c === 0;
      case '<>': return c !== 0;
      case '<': return c < 0;
      case '<=': return c <= 0;
      case '>': return c > 0;
      case '>=': return c >= 0;
    }
  });
}

export function describeFilter(f: PartitionFilter): string {
  return `(${f.map((x) => `${x.column}${x.op}${x.value === null ? 'NULL' : `'${x.value}'`}`).join(', ')})`;
}

/** Puts `files` into a table or one of its partitions, replacing what was there when `overwrite`. */
export function replaceFiles(s: CatalogState, t: TableMeta, values: readonly (string | null)[] | undefined, files: readonly DataFile[], overwrite: boolean): DdlResult {
  if (t.partitionColumns.length === 0) {
    const kept = overwrite ? [] : t.files;
    const all = [...kept, ...files];
    return {
      state: putTable(s, { ...t, files: all, stats: statsOf(all), dataVersion: t.dataVersion + 1 }),
      obsolete: overwrite ? t.files.map((f) => f.key) : [],
    };
  }
  if (!values) throw catalogError(`table '${t.db}.${t.name}' is partitioned; name the partition`);
  return replacePartitions(s, t, [{ values, files }], overwrite);
}

/** Writes many partitions of a table as one data change: one new dataVersion, stamped on every partition written. */
export function replacePartitions(s: CatalogState, t: TableMeta, parts: readonly { readonly values: readonly (string | null)[]; readonly files: readonly DataFile[] }[], overwrite: boolean): DdlResult {
  const cols = t.partitionColumns.map((c) => c.name);
  const dataVersion = t.dataVersion + 1;
  const partitions = { ...t.partitions };
  const obsolete: string[] = [];
  for (const { values, files } of parts) {
    const path = partitionPath(cols, values);
    const old = partitions[path];
    const all = [...(overwrite || !old ? [] : old.files), ...files];
    if (overwrite && old) obsolete.push(...old.files.map((f) => f.key));
    partitions[path] = { values: old?.values ?? values, location: `${t.location}/${path}`, files: all, stats: statsOf(all), dataVersion };
  }
  return { state: putTable(s, { ...t, partitions, dataVersion }), obsolete };
}
