// Write-write conflict detection: the rule as a pure function, and two real commits
// racing through the catalog's conditional write on a local store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Catalog } from '../../lib/catalog/catalog.js';
import { baseOf, checkConflict, type CommitTarget } from '../../lib/catalog/conflict.js';
import { applyDdl, getTable, replacePartitions } from '../../lib/catalog/ddl.js';
import { emptyCatalog, type CatalogState, type TableMeta } from '../../lib/catalog/model.js';
import { T } from '../../lib/common/types.js';
import { LocalStore } from '../../lib/store/local-store.js';

const table = (partitioned: boolean, createdAt = 1): TableMeta => ({
  db: 'default', name: 't', type: 'managed', columns: [{ name: 'v', type: T.string }],
  partitionColumns: partitioned ? [{ name: 'ds', type: T.string }] : [], format: 'parquet', location: 't', properties: {},
  files: [], partitions: {}, createdAt, dataVersion: 0,
});
const create = (s: CatalogState, t: TableMeta) => applyDdl(s, { kind: 'createTable', table: t, ifNotExists: false }).state;
const write = (s: CatalogState, ds: string, key: string) =>
  replacePartitions(s, getTable(s, 'default', 't'), [{ values: [ds], files: [{ key, size: 1, rows: 1 }] }], true).state;
const target = (partitions?: string[]): CommitTarget => ({ db: 'default', table: 't', create: false, partitions });

test('a commit conflicts with another job\'s write to a partition it writes, not with writes to other partitions', () => {
  const s0 = write(create(emptyCatalog(), table(true)), '2024-01-01', 'a');
  const base = baseOf(s0, 'default', 't');
  const s1 = write(s0, '2024-01-02', 'b');
  assert.doesNotThrow(() => checkConflict(s1, base, target(['ds=2024-01-01'])));
  assert.doesNotThrow(() => checkConflict(s0, base, target(['ds=2024-01-02'])));
  assert.throws(() => checkConflict(s1, base, target(['ds=2024-01-02', 'ds=2024-01-03'])),
    { kind: 'conflict', message: /conflict: partition ds=2024-01-02 of table 'default\.t' was written by another job while this one ran; nothing was committed; run the job again/ });
});

test('a statement that reads its target, or writes an unpartitioned table, conflicts with any change to the table', () => {
  const s0 = write(create(emptyCatalog(), table(true)), '2024-01-01', 'a');
  const base = baseOf(s0, 'default', 't');
  assert.throws(() => checkConflict(write(s0, '2024-01-02', 'b'), base, target(undefined)), /table 'default\.t' was changed by another job while this one ran \(data version 1 → 2\)/);
  const u0 = create(emptyCatalog(), table(false));
  const u1 = applyDdl(u0, { kind: 'loadData', db: 'default', table: 't', overwrite: false, files: [{ key: 'x', size: 1 }] }).state;
  assert.throws(() => checkConflict(u1, baseOf(u0, 'default', 't'), target(undefined)), { kind: 'conflict' });
});

test('CTAS conflicts when the table appeared; a write conflicts when its table was dropped or re-created', () => {
  const empty = emptyCatalog();
  const ctas = { db: 'default', table: 't', create: true };
  assert.doesNotThrow(() => checkConflict(empty, baseOf(empty, 'default', 't'), ctas));
  assert.throws(() => checkConflict(create(empty, table(false)), baseOf(empty, 'default', 't'), ctas), /table 'default\.t' was created by another job while this one ran/);
  const s0 = create(empty, table(true));
  const base = baseOf(s0, 'default', 't');
  assert.throws(() => checkConflict(empty, base, target(['ds=x'])), /was dropped by another job/);
  assert.throws(() => checkConflict(create(empty, table(true, 2)), base, target(['ds=x'])), /dropped and re-created/);
});

test('two commits racing through the catalog\'s conditional write: one lands, the other re-checks on the new version and fails; a disjoint one lands too', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'shoal-conflict-'));
  try {
    const catalog = new Catalog(new LocalStore(dir));
    await catalog.update((s) => create(s, table(true)));
    const base = baseOf(await catalog.load(), 'default', 't');
    const commit = (ds: string, key: string) => catalog.update((s) => { checkConflict(s, base, target([`ds=${ds}`])); return write(s, ds, key); }, key);
    const results = await Promise.allSettled([commit('2024-01-01', 'a'), commit('2024-01-01', 'b'), commit('2024-01-02', 'c')]);
    const [a, b, c] = results;
    assert.equal(c!.status, 'fulfilled', 'a disjoint partition commits');
    assert.equal([a, b].filter((r) => r!.status === 'fulfilled').length, 1, 'exactly one of the two same-partition commits lands');
    const lost = [a, b].find((r) => r!.status === 'rejected') as PromiseRejectedResult;
    assert.match(String(lost.reason.message), /partition ds=2024-01-01 of table 'default\.t' was written by another job/);
    const final = await catalog.load();
    assert.equal(final.version, 3);
    const winner = a!.status === 'fulfilled' ? 'a' : 'b';
    assert.deepEqual(getTable(final, 'default', 't').partitions['ds=2024-01-01']!.files.map((f) => f.key), [winner]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
