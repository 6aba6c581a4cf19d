// Joins run in FROM order, except where that order joins two inputs no equality connects
// (a cross product) while another order would not: TPC-H's `FROM part, supplier, lineitem,
// …` crosses part with supplier (100 million rows at SF 1) before lineitem connects
// them. For a tree of inner and comma joins that has such a step, the inputs are taken
// greedily, each time the first one in FROM order that an equality connects to those
// already joined (the FROM order itself whenever it has no avoidable cross product);
// the conditions go on top and push-filters turns them back into join keys. A projection
// puts the columns back in their original order.
import type { BExpr, JoinNode, PlanNode } from '../plan/nodes.js';
import { andAll, conjuncts, inputsOf, refsOf, schemaOf, withInputs } from '../plan/nodes.js';
import { pushFilters } from './push-filters.js';
import type { OptimizerRule, RuleContext } from './rule.js';

const BOOLEAN = { kind: 'primitive', name: 'boolean' } as const;

const isRegionJoin = (n: PlanNode): n is JoinNode => n.kind === 'join' && (n.joinType === 'inner' || n.joinType === 'cross');

/** The inputs of a tree of inner/comma joins (and filters between them) in FROM order, and every condition in it. */
function flatten(n: PlanNode, leaves: PlanNode[], preds: BExpr[], top: boolean): boolean {
  let crosses = false;
  if (isRegionJoin(n)) {
    n.leftKeys.forEach((k, i) => preds.push({ kind: 'call', fn: '=', args: [k, n.rightKeys[i]!], type: BOOLEAN }));
    if (n.residual) preds.push(...conjuncts(n.residual));
    crosses = n.leftKeys.length === 0;
    crosses = flatten(n.left, leaves, preds, false) || crosses;
    crosses = flatten(n.right, leaves, preds, false) || crosses;
    return crosses;
  }
  if (!top && n.kind === 'filter' && isRegionJoin(n.input)) {
    preds.push(...conjuncts(n.predicate));
    return flatten(n.input, leaves, preds, false);
  }
  leaves.push(n);
  return false;
}

/** Whether an equality in `preds` has one side over `joined`'s columns only and the other over `next`'s only. */
function connects(preds: readonly BExpr[], joined: Set<string>, next: Set<string>): boolean {
  const over = (e: BExpr, ids: Set<string>) => { const r = refsOf(e); return r.size > 0 && [...r].every((id) => ids.has(id)); };
  return preds.some((p) => {
    if (p.kind !== 'call' || p.fn !== '=') return false;
    const [a, b] = p.args as [BExpr, BExpr];
    return (over(a, joined) && over(b, next)) || (over(a, next) && over(b, joined));
  });
}

/** Leaf positions in the order the joins should take them. */
export function greedyOrder(leafIds: readonly Set<string>[], preds: readonly BExpr[]): number[] {
  const order = [0];
  const joined = new Set(leafIds[0]);
  const left = leafIds.map((_, i) => i).slice(1);
  while (left.length > 0) {
    const at = left.findIndex((i) => connects(preds, joined, leafIds[i]!));
    const [next] = left.splice(at < 0 ? 0 : at, 1);
    order.push(next!);
    for (const id of leafIds[next!]!) joined.add(id);
  }
  return order;
}

function reorderRegion(join: JoinNode, ctx: RuleContext): PlanNode | undefined {
  const leaves: PlanNode[] = [];
  const preds: BExpr[] = [];
  const crosses = flatten(join, leaves, preds, true);
  if (!crosses || leaves.length < 3) return undefined;
  const order = greedyOrder(leaves.map((l) => new Set(schemaOf(l).map((c) => c.id))), preds);
  if (order.every((o, i) => o === i)) return undefined;
  const tree = order.slice(1).reduce<PlanNode>((acc, i) => ({ kind: 'join', joinType: 'cross', left: acc, right: leaves[i]!, leftKeys: [], rightKeys: [] }), leaves[order[0]!]!);
  const cond = andAll(preds);
  const joined = pushFilters.rewrite(cond ? { kind: 'filter', input: tree, predicate: cond } : tree, ctx);
  return { kind: 'project', input: joined, exprs: schemaOf(join).map((col) => ({ col, expr: { kind: 'ref', id: col.id, type: col.type } })) };
}

function rewrite(n: PlanNode, ctx: RuleContext): PlanNode {
  if (isRegionJoin(n)) {
    const re = reorderRegion(n, ctx);
    if (re) return rewrite(re, ctx);
  }
  const ins = inputsOf(n);
  const next = ins.map((i) => rewrite(i, ctx));
  return next.some((x, i) => x !== ins[i]) ? withInputs(n, next) : n;
}

export const reorderJoins: OptimizerRule = {
  name: 'reorder-joins',
  rewrite,
};
