// A multi-insert's branches are planned one by one, so each has its own stage scanning
// the source. Stages that scan the same table are merged into one fan-out (the first
// one's `also` lists the others): its tasks download each split once and compute every
// branch's fragment on it, up to that branch's own exchange or sink. Two stages are only
// merged when neither depends on the other, directly or through other stages.
import { inputsOf, type PlanNode, type ScanNode } from '../plan/nodes.js';
import type { Stage } from './stage.js';

const scansOf = (n: PlanNode): ScanNode[] => (n.kind === 'scan' ? [n] : inputsOf(n).flatMap(scansOf));

function scannedTable(s: Stage): string | undefined {
  const scans = scansOf(s.fragment);
  return scans.length === 1 ? `${scans[0]!.table.db}.${scans[0]!.table.name}` : undefined;
}

export function shareScans(stages: readonly Stage[]): Stage[] {
  const groupOf = new Map<number, number>(stages.map((s) => [s.id, s.id]));
  const members = new Map<number, number[]>(stages.map((s) => [s.id, [s.id]]));
  const upstream = new Map(stages.map((s) => [s.id, s.inputs]));
  /** whether group `to` is upstream of group `from` (merged groups count as one node) */
  const reaches = (from: number, to: number): boolean => {
    const seen = new Set<number>();
    const todo = [from];
    while (todo.length) {
      const g = todo.pop()!;
      for (const m of members.get(g)!) {
        for (const i of upstream.get(m)!) {
          const h = groupOf.get(i)!;
          if (h === to) return true;
          if (h !== g && !seen.has(h)) { seen.add(h); todo.push(h); }
        }
      }
    }
    return false;
  };
  const leads = new Map<string, number[]>();
  for (const s of stages) {
    const table = scannedTable(s);
    if (!table) continue;
    const into = (leads.get(table) ?? []).find((g) => !reaches(g, s.id) && !reaches(s.id, g));
    if (into === undefined) { leads.set(table, [...(leads.get(table) ?? []), s.id]); continue; }
    members.get(into)!.push(s.id);
    members.delete(s.id);
    groupOf.set(s.id, into);
  }
  return stages.map((s) => {
    const group = members.get(s.id);
    return group && group.length > 1 ? { ...s, also: group.slice(1) } : s;
  });
}
