// Catalog changes as pure functions state → state. The planner applies them to a
// scratch copy to plan later statements of a script; the commit step applies them to
// the real catalog inside one atomic update.
import { catalogError } from '../common/errors.js';
import type { DdlAction } from '../plan/job.js';
import type { CatalogState, DatabaseMeta, DataFile, PartitionMeta, Stats, TableMeta } from './model.js';
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
      if (tables.length && !a.cascade) throw catalogError(`database '${a.name}' is not empty (${tables.length} tables); use DROP DATABASE … CASCADE`);
      const databases = { ...s.databases };
      delete databases[a.name];
      return { state: { ...s, databases }, obsolete: tables.filter((t) => t.type === 'managed').flatMap(filesOf) };
    }
    case 'createTable': {
      const db = getDb(s, a.table.db);
      if (db.tables[a.table.name]) {
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
  }
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
