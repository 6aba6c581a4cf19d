// Splits an aggregation into a partial step, which runs where the rows are, and a
// final step after the shuffle that merges the partial states: only one row per group
// and task crosses the network. The states are ordinary columns (numbers, structs,
// lists), so they travel through the Parquet shuffle; what each one holds is described
// in exec/render-expr.ts.
//
// DISTINCT aggregates first group by the grouping keys plus the distinct arguments
// (itself split, so duplicates are removed on both sides of a shuffle hashed on the
// distinct values), then aggregate the de-duplicated rows: a global count(DISTINCT x)
// is spread over as many tasks as the values of x, never gathered into one. Several
// different DISTINCT argument lists are computed in branches and put back together.
import { T, decimal, type HiveType } from '../common/types.js';
import type { AggCall, AggregateNode, BExpr, ColumnInfo, NamedExpr, PlanNode } from '../plan/nodes.js';
import { transformUp } from '../plan/nodes.js';
import type { OptimizerRule, RuleContext } from './rule.js';

const VARIANCE = new Set(['std', 'stddev', 'stddev_pop', 'stddev_samp', 'variance', 'var_pop', 'var_samp']);
const COVARIANCE = new Set(['covar_pop', 'covar_samp', 'corr']);
/** The partial state each aggregate keeps (the others' state is their own value, or avg's sum and count). */
function stateKind(fn: string): 'var' | 'covar' | 'list' | 'set' | undefined {
  if (VARIANCE.has(fn)) return 'var';
  if (COVARIANCE.has(fn)) return 'covar';
  if (fn === 'percentile' || fn === 'percentile_approx' || fn === 'collect_list') return 'list';
  if (fn === 'collect_set') return 'set';
  return undefined;
}
const STATE_FNS = /^(var|covar|list|set)_state(_merge)?$/;
/** `var_merge` and the like: state → result, the last step of an aggregate. */
const finishing = (fn: string) => (/^(.*)_merge$/.exec(fn)?.[1] ?? '');
const splittable = (a: AggCall) => (a.udf ? !a.udfStep : builtinSplittable(a.fn));
const builtinSplittable = (fn: string) => ['count', 'sum', 'avg', 'min', 'max'].includes(fn) || !!stateKind(fn) || STATE_FNS.test(fn) || !!stateKind(finishing(fn));
/** Aggregates whose value over a group equals a re-aggregation of their values over sub-groups. */
const REAGGREGATE: Record<string, string> = { count: 'sum', sum: 'sum', min: 'min', max: 'max' };

const ref = (c: ColumnInfo): BExpr => ({ kind: 'ref', id: c.id, type: c.type });
const struct = (...names: string[]): HiveType => ({ kind: 'struct', fields: names.map((name) => ({ name, type: name === 'n' ? T.bigint : T.double })) });
const STATE_TYPE = {
  var: () => struct('n', 'mean', 'm2'),
  covar: () => struct('n', 'ma', 'mb', 'c', 'va', 'vb'),
  list: (t: HiveType): HiveType => ({ kind: 'array', element: t }),
  set: (t: HiveType): HiveType => ({ kind: 'array', element: t }),
};
function stateType(kind: keyof typeof STATE_TYPE, args: readonly BExpr[]): HiveType {
  return STATE_TYPE[kind](args[0]?.type ?? T.void);
}
const stateArgs = (kind: string, args: readonly BExpr[]) => (kind === 'covar' ? args.slice(0, 2) : args.slice(0, 1));
/** a constant argument (percentile's p): passed along, never grouped on */
const isConstant = (e: BExpr): boolean => e.kind === 'lit' || (e.kind === 'cast' && isConstant(e.expr)) || (e.kind === 'call' && e.fn === 'array' && e.args.every(isConstant));

