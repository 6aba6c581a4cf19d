// Shuffle objects round-trip through both stores: one object per map attempt, one
// ranged GET per read, and a corrupted or truncated object fails the read with a
// retryable task error instead of returning wrong rows.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isShoalError } from '../../lib/common/errors.js';
import { errorName } from '../../lib/runtime/handlers.js';
import { readCombinedShuffle, readShuffleRange, shuffleKey, writeCombinedShuffle, writeShuffle, type MapOutput } from '../../lib/shuffle/shuffle.js';
import { LocalStore } from '../../lib/store/local-store.js';
import type { ObjectStore } from '../../lib/store/object-store.js';
import { S3Store } from '../../lib/store/s3-store.js';
import { withS3 } from '../support/s3-server.js';

/** Partition number → its bytes; partition 2 is empty and so absent. */
const PARTS: Record<number, Buffer> = { 0: randomBytes(1000), 1: randomBytes(1), 3: randomBytes(4096), 5: randomBytes(333) };

async function writeMapOutput(store: ObjectStore, dir: string, task: number): Promise<MapOutput> {
  const files = [];
  for (const [p, bytes] of Object.entries(PARTS)) {
    const path = join(dir, `map${task}-p${p}.bin`);
    await writeFile(path, bytes);
    files.push({ partition: Number(p), path, rows: bytes.length });
  }
  return writeShuffle(store, shuffleKey('qtest', 0, 1, task, 'a1'), files.reverse(), 6, dir, task, 'a1');
}

function assertRejectsWith(pattern: RegExp): (e: unknown) => true {
  return (e) => {
    assert.ok(isShoalError(e), String(e));
    assert.equal(e.kind, 'task');
    assert.equal(e.retryable, true, 'the retry re-reads');
    assert.equal(errorName(e), 'Shoal.Transient', 'Step Functions retries it');
    assert.match(e.message, pattern);
    return true;
  };
}

