// Fan-out sizing as pure functions over byte counts: tasks = ceil(bytes / target),
// bounded by the parallelism limits, each task a contiguous run of about equal bytes.
import type { Split } from './plan-stage.js';

const clamp = (n: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, n));

/** Contiguous partition ranges [start, end) of roughly `total / tasks` bytes each; at least one range. */
export function coalescePartitions(bytes: readonly number[], target: number, minPar = 1, maxPar = 1000): [number, number][] {
  const n = bytes.length;
  if (n === 0) return [[0, 0]];
  const total = bytes.reduce((a, b) => a + b, 0);
  const tasks = clamp(Math.ceil(total / Math.max(1, target)), Math.max(1, minPar), Math.min(maxPar, n));
  if (tasks <= 1) return [[0, n]];
  const per = total / tasks;
  const ranges: [number, number][] = [];
  let start = 0;
  let acc = 0;
  for (let p = 0; p < n; p++) {
    acc += bytes[p]!;
    const remainingTasks = tasks - ranges.length - 1;
    const remainingParts = n - p - 1;
    if ((acc >= per && remainingTasks > 0) || remainingParts < remainingTasks) {
      ranges.push([start, p + 1]);
      start = p + 1;
      acc = 0;
    }
    if (ranges.length === tasks - 1) break;
  }
  ranges.push([start, n]);
  return ranges.filter(([a, b]) => b > a || ranges.length === 1);
}

/** Groups a table's files into tasks of about `target` bytes, keeping at least one (possibly empty) task. */
export function groupSplits(splits: readonly Split[], target: number, minPar = 1, maxPar = 1000): Split[][] {
  if (splits.length === 0) return [[]];
  const total = splits.reduce((a, s) => a + s.size, 0);
  const tasks = clamp(Math.ceil(total / Math.max(1, target)), Math.max(1, minPar), Math.min(maxPar, splits.length));
  // Largest files first onto the least loaded task keeps tasks even.
  const groups: { bytes: number; splits: Split[] }[] = Array.from({ length: tasks }, () => ({ bytes: 0, splits: [] }));
  for (const s of [...splits].sort((a, b) => b.size - a.size || a.key.localeCompare(b.key))) {
    const g = groups.reduce((m, x) => (x.bytes < m.bytes ? x : m));
    g.bytes += s.size;
    g.splits.push(s);
  }
  return groups.map((g) => g.splits.sort((a, b) => a.key.localeCompare(b.key)));
}