function avgSumType(t: HiveType): HiveType {
  return t.kind === 'primitive' && t.name === 'decimal' ? decimal(38, t.scale ?? 0) : T.double;
}
const zeroIfNull = (e: BExpr): BExpr => ({ kind: 'call', fn: 'coalesce', args: [e, { kind: 'lit', value: '0', type: T.bigint }], type: T.bigint });
// the quotient is typed as avg's result: a DECIMAL division renders as a cast to its own type
const divide = (sum: ColumnInfo, count: ColumnInfo, type: HiveType): BExpr =>
  ({ kind: 'cast', expr: { kind: 'call', fn: '/', args: [ref(sum), { kind: 'cast', expr: ref(count), type: sum.type }], type }, type });

function split(node: AggregateNode, ctx: RuleContext): PlanNode {
  const partialKeys: NamedExpr[] = node.keys.map((k) => ({ col: { ...k.col, id: ctx.newId() }, expr: k.expr }));
  const partialAggs: AggCall[] = [];
  const finalAggs: AggCall[] = [];
  const finalKeys: NamedExpr[] = partialKeys.map((p, i) => ({ col: { ...node.keys[i]!.col, id: ctx.newId() }, expr: ref(p.col) }));
  const top: NamedExpr[] = node.keys.map((k, i) => ({ col: k.col, expr: ref(finalKeys[i]!.col) }));
  for (const a of node.aggs) {
    const state = (fn: string, type: HiveType, args: readonly BExpr[] = a.args.slice(0, 1)): ColumnInfo => {
      const col: ColumnInfo = { id: ctx.newId(), name: `${a.col.name}_${fn}`, type };
      partialAggs.push({ col, fn, args, distinct: false });
      return col;
    };
    const merge = (fn: string, from: ColumnInfo, type: HiveType, extra: readonly BExpr[] = []): ColumnInfo => {
      const col: ColumnInfo = { id: ctx.newId(), name: from.name, type };
      finalAggs.push({ col, fn, args: [ref(from), ...extra], distinct: false });
      return col;
    };
    const mergeTo = (fn: string, from: ColumnInfo, extra: readonly BExpr[] = []) => top.push({ col: a.col, expr: ref(merge(fn, from, a.col.type, extra)) });
    const kind = a.udf ? undefined : stateKind(a.fn);
    const finishKind = a.udf ? undefined : stateKind(finishing(a.fn));
    if (a.udf) {
      // a user aggregate's partial state is the JSON of its JS state (see exec/user-functions.ts)
      const col: ColumnInfo = { id: ctx.newId(), name: `${a.col.name}_state`, type: T.string };
      partialAggs.push({ col, fn: a.fn, args: a.args, distinct: false, udf: true, udfStep: 'state' });
      const merged: ColumnInfo = { id: ctx.newId(), name: a.col.name, type: a.col.type };
      finalAggs.push({ col: merged, fn: a.fn, args: [ref(col)], distinct: false, udf: true, udfStep: 'merge' });
      top.push({ col: a.col, expr: ref(merged) });
    } else if (a.fn === 'avg') {
      const s = state('sum', avgSumType(a.args[0]!.type));
      const c = state('count', T.bigint);
      top.push({ col: a.col, expr: divide(merge('sum', s, s.type), merge('sum', c, T.bigint), a.col.type) });
    } else if (a.fn === 'count') {
      // A group seen by no task has no partial row, but a global count over nothing is 0, not NULL.
      top.push({ col: a.col, expr: zeroIfNull(ref(merge('sum', state('count', T.bigint, a.args), T.bigint))) });
    } else if (kind) mergeTo(`${a.fn}_merge`, state(`${kind}_state`, stateType(kind, a.args), stateArgs(kind, a.args)), a.args.slice(1).filter(isConstant));
    // the steps of a DISTINCT rewrite: states of states merge into states, then finish
    else if (STATE_FNS.test(a.fn)) mergeTo(a.fn.replace(/(_merge)?$/, '_merge'), state(a.fn, a.col.type, a.args));
    else if (finishKind) mergeTo(a.fn, state(`${finishKind}_state_merge`, a.args[0]!.type), a.args.slice(1));
    else mergeTo(a.fn, state(a.fn, a.col.type));
  }
  const partial: AggregateNode = { kind: 'aggregate', input: node.input, keys: partialKeys, aggs: partialAggs, phase: 'partial' };
  const final: AggregateNode = { kind: 'aggregate', input: partial, keys: finalKeys, aggs: finalAggs, phase: 'final' };
  return { kind: 'project', input: final, exprs: top };
}

