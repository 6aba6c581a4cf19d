// The catalog's contents as plain data. One JSON document per catalog version: a change
// is a new version written with put-if-absent, so every change is atomic and two
// writers racing for the same version cannot both win.
import type { HiveType } from '../common/types.js';
import type { UdfDef } from '../udf/model.js';

export interface ColumnMeta { readonly name: string; readonly type: HiveType; readonly comment?: string }

export interface Stats { readonly rows: number; readonly bytes: number; readonly files: number }

export interface DataFile {
  /** key relative to the warehouse root */
  readonly key: string;
  readonly size: number;
  readonly rows?: number;
}

export interface PartitionMeta {
  /** values in partition-column order, as strings (Hive keeps partition values as text); null for __HIVE_DEFAULT_PARTITION__ */
  readonly values: readonly (string | null)[];
  /** the directory key relative to the warehouse root, e.g. `sales.db/orders/dt=2024-01-01` */
  readonly location: string;
  readonly files: readonly DataFile[];
  readonly stats: Stats;
  /** the table's dataVersion when this partition last changed (absent in catalogs written before it was kept) */
  readonly dataVersion?: number;
}

export type StorageFormat = 'parquet' | 'textfile';

export interface TableMeta {
  readonly db: string;
  readonly name: string;
  readonly type: 'managed' | 'external' | 'view';
  readonly columns: readonly ColumnMeta[];
  readonly partitionColumns: readonly ColumnMeta[];
  readonly format: StorageFormat;
  /** text tables: field delimiter (Hive's default is \u0001) */
  readonly fieldDelimiter?: string;
  readonly nullFormat?: string;
  readonly collectionDelimiter?: string;
  readonly mapKeyDelimiter?: string;
  /** directory key relative to the warehouse root */
  readonly location: string;
  readonly properties: Readonly<Record<string, string>>;
  readonly comment?: string;
  /** unpartitioned tables: their files; partitioned tables: none (see partitions) */
  readonly files: readonly DataFile[];
  /** keyed by partition path (`ds=2008-04-08/hr=11`) */
  readonly partitions: Readonly<Record<string, PartitionMeta>>;
  readonly stats?: Stats;
  /** views: the defining query text and its column names */
  readonly viewText?: string;
  readonly createdAt: number;
  /** bumped on every data change, for conflict detection */
  readonly dataVersion: number;
  readonly bucketing?: { readonly columns: readonly string[]; readonly buckets: number };
}

export interface DatabaseMeta {
  readonly name: string;
  readonly location: string;
  readonly comment?: string;
  readonly properties: Readonly<Record<string, string>>;
  readonly tables: Readonly<Record<string, TableMeta>>;
  /** permanent user functions by name (absent in catalogs written before there were any) */
  readonly functions?: Readonly<Record<string, FunctionMeta>>;
}

/**
 * A permanent user function (CREATE FUNCTION without TEMPORARY): what a plan's UdfDef
 * carries (lib/udf/model.ts) under its own database and name. The module is known only by
 * its checksum, its bytes kept content-addressed in the warehouse (`blobs/<sha256>.mjs`).
 */
export interface FunctionMeta extends Omit<UdfDef, 'name' | 'temporary'> {
  readonly db: string;
  readonly name: string;
  readonly createdAt: number;
}

export interface CatalogState {
  readonly version: number;
  /** who wrote this version, e.g. `<queryId>/s<statement>`: lets a retried commit recognise its own change */
  readonly change?: string;
  readonly databases: Readonly<Record<string, DatabaseMeta>>;
}

export const DEFAULT_DB = 'default';

export function emptyCatalog(): CatalogState {
  return { version: 0, databases: { [DEFAULT_DB]: { name: DEFAULT_DB, location: '', properties: {}, tables: {} } } };
}

/** Hive puts default-database tables at the warehouse root and others under `db.db/`. */
export function defaultTableLocation(db: string, table: string): string {
  return db === DEFAULT_DB ? table : `${db}.db/${table}`;
}
