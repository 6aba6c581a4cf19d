// Drops the columns nobody above reads: scans read fewer Parquet columns, projections
// and aggregations compute less, and less data crosses the shuffle.
import type { BExpr, PlanNode } from '../plan/nodes.js';
import { refsOf, schemaOf } from '../plan/nodes.js';
import type { OptimizerRule } from './rule.js';

function addRefs(into: Set<string>, exprs: readonly (BExpr | undefined)[]): Set<string> {
  for (const e of exprs) if (e) refsOf(e, into);
  return into;
}

function prune(node: PlanNode, need: Set<string>): PlanNode {
  switch (node.kind) {
    case 'scan': {
      const columns = node.columns.filter((c) => need.has(c.id) || (node.filter && refsOf(node.filter).has(c.id)) || (node.partitionFilter && refsOf(node.partitionFilter).has(c.id)));
      return columns.length === node.columns.length ? node : { ...node, columns };
    }
    case 'values': case 'shuffleRead': return node;
    case 'filter': return { ...node, input: prune(node.input, addRefs(new Set(need), [node.predicate])) };
    case 'project': {
      const exprs = node.exprs.filter((e) => need.has(e.col.id));
      return { ...node, exprs, input: prune(node.input, addRefs(new Set(), exprs.map((e) => e.expr))) };
    }
    case 'aggregate': {
      const aggs = node.aggs.filter((a) => need.has(a.col.id));
      return { ...node, aggs, input: prune(node.input, addRefs(new Set(), [...node.keys.map((k) => k.expr), ...aggs.flatMap((a) => a.args)])) };
    }
    case 'join': {
      const below = addRefs(new Set(need), [...node.leftKeys, ...node.rightKeys, node.residual]);
      return { ...node, left: prune(node.left, below), right: prune(node.right, below) };
    }
    case 'union': {
      // A union keeps every column: dropping one would have to happen in every input at the same position.
      return { ...node, inputs: node.inputs.map((i) => prune(i, new Set(schemaOf(i).map((c) => c.id)))) };
    }
    case 'sort': return { ...node, input: prune(node.input, addRefs(new Set(need), node.keys.map((k) => k.expr))) };
    case 'limit': return { ...node, input: prune(node.input, need) };
    case 'window': {
      const calls = node.calls.filter((c) => need.has(c.col.id));
      const below = addRefs(new Set(need), [...node.partitionBy, ...node.orderBy.map((k) => k.expr), ...calls.flatMap((c) => c.args)]);
      // A window nobody reads is dropped with its exchange.
      if (calls.length === 0) return prune(node.input, below);
      return { ...node, calls, input: prune(node.input, below) };
    }
    case 'expand': {
      const keep = node.columns.map((c) => need.has(c.id));
      const projections = node.projections.map((p) => p.filter((_, i) => keep[i]));
      return { ...node, columns: node.columns.filter((_, i) => keep[i]), projections, input: prune(node.input, addRefs(new Set(), projections.flat())) };
    }
    case 'generate':
      return { ...node, input: prune(node.input, addRefs(new Set(need), node.args)) };
    case 'exchange':
      return { ...node, input: prune(node.input, addRefs(new Set(need), node.dist.kind === 'hash' ? node.dist.keys : [])) };
  }
}

export const pruneColumns: OptimizerRule = {
  name: 'prune-columns',
  rewrite(plan) {
    const next = prune(plan, new Set(schemaOf(plan).map((c) => c.id)));
    return JSON.stringify(next) === JSON.stringify(plan) ? plan : next;
  },
};
