// Cuts the plan at its exchanges: the input of each exchange becomes an upstream stage
// that writes shuffle output, and the exchange becomes a shuffle read in the stage
// above. Stages come out in dependency order, the sink's stage last.
import type { PlanNode } from '../plan/nodes.js';
import { inputsOf, schemaOf, withInputs } from '../plan/nodes.js';
import type { Stage, StageOutput } from './stage.js';

export function fragment(plan: PlanNode, partitions: number): Stage[] {
  const stages: Stage[] = [];
  const cut = (node: PlanNode, upstream: number[]): PlanNode => {
    if (node.kind === 'exchange') {
      const childInputs: number[] = [];
      const body = cut(node.input, childInputs);
      const output: StageOutput = node.dist.kind === 'hash' ? { kind: 'hash', keys: node.dist.keys, partitions } : { kind: node.dist.kind };
      const id = stages.length + 1;
      stages.push({ id, fragment: body, output, inputs: childInputs });
      upstream.push(id);
      return { kind: 'shuffleRead', stage: id, dist: node.dist, columns: schemaOf(node.input) };
    }
    const ins = inputsOf(node);
    const next = ins.map((i) => cut(i, upstream));
    return next.some((n, i) => n !== ins[i]) ? withInputs(node, next) : node;
  };
  const rootInputs: number[] = [];
  const root = cut(plan, rootInputs);
  stages.push({ id: stages.length + 1, fragment: root, output: { kind: 'sink' }, inputs: rootInputs });
  return stages;
}

/** Independent stages grouped into waves: every stage's inputs are in earlier waves. */
export function waves(stages: readonly Stage[]): number[][] {
  const level = new Map<number, number>();
  for (const s of stages) level.set(s.id, s.inputs.reduce((m, i) => Math.max(m, (level.get(i) ?? 0) + 1), 0));
  const out: number[][] = [];
  for (const s of stages) (out[level.get(s.id)!] ??= []).push(s.id);
  return out;
}
