// A shuffle join's fan-out as a pure function of the bytes per map output and
// partition: broadcast of a small side, coalesced ranges, skewed partitions split by
// map outputs with the other side's partition read by each piece.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planJoinTasks, type JoinSizing, type SideBytes } from '../../lib/runtime/join-tasks.js';
import { splittableSides } from '../../lib/stages/join-sides.js';
import { piecesOf, type InputSlice } from '../../lib/shuffle/slices.js';

const P = 8;
const sizing: JoinSizing = { target: 1000, minPar: 1, maxPar: 1000, skewFactor: 4, broadcastThreshold: 0 };
const side = (stage: number, perMap: readonly (readonly number[])[]): SideBytes => ({ stage, cells: perMap });
const uniform = (stage: number, maps: number, perCell: number) => side(stage, Array.from({ length: maps }, () => new Array(P).fill(perCell)));

/** Every (map, partition) cell of a side that the tasks read, with how often. */
function readCounts(tasks: readonly { range?: readonly [number, number]; reads: Readonly<Record<number, InputSlice>> }[], s: SideBytes): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of tasks) {
    const slice = t.reads[s.stage] ?? { kind: 'partitions', range: t.range! };
    for (const p of piecesOf(slice, s.cells.length, P)) {
      for (let q = p.start; q < p.end; q++) counts.set(`${p.map}:${q}`, (counts.get(`${p.map}:${q}`) ?? 0) + 1);
    }
  }
  return counts;
}

const nonEmptyCells = (s: SideBytes) => s.cells.flatMap((m, i) => m.flatMap((b, p) => (b > 0 ? [`${i}:${p}`] : [])));

test('which sides a join type lets tasks divide', () => {
  assert.deepEqual(splittableSides('inner'), { left: true, right: true });
  assert.deepEqual(splittableSides('left'), { left: true, right: false });
  assert.deepEqual(splittableSides('semi'), { left: true, right: false });
  assert.deepEqual(splittableSides('right'), { left: false, right: true });
  assert.deepEqual(splittableSides('full'), { left: false, right: false });
});

test('without skew, partitions are coalesced and both sides read the same ranges once', () => {
  const l = uniform(1, 4, 100);
  const r = uniform(2, 2, 100);
  const plan = planJoinTasks('inner', l, r, P, sizing);
  assert.deepEqual(plan.mode, { kind: 'shuffle', skewed: [] });
  assert.equal(plan.tasks.length, Math.ceil((4 + 2) * P * 100 / 1000));
  for (const s of [l, r]) {
    const c = readCounts(plan.tasks, s);
    assert.deepEqual([...c.keys()].sort(), nonEmptyCells(s).sort());
    assert.ok([...c.values()].every((n) => n === 1));
  }
});

test('a skewed partition of the left side is split by map outputs; each piece reads the right side whole', () => {
  const cells = Array.from({ length: 6 }, () => [10, 10, 10, 900, 10, 10, 10, 10]);
  const l = side(1, cells); // partition 3 holds 5400 bytes, the median 10
  const r = uniform(2, 2, 5);
  const plan = planJoinTasks('left', l, r, P, sizing);
  assert.deepEqual(plan.mode, { kind: 'shuffle', skewed: [{ stage: 1, partition: 3, tasks: 6 }] });
  const pieces = plan.tasks.filter((t) => t.reads[1]?.kind === 'partitions' && t.reads[1].maps);
  assert.equal(pieces.length, 6);
  for (const t of pieces) assert.deepEqual(t.reads[2], { kind: 'partitions', range: [3, 4] });
  const lc = readCounts(plan.tasks, l);
  assert.deepEqual([...lc.keys()].sort(), nonEmptyCells(l).sort());
  assert.ok([...lc.values()].every((n) => n === 1), 'each left cell is read once');
  const rc = readCounts(plan.tasks, r);
  assert.equal(rc.get('0:3'), 6, 'the right side of partition 3 is read by each piece');
  assert.equal(rc.get('0:0'), 1);
});

