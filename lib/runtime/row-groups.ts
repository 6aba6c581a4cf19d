// Source splits finer than a file: a Parquet file larger than the task target is cut
// into runs of whole row groups of about the target bytes. Only the footer is fetched
// (`writeFooterFile`: one or two ranged GETs), so DuckDB's own Parquet reader lists the
// row groups without any data page present.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { duck, rows } from '../exec/duck.js';
import { quoteString } from '../exec/render-expr.js';
import type { ObjectStore } from '../store/object-store.js';
import type { Split } from './plan-stage.js';
import { writeFooterFile } from './parquet-ranges.js';
import { coalescePartitions } from './sizing.js';

export interface RowGroup {
  readonly rows: number;
  /** compressed bytes of its column chunks */
  readonly bytes: number;
}

export async function readRowGroups(store: ObjectStore, key: string, size: number): Promise<RowGroup[]> {
  const dir = await mkdtemp(join(tmpdir(), 'shoal-footer-'));
  try {
    const path = join(dir, 'footer.parquet');
    await writeFooterFile(store, key, size, path);
    const con = await duck();
    try {
      const groups = await rows(con, `SELECT row_group_id AS g, any_value(row_group_num_rows) AS n, sum(total_compressed_size) AS b
        FROM parquet_metadata(${quoteString(path)}) GROUP BY row_group_id ORDER BY row_group_id`);
      return groups.map((r) => ({ rows: Number(r.n), bytes: Number(r.b) }));
    } finally {
      con.closeSync();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs of whole row groups of about `target` bytes, each a split over its row numbers; the file whole if one run. */
export function splitByRowGroups(split: Split, groups: readonly RowGroup[], target: number): Split[] {
  if (groups.length <= 1) return [split];
  const runs = coalescePartitions(groups.map((g) => g.bytes), target, 1, groups.length);
  if (runs.length <= 1) return [split];
  const firstRow = [0];
  for (const g of groups) firstRow.push(firstRow[firstRow.length - 1]! + g.rows);
  return runs.map(([a, b]) => ({
    ...split,
    size: groups.slice(a, b).reduce((n, g) => n + g.bytes, 0),
    fileSize: split.fileSize ?? split.size,
    rows: [firstRow[a]!, firstRow[b]!] as const,
  }));
}
