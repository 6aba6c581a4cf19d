// Partial Parquet downloads. A sparse local file of the object's size holds the footer at
// its offset, so DuckDB's own reader lists row groups and column chunks without any data
// page present; a scan then needs only the column chunks of the columns it reads (and
// their Bloom filters), in the row groups of its rows, written at their offsets. DuckDB
// reads nothing else of the file, so the scan is the same as over the whole file, at a
// fraction of the bytes from S3.
import { open, type FileHandle } from 'node:fs/promises';
import { taskError } from '../common/errors.js';
import { duck, rows } from '../exec/duck.js';
import { quoteString } from '../exec/render-expr.js';
import type { ByteRange, ObjectStore } from '../store/object-store.js';
import { mapLimit } from '../store/util.js';

const MAGIC = 'PAR1';
/** One GET for the tail usually brings the whole footer. */
const TAIL_BYTES = 64 * 1024;
/** Ranges closer than this are fetched as one: a request costs more than the bytes between. */
const MERGE_GAP = 256 * 1024;
/** Below this size, or when the ranges would cover most of the file, the file is fetched whole. */
const WHOLE_FILE_BYTES = 1024 * 1024;
const WHOLE_FILE_SHARE = 0.8;
const RANGE_CONCURRENCY = 4;

/** Writes `path` as a sparse copy of the Parquet object holding only its footer (and leading magic). */
export async function writeFooterFile(store: ObjectStore, key: string, size: number, path: string): Promise<void> {
  const notParquet = (why: string) => taskError(`${key} is not a Parquet file (${why}): expected a footer ending in ${MAGIC}`, false);
  if (size < 12) throw notParquet(`${size} bytes`);
  const tailStart = Math.max(0, size - TAIL_BYTES);
  const tail = Buffer.from(await store.get(key, { start: tailStart, end: size }));
  if (tail.length !== size - tailStart) throw taskError(`${key} is ${tailStart + tail.length} bytes, where the catalog says ${size}`, true);
  if (tail.toString('latin1', tail.length - 4) !== MAGIC) throw notParquet('no magic at the end');
  const footerLength = tail.readUInt32LE(tail.length - 8);
  if (footerLength + 12 > size) throw notParquet(`a footer of ${footerLength} bytes in ${size}`);
  const footerStart = size - 8 - footerLength;
  const footer = footerStart >= tailStart ? tail.subarray(footerStart - tailStart) : await store.get(key, { start: footerStart, end: size });
  await withFile(path, async (fh) => {
    await fh.truncate(size);
    await fh.write(Buffer.from(MAGIC, 'latin1'), 0, 4, 0);
    await fh.write(footer, 0, footer.length, footerStart);
  });
}

async function withFile(path: string, work: (fh: FileHandle) => Promise<void>): Promise<void> {
  const fh = await open(path, 'r+').catch(() => open(path, 'w'));
  try {
    await work(fh);
  } finally {
    await fh.close();
  }
}

export interface ColumnRead {
  /** top-level column names as the files have them (compared without case) */
  readonly columns: readonly string[];
  /** rows [first, end) of the file; all rows when absent */
  readonly rows?: readonly [number, number];
}

/**
 * Fetches into `path` what a scan of `read` needs of the Parquet object: a sparse file,
 * or the whole object where that is about as many bytes. Returns the byte ranges fetched
 * besides the footer (the whole object as one range).
 */
export async function fetchColumnChunks(store: ObjectStore, key: string, size: number, read: ColumnRead, path: string): Promise<ByteRange[]> {
  const whole = async () => {
    await store.getToFile(key, path);
    return [{ start: 0, end: size }];
  };
  if (size < WHOLE_FILE_BYTES) return whole();
  await writeFooterFile(store, key, size, path);
  const chunks = await chunkRanges(path, read);
  if (!chunks) return whole();
  const ranges = mergeRanges(chunks, MERGE_GAP);
  if (ranges.reduce((n, r) => n + r.end - r.start, 0) >= WHOLE_FILE_SHARE * size) return whole();
  await withFile(path, async (fh) => {
    await mapLimit(ranges, RANGE_CONCURRENCY, async (r) => {
      const bytes = await store.get(key, r);
      if (bytes.length !== r.end - r.start) throw taskError(`${key}: expected ${r.end - r.start} bytes at ${r.start}, got ${bytes.length}`, true);
      await fh.write(bytes, 0, bytes.length, r.start);
    });
  });
  return ranges;
}

/** The column chunks (and Bloom filters) of `read`'s columns in the row groups that hold its rows, from the footer file's metadata; undefined when they cannot be told. */
async function chunkRanges(path: string, read: ColumnRead): Promise<ByteRange[] | undefined> {
  const con = await duck();
  let meta: Record<string, unknown>[];
  try {
    meta = await rows(con, `SELECT row_group_id AS g, row_group_num_rows AS n, lower(path_in_schema) AS p, dictionary_page_offset AS dict, data_page_offset AS data,
      total_compressed_size AS len, bloom_filter_offset AS bloom, bloom_filter_length AS bloom_len
      FROM parquet_metadata(${quoteString(path)}) ORDER BY row_group_id, column_id`);
  } finally {
    con.closeSync();
  }
  const wanted = read.columns.map((c) => c.toLowerCase());
  const isWanted = (p: string) => wanted.some((c) => p === c || p.startsWith(`${c}, `));
  const firstRow = new Map<number, number>();
  let next = 0;
  for (const m of meta) {
    const g = Number(m.g);
    if (!firstRow.has(g)) { firstRow.set(g, next); next += Number(m.n); }
  }
  const ranges: ByteRange[] = [];
  for (const m of meta) {
    const first = firstRow.get(Number(m.g))!;
    if (read.rows && (first >= read.rows[1] || first + Number(m.n) <= read.rows[0])) continue;
    if (!isWanted(String(m.p))) continue;
    // A chunk starts at its dictionary page when it has one.
    const offsets = [m.dict, m.data].filter((o) => o !== null && o !== undefined).map(Number).filter((o) => o > 0);
    const start = Math.min(...offsets);
    ranges.push({ start, end: start + Number(m.len) });
    if (m.bloom !== null && m.bloom !== undefined) {
      // A writer that leaves out the filter's length leaves us no way to know its bytes.
      if (m.bloom_len === null || m.bloom_len === undefined) return undefined;
      ranges.push({ start: Number(m.bloom), end: Number(m.bloom) + Number(m.bloom_len) });
    }
  }
  return ranges;
}

/** Sorted ranges, overlapping or nearer than `gap` ones joined. */
export function mergeRanges(ranges: readonly ByteRange[], gap: number): ByteRange[] {
  const sorted = [...ranges].filter((r) => r.end > r.start).sort((a, b) => a.start - b.start);
  const out: { start: number; end: number }[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start - last.end <= gap) last.end = Math.max(last.end, r.end);
    else out.push({ ...r });
  }
  return out;
}
