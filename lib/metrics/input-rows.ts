// A task's input rows from what plan-stage already knows, without opening a file: the
// upstream indexes give rows per shuffle partition, the catalog gives rows per file.
import { leaves, type TaskList, type TaskSpec } from '../runtime/plan-stage.js';
import type { Stage } from '../stages/stage.js';

export function inputRows(stage: Stage, list: TaskList, spec: TaskSpec): number {
  let n = 0;
  if (spec.splits?.length && list.table) {
    const files = [...list.table.files, ...Object.values(list.table.partitions).flatMap((p) => p.files)];
    const rowsOf = new Map(files.map((f) => [f.key, f.rows ?? 0]));
    for (const s of spec.splits) n += rowsOf.get(s.key) ?? 0;
  }
  for (const leaf of leaves(stage.fragment)) {
    if (leaf.kind !== 'shuffleRead') continue;
    const [start, end] = leaf.dist.kind === 'broadcast' ? [0, Number.MAX_SAFE_INTEGER] : spec.range ?? [0, 1];
    for (const out of list.inputs[leaf.stage] ?? []) for (const en of out.entries) if (en.partition >= start && en.partition < end) n += en.rows;
  }
  return n;
}
