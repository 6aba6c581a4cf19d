// The fan-out of a shuffle join, decided when both sides have been written, from the
// bytes each map output holds per partition:
// * a side under the broadcast threshold is read whole by every task (a broadcast),
//   and the other side is then streamed in runs of about the target bytes, by map
//   output rather than by partition (so neither skew nor the partition count matters);
// * otherwise partitions are coalesced into contiguous ranges of about the target
//   bytes, and a skewed partition is split by map outputs across several tasks, each
//   of which reads the other side's whole partition (Spark's and Flink's skew join).
// Which side may be split or streamed depends on the join type: only one whose rows
// can be matched independently of each other (the preserved side of an outer join).
import type { JoinType } from '../plan/nodes.js';
import { splittableSides } from '../stages/join-sides.js';
import type { InputSlice } from '../shuffle/slices.js';
import { coalescePartitions, skewedPartitions } from './sizing.js';

/** Bytes of one side: [map output][partition]. */
export interface SideBytes {
  readonly stage: number;
  readonly cells: readonly (readonly number[])[];
}

export interface JoinSizing {
  readonly target: number;
  readonly minPar: number;
  readonly maxPar: number;
  readonly skewFactor: number;
  readonly broadcastThreshold: number;
}

export type JoinMode =
  | { readonly kind: 'broadcast'; readonly stage: number; readonly bytes: number }
  | { readonly kind: 'shuffle'; readonly skewed: readonly { readonly stage: number; readonly partition: number; readonly tasks: number }[] };

export interface JoinTask {
  /** the partition range the task covers, for reports */
  readonly range?: readonly [number, number];
  readonly reads: Readonly<Record<number, InputSlice>>;
}

export interface JoinTaskPlan {
  readonly mode: JoinMode;
  readonly tasks: readonly JoinTask[];
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const perPartition = (s: SideBytes, partitions: number) =>
  Array.from({ length: partitions }, (_, p) => sum(s.cells.map((m) => m[p] ?? 0)));

export function planJoinTasks(joinType: JoinType, left: SideBytes, right: SideBytes, partitions: number, o: JoinSizing): JoinTaskPlan {
  const split = splittableSides(joinType);
  const sides = [
    { side: left, other: right, splittable: split.left, bytes: perPartition(left, partitions) },
    { side: right, other: left, splittable: split.right, bytes: perPartition(right, partitions) },
  ];

  // Broadcast: the smaller side under the threshold, if the other side may be streamed.
  const small = sides
    .filter((s) => s.splittable)
    .map((s) => ({ streamed: s.side, broadcast: s.other, bytes: sum(perPartition(s.other, partitions)) }))
    .filter((c) => c.bytes < o.broadcastThreshold)
    .sort((a, b) => a.bytes - b.bytes)[0];
  if (small) {
    const flat = small.streamed.cells.flatMap((m) => Array.from({ length: partitions }, (_, p) => m[p] ?? 0));
    const runs = coalescePartitions(flat, o.target, o.minPar, o.maxPar);
    return {
      mode: { kind: 'broadcast', stage: small.broadcast.stage, bytes: small.bytes },
      tasks: runs.map(([start, end]) => ({ reads: { [small.streamed.stage]: { kind: 'run', start, end }, [small.broadcast.stage]: { kind: 'all' } } })),
    };
  }

  // Shuffle: skewed partitions on a splittable side (the bigger side where both are).
  const skewOwner = new Map<number, (typeof sides)[number]>();
  for (const s of sides) {
    if (!s.splittable) continue;
    for (const p of skewedPartitions(s.bytes, o.skewFactor, o.target)) {
      const prev = skewOwner.get(p);
      if (!prev || prev.bytes[p]! < s.bytes[p]!) skewOwner.set(p, s);
    }
  }
  const combined = sides[0]!.bytes.map((b, p) => (skewOwner.has(p) ? 0 : b + sides[1]!.bytes[p]!));
  const tasks: (JoinTask & { readonly order: number })[] = [];
  for (const [s, e] of coalescePartitions(combined, o.target, o.minPar, o.maxPar)) {
    // A coalesced range loses its skewed partitions; what remains on either side of one is a task if it holds anything.
    let from = s;
    for (let p = s; p <= e; p++) {
      if (p < e && !skewOwner.has(p)) continue;
      if (sum(combined.slice(from, p)) > 0) tasks.push({ order: from, range: [from, p], reads: {} });
      from = p + 1;
    }
  }
  const skewed: { stage: number; partition: number; tasks: number }[] = [];
  for (const [p, s] of skewOwner) {
    const pieces = coalescePartitions(s.side.cells.map((m) => m[p] ?? 0), o.target, 1, o.maxPar);
    skewed.push({ stage: s.side.stage, partition: p, tasks: pieces.length });
    for (const maps of pieces) {
      tasks.push({
        order: p,
        range: [p, p + 1],
        reads: { [s.side.stage]: { kind: 'partitions', range: [p, p + 1], maps }, [s.other.stage]: { kind: 'partitions', range: [p, p + 1] } },
      });
    }
  }
  if (tasks.length === 0) tasks.push({ order: 0, range: [0, partitions], reads: {} });
  tasks.sort((a, b) => a.order - b.order);
  return { mode: { kind: 'shuffle', skewed: skewed.sort((a, b) => a.partition - b.partition) }, tasks: tasks.map(({ order: _o, ...t }) => t) };
}