test('a right outer join never splits its left side, however skewed', () => {
  const l = side(1, Array.from({ length: 6 }, () => [10, 10, 10, 900, 10, 10, 10, 10]));
  const r = uniform(2, 2, 5);
  const plan = planJoinTasks('right', l, r, P, sizing);
  assert.deepEqual(plan.mode, { kind: 'shuffle', skewed: [] });
  assert.ok([...readCounts(plan.tasks, l).values()].every((n) => n === 1));
  assert.ok([...readCounts(plan.tasks, r).values()].every((n) => n === 1));
});

test('a partition held by one map output cannot be split further', () => {
  const l = side(1, [[0, 0, 50_000, 0, 0, 0, 0, 0]]);
  const r = uniform(2, 1, 1);
  const plan = planJoinTasks('inner', l, r, P, sizing);
  assert.deepEqual(plan.mode, { kind: 'shuffle', skewed: [{ stage: 1, partition: 2, tasks: 1 }] });
  assert.deepEqual(readCounts(plan.tasks, r).get('0:2'), 1);
});

test('a side under the broadcast threshold is read whole by every task; the other side is streamed in runs', () => {
  const l = uniform(1, 5, 200); // 8000 bytes
  const r = uniform(2, 2, 10); // 160 bytes
  const plan = planJoinTasks('inner', l, r, P, { ...sizing, broadcastThreshold: 1000 });
  assert.deepEqual(plan.mode, { kind: 'broadcast', stage: 2, bytes: 160 });
  assert.equal(plan.tasks.length, 8);
  for (const t of plan.tasks) {
    assert.deepEqual(t.reads[2], { kind: 'all' });
    assert.equal(t.reads[1]?.kind, 'run');
  }
  const lc = readCounts(plan.tasks, l);
  assert.deepEqual([...lc.keys()].sort(), nonEmptyCells(l).sort());
  assert.ok([...lc.values()].every((n) => n === 1));
});

test('the broadcast side is the smaller eligible one, and never the preserved side of an outer join', () => {
  const big = uniform(1, 2, 50);
  const small = uniform(2, 1, 10);
  assert.deepEqual(planJoinTasks('inner', small, big, P, { ...sizing, broadcastThreshold: 10_000 }).mode, { kind: 'broadcast', stage: 2, bytes: 80 });
  assert.deepEqual(planJoinTasks('left', small, big, P, { ...sizing, broadcastThreshold: 10_000 }).mode, { kind: 'broadcast', stage: 1, bytes: 800 });
  assert.equal(planJoinTasks('full', small, big, P, { ...sizing, broadcastThreshold: 10_000 }).mode.kind, 'shuffle');
  assert.equal(planJoinTasks('inner', small, big, P, { ...sizing, broadcastThreshold: 80 }).mode.kind, 'shuffle', 'the threshold is exclusive');
});

test('all-empty sides make one task over every partition', () => {
  const plan = planJoinTasks('inner', uniform(1, 3, 0), uniform(2, 0, 0), P, sizing);
  assert.deepEqual(plan.tasks, [{ range: [0, P], reads: {} }]);
  const b = planJoinTasks('inner', uniform(1, 3, 0), uniform(2, 0, 0), P, { ...sizing, broadcastThreshold: 10 });
  assert.equal(b.tasks.length, 1);
});

test('slices resolve to pieces: partitions of some maps, everything, and map-major runs', () => {
  assert.deepEqual(piecesOf({ kind: 'partitions', range: [2, 5] }, 2, 8), [{ map: 0, start: 2, end: 5 }, { map: 1, start: 2, end: 5 }]);
  assert.deepEqual(piecesOf({ kind: 'partitions', range: [2, 3], maps: [1, 3] }, 4, 8), [{ map: 1, start: 2, end: 3 }, { map: 2, start: 2, end: 3 }]);
  assert.deepEqual(piecesOf({ kind: 'all' }, 2, 4), [{ map: 0, start: 0, end: 4 }, { map: 1, start: 0, end: 4 }]);
  assert.deepEqual(piecesOf({ kind: 'run', start: 6, end: 17 }, 3, 8), [{ map: 0, start: 6, end: 8 }, { map: 1, start: 0, end: 8 }, { map: 2, start: 0, end: 1 }]);
  assert.deepEqual(piecesOf({ kind: 'run', start: 8, end: 16 }, 3, 8), [{ map: 1, start: 0, end: 8 }]);
  assert.deepEqual(piecesOf({ kind: 'all' }, 0, 8), []);
});
