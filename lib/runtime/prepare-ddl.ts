// The storage work a catalog action needs before its catalog switch: RENAME TO copies a
// managed table's files to its new directory (the old ones are deleted after the
// switch, like any replaced file); ANALYZE measures row counts and sizes. Both leave
// the catalog untouched, so a failure here changes no table.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Catalog } from '../catalog/catalog.js';
import { filesOf, getTable, matches, relocate, renamedLocation, statsOf } from '../catalog/ddl.js';
import type { DataFile, Stats, TableMeta } from '../catalog/model.js';
import { duck, rows } from '../exec/duck.js';
import { quoteString } from '../exec/render-expr.js';
import { showRowsKey, type DdlAction } from '../plan/job.js';
import { showRows } from '../plan/show.js';
import type { ObjectStore } from '../store/object-store.js';
import { mapLimit } from '../store/util.js';

/** `recordPending` notes keys this step writes, so a failed job's cleanup removes them. */
export async function prepareDdl(store: ObjectStore, action: DdlAction, recordPending: (keys: readonly string[]) => Promise<void>): Promise<DdlAction> {
  if (action.kind !== 'renameTable' && action.kind !== 'analyze') return action;
  const t = getTable(await new Catalog(store).load(), action.db, action.table);
  if (action.kind === 'renameTable') {
    const to = renamedLocation(t, action.toDb, action.toName);
    if (to === t.location) return action;
    const from = filesOf(t);
    const moved = filesOf(relocate(t, t.location, to));
    await recordPending(moved);
    await mapLimit(from.map((k, i) => [k, moved[i]!] as const), 8, ([src, dst]) => store.copy(src, dst));
    return action;
  }
  return { ...action, stats: await measure(store, t, action.filter, action.noScan ?? false) };
}

/** SHOW/DESCRIBE: the rows from the catalog as it is now, stored for the client like a query's result. */
export async function writeShowRows(store: ObjectStore, e: { queryId: string; statement: number }, a: Extract<DdlAction, { kind: 'show' }>) {
  const r = showRows(a.statement, { catalog: await new Catalog(store).load(), currentDb: a.currentDb, temporaryFunctions: a.temporaryFunctions }, store.root);
  await store.put(showRowsKey(e.queryId, e.statement), JSON.stringify(r.rows));
  return { statement: e.statement, rows: r.rows.length, files: 0 };
}

/** Row counts and sizes per partition path ('' for an unpartitioned table), read from the files themselves. */
async function measure(store: ObjectStore, t: TableMeta, filter: Parameters<typeof matches>[2] | undefined, noScan: boolean): Promise<Record<string, Stats>> {
  const scope: [string, readonly DataFile[]][] = t.partitionColumns.length === 0
    ? [['', t.files]]
    : Object.entries(t.partitions).filter(([, p]) => !filter || matches(t, p.values, filter)).map(([path, p]) => [path, p.files]);
  if (noScan) return Object.fromEntries(scope.map(([path, files]) => [path, statsOf(files)]));
  const dir = await mkdtemp(join(tmpdir(), 'shoal-analyze-'));
  try {
    const con = await duck();
    try {
      const out: Record<string, Stats> = {};
      let n = 0;
      for (const [path, files] of scope) {
        const counted = await mapLimit([...files], 4, async (f) => ({ ...f, rows: await countRows(store, con, f, t.format, join(dir, `f${n++}`)) }));
        out[path] = statsOf(counted);
      }
      return out;
    } finally {
      con.closeSync();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function countRows(store: ObjectStore, con: Awaited<ReturnType<typeof duck>>, f: DataFile, format: TableMeta['format'], local: string): Promise<number> {
  if (format === 'textfile') {
    const body = await store.get(f.key);
    let lines = 0;
    for (const b of body) if (b === 10) lines++;
    return lines + (body.length > 0 && body[body.length - 1] !== 10 ? 1 : 0);
  }
  await store.getToFile(f.key, local);
  const r = await rows(con, `SELECT CAST(coalesce(sum(num_rows), 0) AS BIGINT) AS n FROM parquet_file_metadata(${quoteString(local)})`);
  return Number(r[0]!.n);
}
