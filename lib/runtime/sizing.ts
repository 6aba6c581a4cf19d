// Fan-out sizing as pure functions over byte counts: tasks = ceil(bytes / target),
// bounded by the parallelism limits, each task a contiguous run of about equal bytes.

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
export function groupSplits<S extends { readonly key: string; readonly size: number }>(splits: readonly S[], target: number, minPar = 1, maxPar = 1000): S[][] {
  if (splits.length === 0) return [[]];
  const total = splits.reduce((a, s) => a + s.size, 0);
  const tasks = clamp(Math.ceil(total / Math.max(1, target)), Math.max(1, minPar), Math.min(maxPar, splits.length));
  // Largest files first onto the least loaded task keeps tasks even.
  const groups: { bytes: number; splits: S[] }[] = Array.from({ length: tasks }, () => ({ bytes: 0, splits: [] }));
  for (const s of [...splits].sort((a, b) => b.size - a.size || a.key.localeCompare(b.key))) {
    const g = groups.reduce((m, x) => (x.bytes < m.bytes ? x : m));
    g.bytes += s.size;
    g.splits.push(s);
  }
  return groups.map((g) => g.splits.sort((a, b) => a.key.localeCompare(b.key)));
}

/** A file a sink task wrote, with the partition it belongs to. */
export interface WrittenFile {
  readonly key: string;
  readonly size: number;
  readonly rows?: number;
  readonly partition?: readonly (string | null)[];
}

/** Files of one partition merged into one. */
export interface CompactionUnit {
  /** the first input's key (units are ordered and balanced by it) */
  readonly key: string;
  /** bytes of all inputs */
  readonly size: number;
  readonly partition?: readonly (string | null)[];
  readonly inputs: readonly WrittenFile[];
}

/**
 * Within each partition, the files under `small` bytes packed (first fit, largest first)
 * into groups of at most `target` bytes; a group of one file is left as it is.
 */
export function compactionUnits(files: readonly WrittenFile[], small: number, target: number): CompactionUnit[] {
  const byPartition = new Map<string, WrittenFile[]>();
  for (const f of files) {
    if (f.size >= small) continue;
    const k = JSON.stringify(f.partition ?? null);
    if (!byPartition.has(k)) byPartition.set(k, []);
    byPartition.get(k)!.push(f);
  }
  const units: CompactionUnit[] = [];
  for (const group of byPartition.values()) {
    if (group.length < 2) continue;
    const bins: { size: number; inputs: WrittenFile[] }[] = [];
    for (const f of [...group].sort((a, b) => b.size - a.size || a.key.localeCompare(b.key))) {
      const bin = bins.find((b) => b.size + f.size <= target);
      if (bin) { bin.size += f.size; bin.inputs.push(f); } else bins.push({ size: f.size, inputs: [f] });
    }
    for (const b of bins) {
      if (b.inputs.length < 2) continue;
      const inputs = b.inputs.sort((x, y) => x.key.localeCompare(y.key));
      units.push({ key: inputs[0]!.key, size: b.size, partition: inputs[0]!.partition, inputs });
    }
  }
  return units.sort((a, b) => a.key.localeCompare(b.key));
}
