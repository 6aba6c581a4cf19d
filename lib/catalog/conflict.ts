// Write-write conflicts between jobs, decided on catalog data alone. A statement records
// what its target table looked like when it started (its base); at commit, the newest
// catalog is checked against that base, and again on every retry of the conditional
// write, so of two racing commits the loser sees the winner's change.
//
// The rule (like Hive's partition locks and Iceberg's partition-scoped validation):
// two jobs conflict when they write the same partition, or the same unpartitioned table,
// or when one of them also reads the table it writes (then any change to the table is a
// conflict, since its result depends on what it read). Jobs writing different partitions
// of one table commit one after the other without conflict.
import { conflictError } from '../common/errors.js';
import type { CatalogState, TableMeta } from './model.js';

/** The target table as a statement found it when it started. */
export interface CommitBase {
  readonly catalogVersion: number;
  /** absent when the table did not exist (CTAS) */
  readonly table?: { readonly createdAt: number; readonly dataVersion: number };
}

export interface CommitTarget {
  readonly db: string;
  readonly table: string;
  /** the statement creates the table (CTAS) */
  readonly create: boolean;
  /** partition paths written; undefined: the whole table counts (unpartitioned, or the statement reads its target) */
  readonly partitions?: readonly string[];
}

export function baseOf(s: CatalogState, db: string, table: string): CommitBase {
  const t = s.databases[db]?.tables[table];
  return { catalogVersion: s.version, table: t ? { createdAt: t.createdAt, dataVersion: t.dataVersion } : undefined };
}

const retry = 'nothing was committed; run the job again';

/** Throws a conflict error when `s` holds a change to the target made after `base` by someone else. */
export function checkConflict(s: CatalogState, base: CommitBase, target: CommitTarget): void {
  const name = `${target.db}.${target.table}`;
  const t: TableMeta | undefined = s.databases[target.db]?.tables[target.table];
  if (target.create) {
    if (t) throw conflictError(`conflict: table '${name}' was created by another job while this one ran; ${retry} (it will then fail unless IF NOT EXISTS is given, as the table exists)`);
    return;
  }
  if (!base.table) throw conflictError(`conflict: table '${name}' did not exist when this job started; ${retry}`);
  if (!t) throw conflictError(`conflict: table '${name}' was dropped by another job while this one ran; nothing was committed`);
  if (t.createdAt !== base.table.createdAt) throw conflictError(`conflict: table '${name}' was dropped and re-created by another job while this one ran; ${retry}`);
  if (t.dataVersion === base.table.dataVersion) return;
  if (!target.partitions || t.partitionColumns.length === 0)
    throw conflictError(`conflict: table '${name}' was changed by another job while this one ran (data version ${base.table.dataVersion} → ${t.dataVersion}); ${retry}`);
  const since = base.table.dataVersion;
  const changed = target.partitions.filter((p) => (t.partitions[p]?.dataVersion ?? 0) > since);
  if (changed.length)
    throw conflictError(`conflict: partition ${changed.slice(0, 3).join(', ')}${changed.length > 3 ? ` (and ${changed.length - 3} more)` : ''} of table '${name}' was written by another job while this one ran; ${retry}`);
}
