// Fan-out sizing as pure functions over byte counts: tasks = ceil(bytes / target),
// bounded by the parallelism limits, each task a contiguous run of about equal bytes.

const clamp = (n: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, n));

/**
 * Contiguous ranges [start, end) of about equal bytes: ceil(total / target) of them,
 * bounded by the parallelism limits and by the number of non-empty entries (a range
 * with nothing to read is no use). Each cut sits at the boundary whose running total is
 * nearest the ideal `k * total / tasks`, so a range is off its share by less than one
 * entry; an entry larger than the target stays whole (see `skewedPartitions`).
 * Always at least one range, covering everything.
 */
export function coalescePartitions(bytes: readonly number[], target: number, minPar = 1, maxPar = 1000): [number, number][] {
  const n = bytes.length;
  if (n === 0) return [[0, 0]];
  const total = bytes.reduce((a, b) => a + b, 0);
  const filled = bytes.flatMap((b, i) => (b > 0 ? [i] : []));
  const nonEmpty = filled.length;
  const wanted = clamp(Math.ceil(total / Math.max(1, target)), Math.max(1, minPar), Math.max(1, maxPar));
  const tasks = Math.min(wanted, Math.max(1, nonEmpty));
  if (tasks <= 1) return [[0, n]];
  const prefix = [0];
  for (const b of bytes) prefix.push(prefix[prefix.length - 1]! + b);
  const cuts = [0];
  for (let k = 1; k < tasks; k++) {
    const ideal = (total * k) / tasks;
    // Room for the ranges still to come: each needs at least one non-empty entry after this cut.
    const hi = filled[nonEmpty - (tasks - k)]!;
    // The first boundary past the previous cut that closes a non-empty range...
    const lo = search(prefix, (x) => x > prefix[cuts[k - 1]!]!, cuts[k - 1]! + 1, hi);
    // ...then the one nearest the ideal, between there and `hi`.
    const c = search(prefix, (x) => x >= ideal, lo, hi);
    const best = c > lo && ideal - prefix[c - 1]! <= prefix[c]! - ideal ? c - 1 : c;
    cuts.push(best);
  }
  cuts.push(n);
  return cuts.slice(1).map((end, i) => [cuts[i]!, end]);
}

/** The first index in [lo, hi] whose value passes `ok` (hi if none); `ok` is monotone over `values`. */
function search(values: readonly number[], ok: (v: number) => boolean, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ok(values[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The median of a byte vector (0 for an empty one). */
export function median(bytes: readonly number[]): number {
  if (bytes.length === 0) return 0;
  const s = [...bytes].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Partitions too big for one task: more than `factor` x the median partition and over
 * the target, as Spark's and Flink's adaptive skew handling define them.
 */
export function skewedPartitions(bytes: readonly number[], factor: number, target: number): number[] {
  const limit = Math.max(factor * median(bytes), target);
  return bytes.flatMap((b, p) => (b > limit ? [p] : []));
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
