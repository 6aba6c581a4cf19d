// The shuffle join of a stage, if the stage is one, and which of its sides may be
// divided among tasks while each task sees the other side whole: the facts the
// run-time sizing (skew splits, broadcast) and EXPLAIN both rely on.
import type { JoinNode, JoinType, PlanNode } from '../plan/nodes.js';

export interface ShuffleJoin {
  readonly join: JoinNode;
  /** upstream stage ids of the two sides */
  readonly left: number;
  readonly right: number;
}

/** A side read straight from a hash exchange, through filters and projections only. */
function hashSide(n: PlanNode): number | undefined {
  if (n.kind === 'shuffleRead') return n.dist.kind === 'hash' ? n.stage : undefined;
  if (n.kind === 'filter' || n.kind === 'project') return hashSide(n.input);
  return undefined;
}

/**
 * The stage's shuffle join, when the stage is one: the join sits under filters,
 * projections and partial aggregates only, so its output rows do not depend on how
 * the inputs were partitioned.
 */
export function shuffleJoinOf(fragment: PlanNode): ShuffleJoin | undefined {
  let n = fragment;
  while (n.kind === 'filter' || n.kind === 'project' || (n.kind === 'aggregate' && n.phase === 'partial')) n = n.input;
  if (n.kind !== 'join' || n.strategy !== 'shuffle') return undefined;
  const left = hashSide(n.left);
  const right = hashSide(n.right);
  return left !== undefined && right !== undefined && left !== right ? { join: n, left, right } : undefined;
}

/** Sides whose rows may be divided among tasks while each task sees the other side whole. */
export function splittableSides(t: JoinType): { readonly left: boolean; readonly right: boolean } {
  switch (t) {
    case 'inner': case 'cross': return { left: true, right: true };
    case 'left': case 'semi': case 'anti': return { left: true, right: false };
    case 'right': return { left: false, right: true };
    case 'full': return { left: false, right: false };
  }
}
