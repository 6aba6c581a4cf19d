// Fan-out sizing as pure functions over byte vectors: coalescing fine partitions into
// tasks of about the target bytes, and finding the partitions too big for one task.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitByRowGroups } from '../../lib/runtime/row-groups.js';
import { coalescePartitions, median, skewedPartitions } from '../../lib/runtime/sizing.js';

const bytesOf = (bytes: readonly number[], ranges: readonly (readonly [number, number])[]) =>
  ranges.map(([s, e]) => bytes.slice(s, e).reduce((a, b) => a + b, 0));

/** Ranges are contiguous, in order, and cover every partition exactly once. */
function assertCovers(ranges: readonly (readonly [number, number])[], n: number): void {
  assert.equal(ranges[0]![0], 0);
  assert.equal(ranges[ranges.length - 1]![1], n);
  for (let i = 1; i < ranges.length; i++) assert.equal(ranges[i]![0], ranges[i - 1]![1]);
  for (const [s, e] of ranges) assert.ok(e > s || n === 0, `empty range [${s}, ${e})`);
}

test('makes ceil(total / target) tasks of about equal bytes from uniform partitions', () => {
  const bytes = Array.from({ length: 1000 }, () => 1000); // 1 MB in 1000 partitions
  const ranges = coalescePartitions(bytes, 100_000);
  assert.equal(ranges.length, 10);
  assertCovers(ranges, 1000);
  assert.deepEqual(bytesOf(bytes, ranges), Array(10).fill(100_000));
});

test('each task is off its share by less than one partition, for uneven partitions', () => {
  const bytes = Array.from({ length: 997 }, (_, i) => ((i * 7919) % 101) * 13 + (i % 5 === 0 ? 0 : 50));
  const total = bytes.reduce((a, b) => a + b, 0);
  const target = Math.ceil(total / 23);
  const ranges = coalescePartitions(bytes, target);
  assert.equal(ranges.length, 23);
  assertCovers(ranges, bytes.length);
  const biggest = Math.max(...bytes);
  // the cuts sit nearest the ideal boundaries, so each range's bytes are within one partition of total/23 from each side
  for (const b of bytesOf(bytes, ranges)) assert.ok(Math.abs(b - total / 23) <= biggest, `${b} vs ${total / 23}`);
});

test('empty partitions between data are absorbed, and never make a task of their own', () => {
  const bytes = [0, 0, 500, 0, 0, 0, 500, 0, 500, 0, 0];
  const ranges = coalescePartitions(bytes, 500);
  assert.equal(ranges.length, 3);
  assertCovers(ranges, bytes.length);
  assert.deepEqual(bytesOf(bytes, ranges), [500, 500, 500]);
});

test('one huge partition stays whole: one task for it, none empty', () => {
  const bytes = [0, 0, 0, 10_000_000, 0, 0];
  assert.deepEqual(coalescePartitions(bytes, 1000), [[0, 6]]);
  const withSmall = [10, 0, 10_000_000, 10, 10];
  const ranges = coalescePartitions(withSmall, 1000);
  assertCovers(ranges, withSmall.length);
  assert.ok(ranges.length <= 4);
  for (const b of bytesOf(withSmall, ranges)) assert.ok(b > 0);
});

test('all-empty input is one task over every partition, whatever the limits', () => {
  assert.deepEqual(coalescePartitions(new Array(64).fill(0), 1000), [[0, 64]]);
  assert.deepEqual(coalescePartitions(new Array(64).fill(0), 1000, 8, 16), [[0, 64]]);
  assert.deepEqual(coalescePartitions([], 1000), [[0, 0]]);
});

test('min and max parallelism bound the task count', () => {
  const bytes = Array.from({ length: 100 }, () => 100);
  assert.equal(coalescePartitions(bytes, 1_000_000).length, 1);
  assert.equal(coalescePartitions(bytes, 1_000_000, 4).length, 4);
  assert.equal(coalescePartitions(bytes, 10).length, 100);
  assert.equal(coalescePartitions(bytes, 10, 1, 7).length, 7);
  assert.equal(coalescePartitions([5, 5], 1, 10).length, 2, 'never more tasks than non-empty partitions');
});

test('ten times the bytes makes ten times the tasks', () => {
  const small = Array.from({ length: 200 }, (_, i) => 100 + (i % 3));
  const big = small.map((b) => b * 10);
  const target = 2000;
  const n = coalescePartitions(small, target).length;
  assert.equal(coalescePartitions(big, target).length, Math.ceil(big.reduce((a, b) => a + b, 0) / target));
  assert.ok(Math.abs(coalescePartitions(big, target).length - 10 * n) <= 10);
});

test('median of even, odd and empty vectors', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([]), 0);
});

test('a partition is skewed when over factor x median and over the target', () => {
  const bytes = [100, 100, 100, 100, 5000, 100, 450];
  assert.deepEqual(skewedPartitions(bytes, 4, 1000), [4]);
  assert.deepEqual(skewedPartitions(bytes, 4, 300), [4, 6], 'a lower target makes 450 > 4 x 100 count');
  assert.deepEqual(skewedPartitions(bytes, 4, 10_000), [], 'nothing over the target');
  assert.deepEqual(skewedPartitions(bytes, 100, 10), [], 'nothing over factor x median');
});

test('skew over mostly empty partitions: the target alone decides', () => {
  const bytes = [0, 0, 0, 0, 0, 2000, 0, 10];
  assert.equal(median(bytes), 0);
  assert.deepEqual(skewedPartitions(bytes, 4, 1000), [5]);
  assert.deepEqual(skewedPartitions(new Array(8).fill(0), 4, 1000), []);
  assert.deepEqual(skewedPartitions([], 4, 1000), []);
});

test('a big Parquet file becomes runs of whole row groups over contiguous rows', () => {
  const split = { key: 't/f.parquet', size: 1000, partition: ['x'] };
  const groups = [100, 300, 200, 200, 100, 100].map((bytes, i) => ({ bytes, rows: 10 * (i + 1) }));
  const out = splitByRowGroups(split, groups, 400);
  // 1000 bytes in three: cuts nearest 333 and 667 fall after 400 and 600 bytes
  assert.deepEqual(out.map((s) => s.rows), [[0, 30], [30, 60], [60, 210]]);
  assert.deepEqual(out.map((s) => s.size), [400, 200, 400]);
  assert.ok(out.every((s) => s.key === split.key && s.partition === split.partition));
  assert.deepEqual(splitByRowGroups(split, groups, 10_000), [split], 'under the target: the file whole');
  assert.deepEqual(splitByRowGroups(split, [{ bytes: 5000, rows: 7 }], 100), [split], 'one row group cannot be cut');
});