/**
 * One set of DISTINCT arguments, with any non-distinct count/sum/min/max/avg beside it:
 * the lower aggregate groups by keys + distinct arguments and computes the others per
 * sub-group; the upper one aggregates the distinct arguments without DISTINCT and
 * re-aggregates the others. Undefined where that does not apply.
 */
function splitDistinct(node: AggregateNode, ctx: RuleContext): PlanNode | undefined {
  const distinct = node.aggs.filter((a) => a.distinct);
  const argText = JSON.stringify(distinct[0]!.args);
  if (distinct.some((a) => JSON.stringify(a.args) !== argText)) return undefined;
  if (node.aggs.some((a) => !a.distinct && (a.udf || (!REAGGREGATE[a.fn] && a.fn !== 'avg' && !stateKind(a.fn))))) return undefined;
  const col = (name: string, type: HiveType): ColumnInfo => ({ id: ctx.newId(), name, type });
  const lowerKeys: NamedExpr[] = [
    ...node.keys.map((k) => ({ col: { ...k.col, id: ctx.newId() }, expr: k.expr })),
    ...distinct[0]!.args.filter((e) => !isConstant(e)).map((e, i) => ({ col: col(`_d${i}`, e.type), expr: e })),
  ];
  const lowerAggs: AggCall[] = [];
  const upperAggs: AggCall[] = [];
  const top: NamedExpr[] = [];
  const upperKeys: NamedExpr[] = node.keys.map((k, i) => ({ col: { ...k.col, id: ctx.newId() }, expr: ref(lowerKeys[i]!.col) }));
  upperKeys.forEach((k, i) => top.push({ col: node.keys[i]!.col, expr: ref(k.col) }));
  const keyRefs = lowerKeys.slice(node.keys.length).map((k) => ref(k.col));
  let next = 0;
  const distinctArgs = distinct[0]!.args.map((e) => (isConstant(e) ? e : keyRefs[next++]!));
  const reaggregate = (fn: string, args: readonly BExpr[], type: HiveType): ColumnInfo => {
    const lower = col(fn, type);
    lowerAggs.push({ col: lower, fn, args, distinct: false });
    const upper = col(fn, type);
    upperAggs.push({ col: upper, fn: REAGGREGATE[fn]!, args: [ref(lower)], distinct: false });
    return upper;
  };
  for (const a of node.aggs) {
    if (a.distinct) {
      const upper = col(a.col.name, a.col.type);
      // a user aggregate runs over the de-duplicated rows like a built-in (and is split again in turn)
      upperAggs.push({ col: upper, fn: a.fn, args: distinctArgs, distinct: false, ...(a.udf ? { udf: true } : {}) });
      top.push({ col: a.col, expr: a.fn === 'count' && !a.udf ? zeroIfNull(ref(upper)) : ref(upper) });
    } else if (stateKind(a.fn)) {
      // e.g. var_samp beside a count(DISTINCT): its state per sub-group, merged and finished above
      const kind = stateKind(a.fn)!;
      const lower = col(`${a.col.name}_state`, stateType(kind, a.args));
      lowerAggs.push({ col: lower, fn: `${kind}_state`, args: stateArgs(kind, a.args), distinct: false });
      const upper = col(a.col.name, a.col.type);
      upperAggs.push({ col: upper, fn: `${a.fn}_merge`, args: [ref(lower), ...a.args.slice(1).filter(isConstant)], distinct: false });
      top.push({ col: a.col, expr: ref(upper) });
    } else if (a.fn === 'avg') {
      const s = reaggregate('sum', a.args, avgSumType(a.args[0]!.type));
      const c = reaggregate('count', a.args, T.bigint);
      top.push({ col: a.col, expr: divide(s, c, a.col.type) });
    } else {
      const upper = reaggregate(a.fn, a.args, a.col.type);
      top.push({ col: a.col, expr: a.fn === 'count' ? zeroIfNull(ref(upper)) : ref(upper) });
    }
  }
  const lower: AggregateNode = { kind: 'aggregate', input: node.input, keys: lowerKeys, aggs: lowerAggs, phase: 'single' };
  const upper: AggregateNode = { kind: 'aggregate', input: lower, keys: upperKeys, aggs: upperAggs, phase: 'single' };
  return { kind: 'project', input: upper, exprs: top };
}

