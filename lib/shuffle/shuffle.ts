// Shuffle files on the object store: one object per map-task attempt holding all its
// output partitions back to back (each a small Parquet file), and an index with each
// partition's offset, length, rows and CRC-32. The index travels in the task's done
// marker (the put-if-absent that makes the attempt the winner), so it costs no request
// of its own. A reducer fetches its contiguous range of partitions from each map output
// with one ranged GET and checks every checksum.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { readFile, writeFile } from 'node:fs/promises';
import { taskError } from '../common/errors.js';
import type { ObjectStore } from '../store/object-store.js';

export interface IndexEntry {
  readonly partition: number;
  readonly offset: number;
  readonly length: number;
  readonly rows: number;
  readonly crc32: number;
}

/** What a map task publishes when it wins: where its output is and what it holds. */
export interface MapOutput {
  readonly task: number;
  readonly attempt: string;
  readonly dataKey: string;
  readonly partitions: number;
  readonly entries: readonly IndexEntry[];
  readonly bytes: number;
  readonly rows: number;
  /**
   * A small output as one Parquet file of every partition, each row tagged with its
   * partition in `__p` (CRC-32 of the whole object): writing 64 files costs far more
   * than the rows. Its entries give each partition's rows and its share of the bytes
   * (for sizing), all at offset 0; a reader fetches the whole object and filters.
   */
  readonly combined?: { readonly crc32: number };
}

/** The column of a combined output that holds each row's partition. */
export const PARTITION_COLUMN = '__p';

/** A local file of shuffle rows; of a combined output, only rows of `partitions` [start, end) belong to the reader. */
export interface ShuffleFile {
  readonly path: string;
  readonly partitions?: readonly [number, number];
}

/** Spreads keys over prefixes so that no single S3 prefix takes a whole job's shuffle traffic. */
export function shuffleKey(queryId: string, statement: number, stage: number, task: number, attempt: string): string {
  const spread = createHash('sha1').update(`${queryId}/${statement}/${stage}/${task}`).digest('hex').slice(0, 4);
  return `_jobs/${queryId}/shuffle/${spread}/s${statement}-st${stage}-t${task}-${attempt}`;
}

/** Concatenates the per-partition files into one object, uploads it, and returns its index. */
export async function writeShuffle(
  store: ObjectStore, key: string, files: readonly { partition: number; path: string; rows: number }[], partitions: number, localDir: string, task: number, attempt: string,
): Promise<MapOutput> {
  const sorted = [...files].sort((a, b) => a.partition - b.partition);
  const dataPath = join(localDir, 'shuffle.data');
  const out = createWriteStream(dataPath);
  const entries: IndexEntry[] = [];
  let offset = 0;
  for (const f of sorted) {
    const bytes = await readFile(f.path);
    entries.push({ partition: f.partition, offset, length: bytes.length, rows: f.rows, crc32: crc32(bytes) });
    offset += bytes.length;
    if (!out.write(bytes)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res())));
  const dataKey = `${key}.data`;
  const result: MapOutput = { task, attempt, dataKey, partitions, entries, bytes: offset, rows: entries.reduce((n, e) => n + e.rows, 0) };
  if (offset > 0) await store.putFile(dataKey, dataPath, { move: true });
  return result;
}

/** A mismatch is a retryable task error: the next attempt reads again; wrong rows are never returned. */
function checkCrc(bytes: Uint8Array, expected: number, what: string): void {
  const sum = crc32(bytes);
  if (sum !== expected) throw taskError(`${what} is corrupt: CRC-32 ${sum.toString(16)} where the index says ${expected.toString(16)}`, true);
}

/**
 * Fetches partitions [start, end) of one map output into local Parquet files, one ranged
 * GET for the whole span. A checksum mismatch or a short read is a retryable task error:
 * the next attempt reads again; wrong rows are never returned.
 */
export async function readShuffleRange(store: ObjectStore, out: MapOutput, start: number, end: number, localDir: string, tag: string): Promise<string[]> {
  const wanted = out.entries.filter((e) => e.partition >= start && e.partition < end && e.length > 0);
  if (wanted.length === 0) return [];
  const first = wanted[0]!.offset;
  const last = wanted[wanted.length - 1]!;
  const span = await store.get(out.dataKey, { start: first, end: last.offset + last.length });
  if (span.length !== last.offset + last.length - first)
    throw taskError(`shuffle object ${out.dataKey} is truncated: expected ${last.offset + last.length - first} bytes from offset ${first}, got ${span.length}`, true);
  const paths: string[] = [];
  for (const e of wanted) {
    const bytes = span.subarray(e.offset - first, e.offset - first + e.length);
    checkCrc(bytes, e.crc32, `shuffle object ${out.dataKey} partition ${e.partition}`);
    const p = join(localDir, `${tag}-p${e.partition}.parquet`);
    await writeFile(p, bytes);
    paths.push(p);
  }
  return paths;
}

/** Uploads a combined output (one Parquet file with `__p`) given its rows per partition. */
export async function writeCombinedShuffle(
  store: ObjectStore, key: string, path: string, rowsByPartition: ReadonlyMap<number, number>, partitions: number, task: number, attempt: string,
): Promise<MapOutput> {
  const bytes = await readFile(path);
  const rows = [...rowsByPartition.values()].reduce((a, b) => a + b, 0);
  const entries: IndexEntry[] = [...rowsByPartition].filter(([, n]) => n > 0).sort(([a], [b]) => a - b)
    .map(([partition, n]) => ({ partition, offset: 0, length: Math.max(1, Math.round((bytes.length * n) / rows)), rows: n, crc32: 0 }));
  const dataKey = `${key}.data`;
  const result: MapOutput = { task, attempt, dataKey, partitions, entries, bytes: bytes.length, rows, combined: { crc32: crc32(bytes) } };
  if (rows > 0) await store.putFile(dataKey, path, { move: true });
  return result;
}

/** Fetches a combined output whole (when it holds rows of partitions [start, end)), checked against its CRC-32. */
export async function readCombinedShuffle(store: ObjectStore, out: MapOutput, start: number, end: number, localDir: string, tag: string): Promise<ShuffleFile[]> {
  if (!out.entries.some((e) => e.partition >= start && e.partition < end && e.rows > 0)) return [];
  const bytes = await store.get(out.dataKey);
  if (bytes.length !== out.bytes) throw taskError(`shuffle object ${out.dataKey} is truncated: expected ${out.bytes} bytes, got ${bytes.length}`, true);
  checkCrc(bytes, out.combined!.crc32, `shuffle object ${out.dataKey}`);
  const path = join(localDir, `${tag}-all.parquet`);
  await writeFile(path, bytes);
  return [{ path, partitions: [start, end] }];
}
