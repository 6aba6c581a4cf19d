// What LocalStore promises beyond the shared contract: atomicity across processes,
// readers never seeing half an object, no visible temp files, and keys that a file
// system can hold faithfully.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { isShoalError } from '../../lib/common/errors.js';
import { LocalStore } from '../../lib/store/local-store.js';

const run = promisify(execFile);
const WORKER = fileURLToPath(new URL('../support/put-if-absent-worker.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../..', import.meta.url)); // where `--import tsx` resolves

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'shoal-local-'));
  try {
    await fn(dir);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

test('putIfAbsent is atomic across processes: 4 processes x 5 calls, one winner', async () => {
  await withDir(async (dir) => {
    const startAt = String(Date.now() + 1500);
    const outs = await Promise.all([0, 1, 2, 3].map((id) =>
      run(process.execPath, ['--import', 'tsx', WORKER, dir, 'cat/v/1', `p${id}`, '5', startAt], { timeout: 20_000, cwd: REPO })));
    const wins = outs.reduce((sum, o) => sum + Number(o.stdout), 0);
    assert.equal(wins, 1);
    const body = (await fs.readFile(path.join(dir, 'cat', 'v', '1'), 'utf8'));
    assert.match(body, /^p\d-\d$/);
  });
});

test('readers never see a partly written object', async () => {
  await withDir(async (dir) => {
    const store = new LocalStore(dir);
    const size = 256 * 1024;
    await store.put('obj', new Uint8Array(size).fill(0));
    let writing = true;
    const writer = (async () => {
      for (let v = 1; v <= 40; v++) await store.put('obj', new Uint8Array(size).fill(v));
      writing = false;
    })();
    let reads = 0;
    while (writing) {
      const got = await store.get('obj');
      assert.equal(got.byteLength, size);
      assert.ok(got.every((b) => b === got[0]), 'every byte from the same write');
      reads++;
    }
    await writer;
    assert.ok(reads > 0);
  });
});

test('temp files, including ones a crash left behind, are never listed', async () => {
  await withDir(async (dir) => {
    const store = new LocalStore(dir);
    await store.put('t/a', 'a');
    await fs.mkdir(path.join(dir, '.shoal-tmp'), { recursive: true });
    await fs.writeFile(path.join(dir, '.shoal-tmp', 'orphan'), 'half');
    assert.deepEqual((await store.list('')).map((o) => o.key), ['t/a']);
  });
});

test('deletes prune the directories they empty, and only those', async () => {
  await withDir(async (dir) => {
    const store = new LocalStore(dir);
    await store.put('x/y/z/1', '1');
    await store.put('x/keep', 'k');
    await store.deletePrefix('x/y/');
    assert.deepEqual(await fs.readdir(path.join(dir, 'x')), ['keep']);
    await store.delete(['x/keep']);
    assert.deepEqual((await fs.readdir(dir)).filter((n) => n !== '.shoal-tmp'), []);
  });
});

test('keys a file system cannot hold faithfully are refused with a store error', async () => {
  await withDir(async (dir) => {
    const store = new LocalStore(dir);
    const refused = (e: unknown) => isShoalError(e) && e.kind === 'store';
    for (const key of ['', '../escape', 'a/../../b', 'a//b', '/abs', 'trailing/', '.shoal-tmp/x', 'a/./b']) {
      await assert.rejects(store.put(key, 'x'), refused, `key ${JSON.stringify(key)}`);
    }
    assert.deepEqual(await store.list('../'), []);
    await store.put('p/q', 'x');
    await assert.rejects(store.put('p', 'x'), (e) => refused(e) && /prefix/.test((e as Error).message), 'a key that is a directory');
    await assert.rejects(store.put('p/q/r', 'x'), (e) => refused(e) && /prefix/.test((e as Error).message), 'a key under an object');
    await assert.rejects(store.putIfAbsent('p', 'x'), refused);
  });
});

test('whole-object downloads are hard links and moved uploads are renames on the same file system; bytes are still counted', async () => {
  await withDir(async (dir) => {
    const s = new LocalStore(path.join(dir, 'wh'));
    await s.put('t/a.parquet', 'x'.repeat(1000));
    const local = path.join(dir, 'task', 'a.parquet');
    const read = s.counters.bytesRead;
    await s.getToFile('t/a.parquet', local);
    assert.equal(s.counters.bytesRead - read, 1000);
    const [obj, got] = await Promise.all([fs.stat(path.join(dir, 'wh', 't', 'a.parquet')), fs.stat(local)]);
    assert.equal(got.ino, obj.ino, 'the same inode: no bytes copied');
    // a range is a copy of its bytes
    const part = path.join(dir, 'task', 'part');
    await s.getToFile('t/a.parquet', part, { start: 10, end: 20 });
    assert.notEqual((await fs.stat(part)).ino, obj.ino);
    assert.equal(await fs.readFile(part, 'utf8'), 'x'.repeat(10));
    const out = path.join(dir, 'task', 'out.bin');
    await fs.writeFile(out, 'shuffle bytes');
    const ino = (await fs.stat(out)).ino;
    await s.putFile('t/out.bin', out, { move: true });
    assert.equal((await fs.stat(path.join(dir, 'wh', 't', 'out.bin'))).ino, ino, 'moved, not copied');
    await assert.rejects(fs.stat(out), { code: 'ENOENT' });
    // without move the caller's file stays its own
    await fs.writeFile(out, 'kept');
    await s.putFile('t/kept.bin', out);
    assert.notEqual((await fs.stat(path.join(dir, 'wh', 't', 'kept.bin'))).ino, (await fs.stat(out)).ino);
    assert.deepEqual((await s.list('')).map((o) => o.key), ['t/a.parquet', 't/kept.bin', 't/out.bin']);
  });
});

test('root is the directory as a file URL', () => {
  const store = new LocalStore('relative/dir');
  assert.equal(store.root, pathToFileURL(path.resolve('relative/dir')).href);
  assert.equal(store.dir, path.resolve('relative/dir'));
});