/**
 * DISTINCT over several different argument lists, e.g. count(DISTINCT a), count(DISTINCT b):
 * one aggregation per argument list (and one for the non-distinct aggregates), each
 * split as above, their rows UNIONed with NULL in the others' columns, and one row per
 * group taken back with max(), which skips those NULLs. The input is read once per branch.
 */
function splitDistinctSets(node: AggregateNode, ctx: RuleContext): PlanNode | undefined {
  const sets = new Map<string, AggCall[]>();
  for (const a of node.aggs) {
    const k = a.distinct ? JSON.stringify(a.args) : '';
    sets.set(k, [...(sets.get(k) ?? []), a]);
  }
  if (sets.size <= 1) return undefined;
  const columns: ColumnInfo[] = [...node.keys.map((k) => ({ ...k.col, id: ctx.newId() })), ...node.aggs.map((a) => ({ ...a.col, id: ctx.newId() }))];
  const inputs: PlanNode[] = [...sets.values()].map((aggs) => {
    const keys: NamedExpr[] = node.keys.map((k) => ({ col: { ...k.col, id: ctx.newId() }, expr: k.expr }));
    const own: AggCall[] = aggs.map((a) => ({ ...a, col: { ...a.col, id: ctx.newId() } }));
    const branch: AggregateNode = { kind: 'aggregate', input: node.input, keys, aggs: own, phase: 'single' };
    const exprs: NamedExpr[] = [
      ...keys.map((k, i) => ({ col: columns[i]!, expr: ref(k.col) })),
      ...node.aggs.map((a, i) => {
        const mine = aggs.indexOf(a);
        return { col: columns[node.keys.length + i]!, expr: mine >= 0 ? ref(own[mine]!.col) : { kind: 'lit' as const, value: null, type: a.col.type } };
      }),
    ];
    return { kind: 'project', input: branch, exprs };
  });
  const union: PlanNode = { kind: 'union', inputs, columns };
  return {
    kind: 'aggregate', input: union, phase: 'single',
    keys: node.keys.map((k, i) => ({ col: k.col, expr: ref(columns[i]!) })),
    aggs: node.aggs.map((a, i) => ({ col: a.col, fn: 'max', args: [ref(columns[node.keys.length + i]!)], distinct: false })),
  };
}

export const twoPhaseAggregate: OptimizerRule = {
  name: 'two-phase-aggregate',
  rewrite(plan, ctx) {
    if (ctx.settings['shoal.aggregate.two-phase'] === 'false') return plan;
    return transformUp(plan, (n) => {
      if (n.kind !== 'aggregate' || n.phase !== 'single') return n;
      if (n.aggs.some((a) => a.distinct)) return splitDistinct(n, ctx) ?? splitDistinctSets(n, ctx) ?? n;
      return n.aggs.every(splittable) && (n.aggs.length > 0 || n.keys.length > 0) ? split(n, ctx) : n;
    });
  },
};
