// Splits an aggregation into a partial step, which runs where the rows are, and a
// final step after the shuffle that merges the partial states: only one row per group
// and task crosses the network. Aggregations with DISTINCT stay whole.
import { T, decimal, type HiveType } from '../common/types.js';
import type { AggCall, AggregateNode, BExpr, ColumnInfo, NamedExpr, PlanNode } from '../plan/nodes.js';
import { transformUp } from '../plan/nodes.js';
import type { OptimizerRule, RuleContext } from './rule.js';

const SPLITTABLE = new Set(['count', 'sum', 'avg', 'min', 'max']);
const ref = (c: ColumnInfo): BExpr => ({ kind: 'ref', id: c.id, type: c.type });

function avgSumType(t: HiveType): HiveType {
  return t.kind === 'primitive' && t.name === 'decimal' ? decimal(38, t.scale ?? 0) : T.double;
}

function split(node: AggregateNode, ctx: RuleContext): PlanNode {
  const partialKeys: NamedExpr[] = node.keys.map((k) => ({ col: { ...k.col, id: ctx.newId() }, expr: k.expr }));
  const partialAggs: AggCall[] = [];
  const finalAggs: AggCall[] = [];
  const finalKeys: NamedExpr[] = partialKeys.map((p, i) => ({ col: { ...node.keys[i]!.col, id: ctx.newId() }, expr: ref(p.col) }));
  const top: NamedExpr[] = node.keys.map((k, i) => ({ col: k.col, expr: ref(finalKeys[i]!.col) }));
  for (const a of node.aggs) {
    const state = (fn: string, type: HiveType, args = a.args): ColumnInfo => {
      const col: ColumnInfo = { id: ctx.newId(), name: `${a.col.name}_${fn}`, type };
      partialAggs.push({ col, fn, args, distinct: false });
      return col;
    };
    const merge = (fn: string, from: ColumnInfo, type: HiveType): ColumnInfo => {
      const col: ColumnInfo = { id: ctx.newId(), name: from.name, type };
      finalAggs.push({ col, fn, args: [ref(from)], distinct: false });
      return col;
    };
    if (a.fn === 'avg') {
      const s = state('sum', avgSumType(a.args[0]!.type));
      const c = state('count', T.bigint);
      const fs = merge('sum', s, s.type);
      const fc = merge('sum', c, T.bigint);
      const quotient: BExpr = { kind: 'call', fn: '/', args: [ref(fs), { kind: 'cast', expr: ref(fc), type: s.type }], type: s.type };
      top.push({ col: a.col, expr: { kind: 'cast', expr: quotient, type: a.col.type } });
    } else if (a.fn === 'count') {
      const c = state('count', T.bigint);
      const f = merge('sum', c, T.bigint);
      // A group seen by no task has no partial row, but a global count over nothing is 0, not NULL.
      top.push({ col: a.col, expr: { kind: 'call', fn: 'coalesce', args: [ref(f), { kind: 'lit', value: '0', type: T.bigint }], type: T.bigint } });
    } else {
      const s = state(a.fn, a.col.type);
      const f = merge(a.fn, s, a.col.type);
      top.push({ col: a.col, expr: ref(f) });
    }
  }
  const partial: AggregateNode = { kind: 'aggregate', input: node.input, keys: partialKeys, aggs: partialAggs, phase: 'partial' };
  const final: AggregateNode = { kind: 'aggregate', input: partial, keys: finalKeys, aggs: finalAggs, phase: 'final' };
  return { kind: 'project', input: final, exprs: top };
}

export const twoPhaseAggregate: OptimizerRule = {
  name: 'two-phase-aggregate',
  rewrite(plan, ctx) {
    if (ctx.settings['shoal.aggregate.two-phase'] === 'false') return plan;
    return transformUp(plan, (n) =>
      n.kind === 'aggregate' && n.phase === 'single' && n.aggs.every((a) => SPLITTABLE.has(a.fn) && !a.distinct) && (n.aggs.length > 0 || n.keys.length > 0)
        ? split(n, ctx)
        : n,
    );
  },
};
