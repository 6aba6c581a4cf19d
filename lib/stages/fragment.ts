// Cuts the plan at its exchanges: the input of each exchange becomes an upstream stage
// that writes shuffle output, and the exchange becomes a shuffle read in the stage
// above. Stages come out in dependency order, the sink's stage last, numbered from
// `firstId` (a multi-insert numbers its branches' stages one after the other).
import type { PlanNode } from '../plan/nodes.js';
import { inputsOf, schemaOf, withInputs } from '../plan/nodes.js';
import type { Stage, StageOutput } from './stage.js';

export function fragment(plan: PlanNode, partitions: number, sink = 0, firstId = 1): Stage[] {
  const stages: Stage[] = [];
  const nextId = () => firstId + stages.length;
  const cut = (node: PlanNode, upstream: number[]): PlanNode => {
    if (node.kind === 'exchange') {
      const childInputs: number[] = [];
      const body = cut(node.input, childInputs);
      const output: StageOutput = node.dist.kind === 'hash' ? { kind: 'hash', keys: node.dist.keys, partitions } : { kind: node.dist.kind };
      const id = nextId();
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
  stages.push({ id: nextId(), fragment: root, output: { kind: 'sink', sink }, inputs: rootInputs });
  return stages;
}

/**
 * Independent fan-outs grouped into waves: every stage's inputs are in earlier waves. A
 * stage that runs in another's tasks (`also`) has no wave of its own; its lead's wave
 * comes after the inputs of every stage the lead computes.
 */
export function waves(stages: readonly Stage[]): number[][] {
  const lead = leadOf(stages);
  const level = new Map<number, number>();
  const levelOf = (id: number): number => {
    const l = lead.get(id) ?? id;
    const known = level.get(l);
    if (known !== undefined) return known;
    const group = fanOutStages(stages.find((s) => s.id === l)!, stages);
    const ids = new Set(group.map((s) => s.id));
    const v = group.flatMap((s) => s.inputs).filter((i) => !ids.has(i)).reduce((m, i) => Math.max(m, levelOf(i) + 1), 0);
    level.set(l, v);
    return v;
  };
  const out: number[][] = [];
  for (const s of stages) if (!lead.has(s.id)) (out[levelOf(s.id)] ??= []).push(s.id);
  return out;
}

/** Stage id → the stage whose tasks compute it, for stages that run in another's fan-out. */
export function leadOf(stages: readonly Stage[]): Map<number, number> {
  return new Map(stages.flatMap((s) => (s.also ?? []).map((m) => [m, s.id] as const)));
}

/** The stages one fan-out computes: the stage itself, then those it runs `also`. */
export function fanOutStages(stage: Stage, stages: readonly Stage[]): Stage[] {
  return [stage, ...(stage.also ?? []).map((id) => {
    const s = stages.find((x) => x.id === id);
    if (!s) throw new Error(`stage ${stage.id} also runs stage ${id}, which does not exist`);
    return s;
  })];
}
