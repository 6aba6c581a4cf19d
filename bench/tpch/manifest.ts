// The manifest describes the generated warehouse in the same terms as Shoal's catalog
// (keys relative to the warehouse root, Hive type names), so a harness can register the
// tables without listing directories or opening Parquet footers.
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { HiveTypeName } from './schema.js';
import { sqlString } from './writer.js';

export const TPCH_DB = 'tpch';
export const MANIFEST_FILE = '_manifest.json';

export interface TpchColumn {
  readonly name: string;
  readonly type: HiveTypeName;
}

export interface TpchFile {
  /** relative to the warehouse root, '/'-separated */
  readonly key: string;
  readonly size: number;
  readonly rows: number;
}

export interface TpchPartition {
  /** partition values in partition-column order */
  readonly values: readonly string[];
  /** directory key relative to the warehouse root */
  readonly location: string;
  readonly files: readonly TpchFile[];
  readonly rows: number;
  readonly bytes: number;
}

export interface TpchTable {
  readonly name: string;
  readonly db: typeof TPCH_DB;
  /** directory key relative to the warehouse root, e.g. `tpch.db/lineitem` */
  readonly location: string;
  readonly format: 'parquet';
  /** columns stored in the files (partition columns excluded, as in Hive) */
  readonly columns: readonly TpchColumn[];
  readonly partitionColumns: readonly TpchColumn[];
  readonly rowCount: number;
  readonly bytes: number;
  /** every data file, partitioned or not */
  readonly files: readonly TpchFile[];
  /** partitioned tables only, keyed by partition path (`l_shipmonth=1995-03`) */
  readonly partitions?: Readonly<Record<string, TpchPartition>>;
}

export interface TpchManifest {
  readonly generator: 'shoal-tpch';
  readonly version: number;
  readonly sf: number;
  readonly database: typeof TPCH_DB;
  readonly generatedAt: string;
  readonly seconds: number;
  readonly tables: readonly TpchTable[];
}

async function parquetFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.parquet'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** Lists a table's files with sizes and row counts (from the Parquet footers). */
export async function describeTable(
  con: DuckDBConnection, warehouseDir: string, name: string, columns: readonly TpchColumn[],
  partitionColumns: readonly TpchColumn[],
): Promise<TpchTable> {
  const location = `${TPCH_DB}.db/${name}`;
  const paths = await parquetFiles(join(warehouseDir, location));
  const footer = await con.runAndReadAll(
    `SELECT file_name, num_rows FROM parquet_file_metadata([${paths.map(sqlString).join(', ')}])`,
  );
  const rowsByPath = new Map(footer.getRowsJS().map(([f, n]) => [String(f), Number(n)]));
  const files: TpchFile[] = [];
  for (const p of paths) {
    files.push({
      key: relative(warehouseDir, p).split(sep).join('/'),
      size: (await stat(p)).size,
      rows: rowsByPath.get(p) ?? 0,
    });
  }
  const sum = (fs: readonly TpchFile[], f: (x: TpchFile) => number) => fs.reduce((a, x) => a + f(x), 0);
  let partitions: Record<string, TpchPartition> | undefined;
  if (partitionColumns.length > 0) {
    partitions = {};
    for (const f of files) {
      const dirKey = f.key.slice(0, f.key.lastIndexOf('/'));
      const path = dirKey.slice(location.length + 1);
      const prev = partitions[path];
      const fs = [...(prev?.files ?? []), f];
      partitions[path] = {
        values: path.split('/').map((kv) => decodeURIComponent(kv.slice(kv.indexOf('=') + 1))),
        location: dirKey,
        files: fs,
        rows: sum(fs, (x) => x.rows),
        bytes: sum(fs, (x) => x.size),
      };
    }
  }
  return {
    name, db: TPCH_DB, location, format: 'parquet', columns, partitionColumns,
    rowCount: sum(files, (x) => x.rows), bytes: sum(files, (x) => x.size), files,
    ...(partitions ? { partitions } : {}),
  };
}
