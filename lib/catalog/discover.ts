// Finds the data files already under a table's directory, for tables whose files were
// put there by something else: CREATE EXTERNAL TABLE … LOCATION over existing files,
// ALTER TABLE … ADD PARTITION, MSCK REPAIR TABLE. Hive's rules: names starting with `_`
// or `.` are hidden (markers, staging), a partition is a `col=value/…` directory path
// naming exactly the partition columns in order, and files sit directly inside it.
import type { FoundPartition } from '../plan/job.js';
import type { ObjectStore } from '../store/object-store.js';
import type { DataFile, TableMeta } from './model.js';
import { parsePartitionPath } from './partition-path.js';

const hidden = (segment: string) => segment.startsWith('_') || segment.startsWith('.');

/** Data files directly inside `dir` (a key prefix without the trailing slash). */
export async function filesIn(store: ObjectStore, dir: string): Promise<DataFile[]> {
  const prefix = dir === '' ? '' : `${dir}/`;
  return (await store.list(prefix))
    .filter((o) => { const rest = o.key.slice(prefix.length); return rest !== '' && !rest.includes('/') && !hidden(rest) && o.size > 0; })
    .map((o) => ({ key: o.key, size: o.size }));
}

/** Every partition directory under the table's location with its files; for an unpartitioned table, one entry with the files at the top. */
export async function discoverPartitions(store: ObjectStore, t: TableMeta): Promise<FoundPartition[]> {
  if (t.partitionColumns.length === 0) return [{ values: [], files: await filesIn(store, t.location) }];
  const prefix = `${t.location}/`;
  const cols = t.partitionColumns.map((c) => c.name);
  const found = new Map<string, { values: (string | null)[]; files: DataFile[] }>();
  for (const o of await store.list(prefix)) {
    const segments = o.key.slice(prefix.length).split('/');
    if (segments.length !== cols.length + 1 || segments.some(hidden) || o.size === 0) continue;
    const dir = segments.slice(0, -1).join('/');
    const values = parsePartitionPath(cols, dir);
    if (!values) continue;
    if (!found.has(dir)) found.set(dir, { values, files: [] });
    found.get(dir)!.files.push({ key: o.key, size: o.size });
  }
  return [...found.values()];
}
