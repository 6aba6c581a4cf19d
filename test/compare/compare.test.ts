// shoal compare on real tables: each kind of difference is reported with its partition,
// column and statistic; identical tables match.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { compareTables, type Difference } from '../../lib/compare/compare.js';
import { startShoal, type Shoal } from '../support/engines.js';

let shoal: Shoal;
before(async () => {
  shoal = await startShoal({ store: 'local' });
  // a is the reference; the other tables each differ from it in one way
  await shoal.run(`
CREATE TABLE a (id INT, name STRING, amount DOUBLE, qty BIGINT) PARTITIONED BY (ds STRING) STORED AS PARQUET;
INSERT INTO a PARTITION (ds) VALUES (1, 'x', 1.5, 10, '2024-01-01'), (2, 'y', 2.25, 20, '2024-01-01'), (3, 'z', 1000000.0, 30, '2024-01-02');
CREATE TABLE same LIKE a;  INSERT INTO same PARTITION (ds) SELECT * FROM a;
CREATE TABLE changed LIKE a; INSERT INTO changed PARTITION (ds) SELECT id, if(id = 2, 'w', name), amount, qty, ds FROM a;
CREATE TABLE missing LIKE a; INSERT INTO missing PARTITION (ds) SELECT * FROM a WHERE ds = '2024-01-01';
CREATE TABLE extra LIKE a; INSERT INTO extra PARTITION (ds) SELECT * FROM a UNION ALL SELECT 4, 'q', 0.0, 0, '2024-01-02';
CREATE TABLE nulled LIKE a; INSERT INTO nulled PARTITION (ds) SELECT id, name, amount, if(id = 1, NULL, qty), ds FROM a;
CREATE TABLE near LIKE a; INSERT INTO near PARTITION (ds) SELECT id, name, if(id = 3, amount + 0.0001, amount), qty, ds FROM a;
`);
});
after(() => shoal.close());

const diffs = async (b: string, o: { tolerance?: number; key?: string[] } = {}) => compareTables('a', b, { warehouse: shoal.warehouse, workers: 1, ...o });
const brief = (d: readonly Difference[]) => d.map((x) => `${x.partition}|${x.column}|${x.stat}`);

test('identical tables match in every partition', async () => {
  const r = await diffs('same');
  assert.equal(r.match, true);
  assert.deepEqual(r.partitions.matching, ['ds=2024-01-01', 'ds=2024-01-02']);
  assert.deepEqual(r.differences, []);
});

test('a single changed value: its partition, column, min/max/distinct; the key shows the row', async () => {
  const r = await diffs('changed', { key: ['id'] });
  assert.equal(r.match, false);
  assert.deepEqual(r.partitions.differing, ['ds=2024-01-01']);
  assert.deepEqual(r.partitions.matching, ['ds=2024-01-02']);
  // y → w: max changes from y to x, min from x to w; two distinct values either way
  assert.deepEqual(r.differences.map((d) => [d.partition, d.column, d.stat, d.a, d.b]), [
    ['ds=2024-01-01', 'name', 'min', 'x', 'w'], ['ds=2024-01-01', 'name', 'max', 'y', 'x'],
    // summed Hive hash(): Java's String.hashCode of one character is its code point
    ['ds=2024-01-01', 'name', 'hash', 'x'.charCodeAt(0) + 'y'.charCodeAt(0), 'x'.charCodeAt(0) + 'w'.charCodeAt(0)],
  ]);
  const s = r.sampleRows!['ds=2024-01-01']!;
  assert.equal(s.rows.length, 1);
  const row = Object.fromEntries(s.columns.map((c, i) => [c, s.rows[0]![i]]));
  assert.equal(row['a_id'], 2); assert.equal(row['a_name'], 'y'); assert.equal(row['b_name'], 'w');
});

test('a missing partition is reported as present on one side only', async () => {
  const r = await diffs('missing');
  assert.deepEqual(r.partitions.onlyInA, ['ds=2024-01-02']);
  assert.deepEqual(brief(r.differences), ['ds=2024-01-02||presence']);
});

test('an extra row changes the row count and the statistics of its partition', async () => {
  const r = await diffs('extra');
  assert.deepEqual(r.partitions.differing, ['ds=2024-01-02']);
  assert.ok(brief(r.differences).includes('ds=2024-01-02||row_count'));
  const rc = r.differences.find((d) => d.stat === 'row_count')!;
  assert.deepEqual([rc.a, rc.b], [1, 2]);
});

test('a NULL where there was a value shows in the null count and the sum', async () => {
  const r = await diffs('nulled');
  assert.deepEqual(r.differences.map((d) => [d.partition, d.column, d.stat, d.a, d.b]), [
    ['ds=2024-01-01', 'qty', 'nulls', 0, 1], ['ds=2024-01-01', 'qty', 'sum', 30, 20],
    ['ds=2024-01-01', 'qty', 'min', 10, 20], ['ds=2024-01-01', 'qty', 'distinct', 2, 1],
    // Java's Long.hashCode of a small non-negative value is the value; NULLs are skipped
    ['ds=2024-01-01', 'qty', 'hash', 30, 20],
  ]);
});

test('values moved between rows with the same count, sum, min, max and distinct count show in the hash', async () => {
  // {a, bb, bb, c} against {a, bb, c, c}: only how often each value occurs differs
  await shoal.run(`
CREATE TABLE ma (v STRING) STORED AS PARQUET; INSERT INTO ma VALUES ('a'), ('bb'), ('bb'), ('c');
CREATE TABLE mb (v STRING) STORED AS PARQUET; INSERT INTO mb VALUES ('a'), ('bb'), ('c'), ('c');`);
  const r = await compareTables('ma', 'mb', { warehouse: shoal.warehouse, workers: 1 });
  assert.equal(r.match, false);
  assert.deepEqual(r.differences.map((d) => [d.column, d.stat]), [['v', 'hash']]);
});

test('a float within the relative tolerance matches, outside it differs', async () => {
  assert.equal((await diffs('near', { tolerance: 1e-6 })).match, true);
  const r = await diffs('near', { tolerance: 1e-12 });
  assert.deepEqual(brief(r.differences), ['ds=2024-01-02|amount|sum', 'ds=2024-01-02|amount|min', 'ds=2024-01-02|amount|max']);
});
