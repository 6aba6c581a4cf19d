// A task's input rows from what plan-stage already knows, without opening a file: the
// upstream indexes give rows per shuffle partition, the catalog gives rows per file.
import { leaves, sliceFor, type TaskList, type TaskSpec } from '../runtime/plan-stage.js';
import { piecesOf } from '../shuffle/slices.js';
import type { Stage } from '../stages/stage.js';

export function inputRows(stage: Stage, list: TaskList, spec: TaskSpec): number {
  let n = 0;
  if (spec.splits?.length && list.table) {
    const files = [...list.table.files, ...Object.values(list.table.partitions).flatMap((p) => p.files)];
    const rowsOf = new Map(files.map((f) => [f.key, f.rows ?? 0]));
    for (const s of spec.splits) n += s.rows ? s.rows[1] - s.rows[0] : rowsOf.get(s.key) ?? 0;
  }
  for (const leaf of leaves(stage.fragment)) {
    if (leaf.kind !== 'shuffleRead') continue;
    const outs = list.inputs[leaf.stage] ?? [];
    for (const { map, start, end } of piecesOf(sliceFor(spec, leaf), outs.length, outs[0]?.partitions ?? 1)) {
      for (const en of outs[map]!.entries) if (en.partition >= start && en.partition < end) n += en.rows;
    }
  }
  return n;
}
