// What one reduce task reads of one upstream stage's shuffle output, as a small
// descriptor in the task list, and the (map output, partition range) pieces it stands
// for: one ranged GET each.

export type InputSlice =
  /** partitions [start, end) of map outputs [from, to) (of every map output when `maps` is absent) */
  | { readonly kind: 'partitions'; readonly range: readonly [number, number]; readonly maps?: readonly [number, number] }
  /** every partition of every map output: the side of a join that is broadcast */
  | { readonly kind: 'all' }
  /**
   * Cells [start, end) in map-major order, cell = map * partitions + partition: a run of
   * whole map outputs with a partial one at either end, for the side of a broadcast
   * join that is streamed and so need not be read by partition.
   */
  | { readonly kind: 'run'; readonly start: number; readonly end: number };

export interface ReadPiece {
  /** index into the stage's map outputs */
  readonly map: number;
  readonly start: number;
  readonly end: number;
}

/** The pieces of a slice over `maps` map outputs of `partitions` partitions each; empty pieces are left out. */
export function piecesOf(slice: InputSlice, maps: number, partitions: number): ReadPiece[] {
  const out: ReadPiece[] = [];
  const add = (map: number, start: number, end: number) => { if (end > start) out.push({ map, start, end }); };
  switch (slice.kind) {
    case 'all':
      for (let m = 0; m < maps; m++) add(m, 0, partitions);
      break;
    case 'partitions': {
      const [from, to] = slice.maps ?? [0, maps];
      for (let m = Math.max(0, from); m < Math.min(to, maps); m++) add(m, slice.range[0], Math.min(slice.range[1], partitions));
      break;
    }
    case 'run': {
      if (partitions <= 0) break;
      const first = Math.floor(slice.start / partitions);
      const last = Math.min(maps - 1, Math.floor((slice.end - 1) / partitions));
      for (let m = first; m <= last; m++) {
        add(m, m === first ? slice.start - m * partitions : 0, Math.min(partitions, slice.end - m * partitions));
      }
      break;
    }
  }
  return out;
}
