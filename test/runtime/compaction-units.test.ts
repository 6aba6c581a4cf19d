// Which files the compaction merges, and into how many: per partition, the files under
// the small-file size packed into groups of at most the target size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compactionUnits, groupSplits, type WrittenFile } from '../../lib/runtime/sizing.js';

const MiB = 1024 * 1024;
const file = (key: string, mib: number, partition?: string): WrittenFile => ({ key, size: mib * MiB, rows: 1, partition: partition === undefined ? undefined : [partition] });
const keys = (units: ReturnType<typeof compactionUnits>) => units.map((u) => u.inputs.map((f) => f.key));

test('small files of one partition become one file; large files and lone small files stay', () => {
  const files = [file('a1', 1, 'a'), file('a2', 2, 'a'), file('a3', 3, 'a'), file('a4', 200, 'a'), file('b1', 1, 'b'), file('c1', 20, 'c'), file('c2', 30, 'c')];
  const units = compactionUnits(files, 16 * MiB, 128 * MiB);
  assert.deepEqual(keys(units), [['a1', 'a2', 'a3']]);
  assert.deepEqual(units[0]!.partition, ['a']);
  assert.equal(units[0]!.size, 6 * MiB);
});

test('files never merge across partitions, and an unpartitioned table is one partition', () => {
  assert.deepEqual(keys(compactionUnits([file('x', 1, 'a'), file('y', 1, 'b')], 16 * MiB, 128 * MiB)), []);
  assert.deepEqual(keys(compactionUnits([file('x', 1), file('y', 1)], 16 * MiB, 128 * MiB)), [['x', 'y']]);
});

test('a partition with more small bytes than the target gets several merged files, each at most the target', () => {
  const files = Array.from({ length: 20 }, (_, i) => file(`f${String(i).padStart(2, '0')}`, 15, 'p'));
  const units = compactionUnits(files, 16 * MiB, 128 * MiB);
  // 20 × 15 MiB = 300 MiB: 8 files (120 MiB) per merged file → 8 + 8 + 4.
  assert.deepEqual(units.map((u) => u.inputs.length).sort(), [4, 8, 8]);
  assert.ok(units.every((u) => u.size <= 128 * MiB));
  assert.equal(new Set(units.flatMap((u) => u.inputs.map((f) => f.key))).size, 20, 'every file is in exactly one unit');
});

test('compaction units spread over tasks by bytes like table splits', () => {
  const units = compactionUnits(['a', 'b', 'c', 'd'].flatMap((p) => [file(`${p}1`, 10, p), file(`${p}2`, 10, p)]), 16 * MiB, 128 * MiB);
  const tasks = groupSplits(units, 40 * MiB);
  assert.deepEqual(tasks.map((t) => t.length), [2, 2]);
});