async function shuffleContract(t: TestContext, store: ObjectStore, dir: string): Promise<void> {
  await t.test('a map output is one data object, partitions back to back in order, and an index', async () => {
    const out = await writeMapOutput(store, dir, 0);
    assert.deepEqual(out.entries.map((e) => e.partition), [0, 1, 3, 5]);
    assert.equal(out.bytes, 1000 + 1 + 4096 + 333);
    assert.equal((await store.head(out.dataKey))?.size, out.bytes);
    assert.deepEqual((await store.list('_jobs/')).map((o) => o.key), [out.dataKey], 'the index travels in the done marker, not in an object');
    let offset = 0;
    for (const e of out.entries) {
      assert.equal(e.offset, offset);
      assert.equal(e.length, PARTS[e.partition]!.length);
      offset += e.length;
    }
    assert.match(out.dataKey, /^_jobs\/qtest\/shuffle\/[0-9a-f]{4}\//, 'keys are spread by a hash');
    assert.notEqual(shuffleKey('qtest', 0, 1, 1, 'a1').split('/')[3], shuffleKey('qtest', 0, 1, 2, 'a1').split('/')[3]);
  });

  await t.test('a partition range comes back byte for byte with one ranged GET', async () => {
    const out = await writeMapOutput(store, dir, 1);
    const gets = store.counters.get;
    const paths = await readShuffleRange(store, out, 1, 5, dir, 'r1');
    assert.equal(store.counters.get - gets, 1);
    assert.equal(paths.length, 2, 'partitions 1 and 3; 2 and 4 are empty');
    assert.deepEqual(await readFile(paths[0]!), PARTS[1]);
    assert.deepEqual(await readFile(paths[1]!), PARTS[3]);
    const all = await readShuffleRange(store, out, 0, 6, dir, 'r2');
    assert.deepEqual(await Promise.all(all.map((p) => readFile(p))), [PARTS[0], PARTS[1], PARTS[3], PARTS[5]]);
    const before = store.counters.get;
    assert.deepEqual(await readShuffleRange(store, out, 2, 3, dir, 'r3'), [], 'an empty range');
    assert.equal(store.counters.get, before, 'reading nothing costs no request');
  });

  await t.test('a flipped byte fails the read naming the object and the partition', async () => {
    const out = await writeMapOutput(store, dir, 2);
    const data = Buffer.from(await store.get(out.dataKey));
    data[1000 + 1 + 17]! ^= 0x40; // inside partition 3
    await store.put(out.dataKey, data);
    await assert.rejects(readShuffleRange(store, out, 0, 6, dir, 'c1'), assertRejectsWith(new RegExp(`${out.dataKey.replace(/[.]/g, '\\.')} partition 3 is corrupt: CRC-32`)));
    const ok = await readShuffleRange(store, out, 0, 2, dir, 'c2');
    assert.deepEqual(await readFile(ok[0]!), PARTS[0], 'partitions before the damage still read');
  });

  await t.test('a truncated object fails the read with the bytes expected and found', async () => {
    const out = await writeMapOutput(store, dir, 3);
    const data = Buffer.from(await store.get(out.dataKey));
    await store.put(out.dataKey, data.subarray(0, 1000 + 1 + 2000));
    await assert.rejects(readShuffleRange(store, out, 3, 6, dir, 't1'), assertRejectsWith(/is truncated: expected 4429 bytes from offset 1001, got 2000/));
    // cut before the range starts: S3 answers 416, read as no bytes (not an empty object: s3rver drops the connection on a range over one)
    await store.put(out.dataKey, data.subarray(0, 500));
    await assert.rejects(readShuffleRange(store, out, 5, 6, dir, 't2'), assertRejectsWith(/is truncated: expected 333 bytes from offset 5097, got 0/));
  });

  await t.test('a combined output is one object with the rows and a share of the bytes per partition; reads check it whole', async () => {
    const body = randomBytes(800);
    const local = join(dir, 'combined.parquet');
    await writeFile(local, body);
    const out = await writeCombinedShuffle(store, shuffleKey('qtest', 0, 2, 0, 'a1'), local, new Map([[4, 300], [0, 100], [2, 0]]), 6, 0, 'a1');
    assert.deepEqual(out.entries.map((e) => [e.partition, e.offset, e.length, e.rows]), [[0, 0, 200, 100], [4, 0, 600, 300]]);
    assert.equal(out.bytes, 800);
    assert.equal(out.rows, 400);
    assert.deepEqual(Buffer.from(await store.get(out.dataKey)), body);
    const gets = store.counters.get;
    assert.deepEqual(await readCombinedShuffle(store, out, 1, 4, dir, 'x1'), [], 'no rows of partitions 1-3: nothing fetched');
    assert.equal(store.counters.get, gets);
    const files = await readCombinedShuffle(store, out, 3, 6, dir, 'x2');
    assert.equal(store.counters.get - gets, 1);
    assert.deepEqual(files.map((f) => f.partitions), [[3, 6]], 'the reader keeps its own partitions of the file');
    assert.deepEqual(await readFile(files[0]!.path), body);
    const flipped = Buffer.from(body);
    flipped[17]! ^= 0x40;
    await store.put(out.dataKey, flipped);
    await assert.rejects(readCombinedShuffle(store, out, 0, 6, dir, 'x3'), assertRejectsWith(/is corrupt: CRC-32/));
    await store.put(out.dataKey, body.subarray(0, 700));
    await assert.rejects(readCombinedShuffle(store, out, 0, 6, dir, 'x4'), assertRejectsWith(/is truncated: expected 800 bytes, got 700/));
  });

  await t.test('a missing data object fails the read with a store error naming it', async () => {
    const out = await writeMapOutput(store, dir, 4);
    await store.delete([out.dataKey]);
    await assert.rejects(readShuffleRange(store, out, 0, 6, dir, 'm1'), (e) => isShoalError(e) && e.kind === 'store' && e.message.includes(out.dataKey));
  });
}

test('shuffle objects on the local store', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'shoal-shuffle-'));
  try {
    await shuffleContract(t, new LocalStore(join(dir, 'store')), dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('shuffle objects on S3', async (t) => {
  await withS3(async (server) => {
    const dir = await mkdtemp(join(tmpdir(), 'shoal-shuffle-s3-'));
    const store = new S3Store({ ...server.connect, bucket: server.bucket, prefix: `shuffle-${process.pid}` });
    try {
      await shuffleContract(t, store, dir);
    } finally {
      store.client.destroy();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
