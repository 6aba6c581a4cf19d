// Moves filter conjuncts as close to the scans as they can go: through projections
// (substituting the projected expressions), into the sides of joins that preserve the
// rows they filter, and into scans, where conjuncts over partition columns alone
// become the partition filter that prunes partitions at run time. An equality that
// meets a join of its two sides (a comma join's WHERE) becomes that join's key.
import type { BExpr, PlanNode, ScanNode } from '../plan/nodes.js';
import { andAll, conjuncts, inputsOf, mapExpr, refsOf, schemaOf, withInputs } from '../plan/nodes.js';
import type { OptimizerRule } from './rule.js';

function idsOf(n: PlanNode): Set<string> {
  return new Set(schemaOf(n).map((c) => c.id));
}
const within = (e: BExpr, ids: Set<string>) => [...refsOf(e)].every((id) => ids.has(id));

/** Pushes `preds` into `node`; returns the new node (with whatever could not be pushed left on top). */
function push(node: PlanNode, preds: BExpr[]): PlanNode {
  const wrap = (n: PlanNode, rest: BExpr[]): PlanNode => {
    const p = andAll(rest);
    return p ? { kind: 'filter', input: n, predicate: p } : n;
  };
  switch (node.kind) {
    case 'filter':
      return push(node.input, [...preds, ...conjuncts(node.predicate)]);
    case 'project': {
      const byId = new Map(node.exprs.map((e) => [e.col.id, e.expr]));
      // Only deterministic substitutions; every projected expression here is.
      const moved = preds.map((p) => mapExpr(p, (e) => (e.kind === 'ref' ? byId.get(e.id) : undefined)));
      return { ...node, input: push(node.input, moved) };
    }
    case 'scan': return pushIntoScan(node, preds);
    case 'join': {
      const l = idsOf(node.left), r = idsOf(node.right);
      const toLeft: BExpr[] = [], toRight: BExpr[] = [], stay: BExpr[] = [];
      const leftOk = node.joinType === 'inner' || node.joinType === 'left' || node.joinType === 'semi' || node.joinType === 'anti' || node.joinType === 'cross';
      const rightOk = node.joinType === 'inner' || node.joinType === 'right' || node.joinType === 'cross';
      for (const p of preds) {
        if (leftOk && within(p, l)) toLeft.push(p);
        else if (rightOk && within(p, r)) toRight.push(p);
        else stay.push(p);
      }
      // An inner join's ON residual is a filter like any other.
      let residual = node.residual;
      // Of a semi or anti join's residual, a conjunct over the right side only filters the
      // rows that can match, so it runs before the join; one over the left side only is a
      // filter after a semi join (an anti join keeps the left rows it fails).
      if ((node.joinType === 'inner' || node.joinType === 'semi' || node.joinType === 'anti') && residual) {
        const keep: BExpr[] = [];
        for (const c of conjuncts(residual)) {
          if (node.joinType !== 'anti' && within(c, l)) toLeft.push(c);
          else if (within(c, r)) toRight.push(c);
          else keep.push(c);
        }
        residual = andAll(keep);
      }
      // An equality between the two sides of an inner or comma join is a join key: both
      // sides are then hashed on it instead of one being broadcast whole.
      const leftKeys = [...node.leftKeys], rightKeys = [...node.rightKeys];
      const rest: BExpr[] = [];
      for (const p of stay) {
        const pair = node.joinType === 'inner' || node.joinType === 'cross' ? keyPair(p, l, r) : undefined;
        if (pair) { leftKeys.push(pair[0]); rightKeys.push(pair[1]); } else rest.push(p);
      }
      const joinType = node.joinType === 'cross' && leftKeys.length ? 'inner' : node.joinType;
      const joined: PlanNode = { ...node, joinType, leftKeys, rightKeys, residual, left: push(node.left, toLeft), right: push(node.right, toRight) };
      return wrap(joined, rest);
    }
    case 'union': {
      const inputs = node.inputs.map((i) => {
        const from = schemaOf(i);
        const map = new Map(node.columns.map((c, n) => [c.id, from[n]!]));
        return push(i, preds.map((p) => mapExpr(p, (e) => (e.kind === 'ref' && map.has(e.id) ? { kind: 'ref', id: map.get(e.id)!.id, type: e.type } : undefined))));
      });
      return { ...node, inputs };
    }
    case 'aggregate': {
      // Conjuncts over grouping keys only can run before the grouping.
      const keyIds = new Map(node.keys.map((k) => [k.col.id, k.expr]));
      const down: BExpr[] = [], stay: BExpr[] = [];
      for (const p of preds) {
        if (node.keys.length && [...refsOf(p)].every((id) => keyIds.has(id))) down.push(mapExpr(p, (e) => (e.kind === 'ref' ? keyIds.get(e.id) : undefined)));
        else stay.push(p);
      }
      return wrap({ ...node, input: push(node.input, down) }, stay);
    }
    case 'window': case 'generate': {
      // Conjuncts over the input's columns only go below a table-generating function; below a
      // window, only those over plain PARTITION BY columns (they keep or drop whole partitions).
      const ids = node.kind === 'generate'
        ? idsOf(node.input)
        : new Set(node.partitionBy.flatMap((p) => (p.kind === 'ref' ? [p.id] : [])));
      const down: BExpr[] = [], stay: BExpr[] = [];
      for (const p of preds) (refsOf(p).size > 0 && within(p, ids) ? down : stay).push(p);
      return wrap({ ...node, input: push(node.input, down) }, stay);
    }
    default: {
      // sort, limit, expand, values, exchanges and shuffle reads: keep the filter above, but keep descending.
      const inputs = inputsOf(node).map((i) => push(i, []));
      return wrap(withInputs(node, inputs), preds);
    }
  }
}

/** `a = b` with `a` over the left side's columns and `b` over the right's (or swapped): the pair [left, right]. */
function keyPair(p: BExpr, l: Set<string>, r: Set<string>): [BExpr, BExpr] | undefined {
  if (p.kind !== 'call' || p.fn !== '=') return undefined;
  const [a, b] = p.args as [BExpr, BExpr];
  const side = (e: BExpr, ids: Set<string>) => refsOf(e).size > 0 && within(e, ids);
  if (side(a, l) && side(b, r)) return [a, b];
  if (side(a, r) && side(b, l)) return [b, a];
  return undefined;
}

function pushIntoScan(scan: ScanNode, preds: BExpr[]): PlanNode {
  if (preds.length === 0) return scan;
  const partIds = new Set(scan.columns.filter((c) => scan.table.meta.partitionColumns.some((p) => p.name === c.name)).map((c) => c.id));
  const part: BExpr[] = [], data: BExpr[] = [];
  for (const p of preds) {
    const refs = refsOf(p);
    if (refs.size > 0 && [...refs].every((id) => partIds.has(id))) part.push(p);
    else data.push(p);
  }
  return {
    ...scan,
    partitionFilter: andAll([...(scan.partitionFilter ? conjuncts(scan.partitionFilter) : []), ...part]),
    filter: andAll([...(scan.filter ? conjuncts(scan.filter) : []), ...data]),
  };
}

export const pushFilters: OptimizerRule = {
  name: 'push-filters',
  rewrite(plan) {
    const next = push(plan, []);
    return JSON.stringify(next) === JSON.stringify(plan) ? plan : next;
  },
};
