// Registers a generated TPC-H warehouse in Shoal's catalog: the manifest already
// describes every file in catalog terms, so registering is one catalog update with no
// directory listing. The tables are external: dropping them in Shoal keeps the files.
import { Catalog } from '../../lib/catalog/catalog.js';
import { putTable, statsOf } from '../../lib/catalog/ddl.js';
import type { CatalogState, ColumnMeta, PartitionMeta, TableMeta } from '../../lib/catalog/model.js';
import { T, decimal, type HiveType } from '../../lib/common/types.js';
import { openStore } from '../../lib/store/open-store.js';
import type { ObjectStore } from '../../lib/store/object-store.js';
import type { TpchColumn, TpchManifest, TpchTable } from './manifest.js';
import type { HiveTypeName } from './schema.js';

const TYPES: Readonly<Record<HiveTypeName, HiveType>> = {
  int: T.int, bigint: T.bigint, 'decimal(15,2)': decimal(15, 2), date: T.date, string: T.string,
};

const columnsOf = (cs: readonly TpchColumn[]): ColumnMeta[] => cs.map((c) => ({ name: c.name, type: TYPES[c.type] }));

function tableMeta(t: TpchTable, createdAt: number): TableMeta {
  const partitions: Record<string, PartitionMeta> = {};
  for (const [path, p] of Object.entries(t.partitions ?? {}))
    partitions[path] = { values: p.values, location: p.location, files: p.files, stats: statsOf(p.files) };
  const partitioned = t.partitionColumns.length > 0;
  return {
    db: t.db, name: t.name, type: 'external',
    columns: columnsOf(t.columns), partitionColumns: columnsOf(t.partitionColumns),
    format: 'parquet', location: t.location, properties: {},
    files: partitioned ? [] : t.files, partitions,
    stats: statsOf(t.files), createdAt, dataVersion: 1,
  };
}

/** The catalog change: creates database `tpch` if needed and (re)places every table of the manifest. */
export function withTpch(s: CatalogState, manifest: TpchManifest, now = Date.now()): CatalogState {
  let next: CatalogState = s.databases[manifest.database]
    ? s
    : { ...s, databases: { ...s.databases, [manifest.database]: { name: manifest.database, location: `${manifest.database}.db`, properties: {}, tables: {} } } };
  for (const t of manifest.tables) next = putTable(next, tableMeta(t, now));
  return next;
}

/** Registers the manifest's tables in the catalog of `warehouse` (a path, an s3:// URI or a store). */
export async function registerTpch(manifest: TpchManifest, warehouse: string | ObjectStore): Promise<CatalogState> {
  const store = typeof warehouse === 'string' ? openStore(warehouse) : warehouse;
  return new Catalog(store).update((s) => withTpch(s, manifest));
}
