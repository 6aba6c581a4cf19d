// Subqueries in WHERE, HAVING and (scalar ones) the select list, planned as joins.
// While an expression is bound, each subquery is bound on its own, its correlated
// conditions (those that read the enclosing query's columns) are pulled out of it, and
// it is left in the expression as a placeholder call; `apply` (or `joinScalars`) then
// turns the placeholders into joins:
//   EXISTS / IN              → semi join (correlated conditions become keys and residual)
//   NOT EXISTS               → anti join
//   NOT IN                   → anti join plus the subquery's row and non-NULL counts, so that
//                              a NULL in the subquery keeps no row and a NULL probe is kept only
//                              when the subquery is empty (SQL's three-valued NOT IN, as Hive)
//   scalar, uncorrelated     → cross join with a one-row aggregate of the subquery
//   scalar, correlated       → left join on the correlation keys with the subquery grouped by them
// A scalar subquery that yields two rows for an outer row fails the job, as in Hive.
import { sqlError, type SourcePos } from '../common/errors.js';
import { T, type HiveType } from '../common/types.js';
import type * as A from '../sql/ast.js';
import { bindExpr, call, castTo, lit, type ExprEnv, type Scope, type SubqueryHook } from './bind-expr.js';
import { comparisonType } from './coercion.js';
import {
  andAll, conjuncts, exprChildren, inputsOf, mapExpr, refsOf, schemaOf,
  type AggCall, type BExpr, type ColumnInfo, type NamedExpr, type PlanNode,
} from './nodes.js';

/** Binds a subquery's text, with `outer` as the scope its WHERE may correlate with. */
export type BindSubquery = (q: A.QueryExpr, outer: Scope | undefined) => { readonly plan: PlanNode; readonly columns: readonly ColumnInfo[] };

export interface SubqueryBinder {
  /** what bindExpr calls for IN (subquery), EXISTS and scalar subqueries */
  readonly hook: SubqueryHook;
  /** `plan` filtered by `predicate`, its subquery placeholders turned into joins */
  apply(plan: PlanNode, predicate: BExpr): PlanNode;
  /** `plan` with the scalar subqueries met so far joined in, and how to replace their placeholders (a select list) */
  joinScalars(plan: PlanNode): { plan: PlanNode; resolve: (e: BExpr) => BExpr };
}

/** A subquery with its correlated conditions taken out. */
interface Decorrelated {
  readonly plan: PlanNode;
  /** the subquery's select list (output columns of `plan`) */
  readonly columns: readonly ColumnInfo[];
  /** the correlated conditions, over `plan`'s output and the outer query's columns */
  readonly preds: readonly BExpr[];
  /** one row per value of the correlation keys: a global aggregate was grouped by them */
  readonly unique: boolean;
}

interface Pending {
  readonly id: string;
  readonly kind: 'scalar' | 'exists' | 'in';
  readonly sub: Decorrelated;
  readonly pos: SourcePos;
  /** IN: the type probe and subquery column are compared as */
  readonly compareAs?: HiveType;
}

type ColumnRef = Extract<BExpr, { kind: 'ref' }>;
const ref = (c: ColumnInfo): ColumnRef => ({ kind: 'ref', id: c.id, type: c.type });
const PLACEHOLDERS = new Set(['$subquery', '$exists', '$in']);
const where = (pos: SourcePos) => `line ${pos.line}, column ${pos.col}`;

export function subqueryBinder(opts: { newId: () => string; bind: BindSubquery; clause: string; correlated: boolean }): SubqueryBinder {
  const pending = new Map<string, Pending>();
  const newCol = (name: string, type: HiveType): ColumnInfo => ({ id: opts.newId(), name, type });

  const hook: SubqueryHook = {
    bind(e: A.InExpr | A.ExistsExpr | A.SubqueryExpr, env: ExprEnv): BExpr {
      const outer: Scope | undefined = opts.correlated ? { columns: env.scope.columns } : undefined;
      const b = opts.bind(e.query!, outer);
      const sub = decorrelate(b.plan, b.columns, new Set(outer?.columns.map((c) => c.id) ?? []), opts.newId, e.pos);
      const id = opts.newId();
      // A global aggregate yields exactly one row whatever it reads: such an EXISTS is true,
      // and such an IN is a comparison with that one value (as a scalar subquery, so an outer
      // row without inner rows compares with the aggregate over no rows).
      const oneRow = exactlyOneRow(b.plan);
      if (e.kind === 'exists') {
        if (oneRow) return lit(!e.not, T.boolean);
        pending.set(id, { id, kind: 'exists', sub, pos: e.pos });
        const x = call('$exists', [lit(id, T.string)], T.boolean);
        return e.not ? call('not', [x], T.boolean) : x;
      }
      if (b.columns.length !== 1)
        throw sqlError(`${e.kind === 'in' ? 'an IN' : 'a scalar'} subquery must return one column, but this one returns ${b.columns.length}`, e.pos);
      const col = b.columns[0]!;
      if (e.kind === 'subquery') {
        pending.set(id, { id, kind: 'scalar', sub, pos: e.pos });
        return call('$subquery', [lit(id, T.string)], col.type);
      }
      const probe = bindExpr(e.expr, env);
      const compareAs = comparisonType(probe.type, col.type);
      if (oneRow && sub.preds.length) {
        pending.set(id, { id, kind: 'scalar', sub, pos: e.pos });
        const value = castTo(call('$subquery', [lit(id, T.string)], col.type), compareAs);
        return call(e.not ? '<>' : '=', [castTo(probe, compareAs), value], T.boolean);
      }
      pending.set(id, { id, kind: 'in', sub, pos: e.pos, compareAs });
      const x = call('$in', [castTo(probe, compareAs), lit(id, T.string)], T.boolean);
      return e.not ? call('not', [x], T.boolean) : x;
    },
  };

  const pendingOf = (e: BExpr): Pending => {
    const id = e.kind === 'call' ? e.args[e.args.length - 1] : undefined;
    const p = id?.kind === 'lit' ? pending.get(String(id.value)) : undefined;
    if (!p) throw new Error(`a subquery placeholder without its subquery: the binder lost track of it`);
    return p;
  };

  function apply(input: PlanNode, predicate: BExpr): PlanNode {
    let plan = input;
    const semis: { p: Pending; negated: boolean; probe?: BExpr }[] = [];
    const rest: BExpr[] = [];
    for (const c of conjuncts(predicate)) {
      let x = c;
      let negated = false;
      while (x.kind === 'call' && x.fn === 'not') { x = x.args[0]!; negated = !negated; }
      if (x.kind === 'call' && (x.fn === '$exists' || x.fn === '$in')) {
        semis.push({ p: pendingOf(x), negated, probe: x.fn === '$in' ? x.args[0] : undefined });
        continue;
      }
      const nested = findPlaceholder(c, (fn) => fn === '$exists' || fn === '$in');
      if (nested) throw sqlError(`an IN or EXISTS subquery in ${opts.clause} must be a condition of its own, joined to the others by AND (not inside OR, CASE or a function)`, pendingOf(nested).pos);
      rest.push(c);
    }
    // Scalar subqueries become columns of the plan, joined in before the conditions that read them.
    const scalars = joinScalars(plan);
    plan = scalars.plan;
    const filter = andAll(rest.map(scalars.resolve));
    if (filter) plan = { kind: 'filter', input: plan, predicate: filter };
    for (const s of semis) plan = joinSemi(plan, s.p, s.negated, s.probe && scalars.resolve(s.probe));
    pending.clear();
    return plan;
  }

  function joinScalars(input: PlanNode): { plan: PlanNode; resolve: (e: BExpr) => BExpr } {
    let plan = input;
    const values = new Map<string, BExpr>();
    for (const p of pending.values()) {
      if (p.kind !== 'scalar') continue;
      const joined = joinScalar(plan, p);
      plan = joined.plan;
      values.set(p.id, joined.value);
    }
    const resolve = (e: BExpr): BExpr => mapExpr(e, (x) => {
      if (x.kind !== 'call' || !PLACEHOLDERS.has(x.fn)) return undefined;
      const p = pendingOf(x);
      if (p.kind !== 'scalar') throw sqlError(`IN and EXISTS subqueries are supported in WHERE and HAVING only, not in ${opts.clause}`, p.pos);
      return values.get(p.id);
    });
    return { plan, resolve };
  }

  /** `value` over `sub`, guaranteed one row per key (or one row): the largest value and a count that fails the job above 1. */
  function oneRow(sub: PlanNode, value: ColumnInfo, keys: readonly BExpr[], checked: boolean, pos: SourcePos): { plan: PlanNode; value: ColumnInfo; keys: ColumnInfo[] } {
    const keyCols: NamedExpr[] = keys.map((k) => ({ col: newCol('_key', k.type), expr: k }));
    const max: AggCall = { col: newCol('_value', value.type), fn: 'max', args: [ref(value)], distinct: false };
    const count: AggCall = { col: newCol('_rows', T.bigint), fn: 'count', args: [], distinct: false };
    const agg: PlanNode = { kind: 'aggregate', input: sub, keys: keyCols, aggs: checked ? [max, count] : [max], phase: 'single' };
    if (!checked) return { plan: agg, value: max.col, keys: keyCols.map((k) => k.col) };
    const tooMany = call('>', [ref(count.col), lit('1', T.bigint)], T.boolean);
    const error = call('raise_error', [lit(`the scalar subquery at ${where(pos)} returned more than one row`, T.string)], value.type);
    const out = newCol('_value', value.type);
    const exprs: NamedExpr[] = [
      ...keyCols.map((k) => ({ col: k.col, expr: ref(k.col) })),
      { col: out, expr: { kind: 'case', whens: [{ when: tooMany, then: error }], else: ref(max.col), type: value.type } },
    ];
    return { plan: { kind: 'project', input: agg, exprs }, value: out, keys: keyCols.map((k) => k.col) };
  }

  function joinScalar(plan: PlanNode, p: Pending): { plan: PlanNode; value: BExpr } {
    const { sub } = p;
    const value = sub.columns[0]!;
    if (sub.preds.length === 0) {
      const one = oneRow(sub.plan, value, [], !atMostOneRow(sub.plan), p.pos);
      return { plan: { kind: 'join', joinType: 'cross', left: plan, right: one.plan, leftKeys: [], rightKeys: [] }, value: ref(one.value) };
    }
    const eqs = sub.preds.map((c) => {
      const eq = splitEquality(c, outputIds(sub.plan));
      if (!eq) throw sqlError(`a correlated scalar subquery may only compare its columns with the outer query's by '=', at ${where(p.pos)}`, p.pos);
      return eq;
    });
    if (sub.unique) {
      // Grouped by the correlation keys: an outer row without a group gets what the
      // aggregate gives over no rows (count 0, not NULL), hence the marker column.
      const empty = emptyValue(sub.plan, value);
      let right = sub.plan;
      let result: BExpr = ref(value);
      if (empty && right.kind === 'project') {
        const marker = newCol('_matched', T.boolean);
        right = { ...right, exprs: [...right.exprs, { col: marker, expr: lit(true, T.boolean) }] };
        result = { kind: 'case', whens: [{ when: call('isnull', [ref(marker)], T.boolean), then: empty }], else: ref(value), type: value.type };
      }
      return { plan: { kind: 'join', joinType: 'left', left: plan, right, leftKeys: eqs.map((e) => e.outer), rightKeys: eqs.map((e) => e.inner) }, value: result };
    }
    const one = oneRow(sub.plan, value, eqs.map((e) => e.inner), true, p.pos);
    return {
      plan: { kind: 'join', joinType: 'left', left: plan, right: one.plan, leftKeys: eqs.map((e) => e.outer), rightKeys: one.keys.map(ref) },
      value: ref(one.value),
    };
  }

  function joinSemi(plan: PlanNode, p: Pending, negated: boolean, probe: BExpr | undefined): PlanNode {
    const { sub } = p;
    const innerIds = outputIds(sub.plan);
    const leftKeys: BExpr[] = [];
    const rightKeys: BExpr[] = [];
    const residual: BExpr[] = [];
    for (const c of sub.preds) {
      const eq = splitEquality(c, innerIds);
      if (eq) { leftKeys.push(eq.outer); rightKeys.push(eq.inner); } else residual.push(c);
    }
    const corrLeft = [...leftKeys], corrRight = [...rightKeys];
    const column = probe ? castTo(ref(sub.columns[0]!), p.compareAs!) : undefined;
    if (probe && column) { leftKeys.unshift(probe); rightKeys.unshift(column); }
    const join = (left: PlanNode, joinType: 'semi' | 'anti'): PlanNode =>
      ({ kind: 'join', joinType, left, right: sub.plan, leftKeys, rightKeys, residual: andAll(residual) });
    if (!negated) return join(plan, 'semi');
    if (!probe || !column) return join(plan, 'anti');
    // NOT IN: x NOT IN (S) is TRUE when S is empty, else when x is not NULL, S has no NULL and no x.
    if (residual.length) throw sqlError(`a correlated NOT IN subquery may only compare its columns with the outer query's by '=', at ${where(p.pos)}`, p.pos);
    const keys: NamedExpr[] = corrRight.map((k) => ({ col: newCol('_key', k.type), expr: k }));
    const rows: AggCall = { col: newCol('_rows', T.bigint), fn: 'count', args: [], distinct: false };
    const nonNull: AggCall = { col: newCol('_nonnull', T.bigint), fn: 'count', args: [column], distinct: false };
    const counts: PlanNode = { kind: 'aggregate', input: sub.plan, keys, aggs: [rows, nonNull], phase: 'single' };
    const withCounts: PlanNode = keys.length
      ? { kind: 'join', joinType: 'left', left: plan, right: counts, leftKeys: corrLeft, rightKeys: keys.map((k) => ref(k.col)) }
      : { kind: 'join', joinType: 'cross', left: plan, right: counts, leftKeys: [], rightKeys: [] };
    const zero = lit('0', T.bigint);
    const keep = call('or', [
      call('=', [call('coalesce', [ref(rows.col), zero], T.bigint), zero], T.boolean),
      call('and', [call('isnotnull', [probe], T.boolean), call('=', [ref(rows.col), ref(nonNull.col)], T.boolean)], T.boolean),
    ], T.boolean);
    return { kind: 'filter', input: join(withCounts, 'anti'), predicate: keep };
  }

  return { hook, apply, joinScalars };
}

// ───────────────────────── decorrelation ─────────────────────────

interface Pulled { readonly plan: PlanNode; readonly preds: readonly BExpr[]; readonly unique: boolean }

function decorrelate(plan: PlanNode, columns: readonly ColumnInfo[], outer: ReadonlySet<string>, newId: () => string, pos: SourcePos): Decorrelated {
  const pulled = outer.size ? pull(plan, outer, newId, pos) : { plan, preds: [], unique: false };
  for (const e of planExprs(pulled.plan)) {
    const id = [...refsOf(e)].find((x) => outer.has(x));
    if (id) throw sqlError(`a subquery may refer to the outer query's columns only in its WHERE conditions (and under GROUP BY only by '='), at ${where(pos)}`, pos);
  }
  return { plan: pulled.plan, columns, preds: pulled.preds, unique: pulled.unique };
}

const readsOuter = (e: BExpr, outer: ReadonlySet<string>) => [...refsOf(e)].some((id) => outer.has(id));

/** Takes the correlated conditions out of the top of a subquery's plan, exposing the inner columns they read. */
function pull(node: PlanNode, outer: ReadonlySet<string>, newId: () => string, pos: SourcePos): Pulled {
  const none = (plan: PlanNode): Pulled => ({ plan, preds: [], unique: false });
  switch (node.kind) {
    case 'filter': {
      const inner = pull(node.input, outer, newId, pos);
      const corr: BExpr[] = [], keep: BExpr[] = [];
      for (const c of conjuncts(node.predicate)) (readsOuter(c, outer) ? corr : keep).push(c);
      const p = andAll(keep);
      return { plan: p ? { ...node, input: inner.plan, predicate: p } : inner.plan, preds: [...inner.preds, ...corr], unique: inner.unique };
    }
    case 'project': {
      const inner = pull(node.input, outer, newId, pos);
      if (!inner.preds.length) return { ...inner, plan: { ...node, input: inner.plan } };
      const exprs = [...node.exprs];
      const renamed = new Map<string, BExpr>();
      for (const r of innerRefs(inner.preds, outer)) {
        const same = node.exprs.find((e) => e.expr.kind === 'ref' && e.expr.id === r.id);
        const col = same?.col ?? { id: newId(), name: '_corr', type: r.type };
        if (!same) exprs.push({ col, expr: r });
        renamed.set(r.id, ref(col));
      }
      const preds = inner.preds.map((p) => mapExpr(p, (e) => (e.kind === 'ref' ? renamed.get(e.id) : undefined)));
      return { plan: { ...node, input: inner.plan, exprs }, preds, unique: inner.unique };
    }
    case 'aggregate': {
      const inner = pull(node.input, outer, newId, pos);
      if (!inner.preds.length) return { ...inner, plan: { ...node, input: inner.plan }, unique: false };
      // Grouping by the inner side of `inner = outer` computes the aggregate for every outer value at once.
      const innerIds = outputIds(inner.plan);
      const keys = [...node.keys];
      const preds = inner.preds.map((c) => {
        const eq = splitEquality(c, innerIds);
        if (!eq) throw sqlError(`a correlated condition under an aggregate must be '=' between the subquery's and the outer query's columns, at ${where(pos)}`, pos);
        const col: ColumnInfo = { id: newId(), name: '_corr', type: eq.inner.type };
        keys.push({ col, expr: eq.inner });
        return call('=', [ref(col), eq.outer], T.boolean);
      });
      return { plan: { ...node, input: inner.plan, keys }, preds, unique: node.keys.length === 0 };
    }
    // A subquery's row order does not matter to IN, EXISTS or a scalar value.
    case 'sort': return pull(node.input, outer, newId, pos);
    default: return none(node);
  }
}

/** `inner = outer` with each side reading only one query's columns. */
function splitEquality(c: BExpr, innerIds: ReadonlySet<string>): { inner: BExpr; outer: BExpr } | undefined {
  if (c.kind !== 'call' || c.fn !== '=') return undefined;
  const [a, b] = c.args as [BExpr, BExpr];
  const side = (e: BExpr) => {
    const ids = [...refsOf(e)];
    if (ids.length === 0) return undefined;
    if (ids.every((id) => innerIds.has(id))) return 'inner';
    if (ids.every((id) => !innerIds.has(id))) return 'outer';
    return undefined;
  };
  const sa = side(a), sb = side(b);
  if (sa === 'inner' && sb === 'outer') return { inner: a, outer: b };
  if (sa === 'outer' && sb === 'inner') return { inner: b, outer: a };
  return undefined;
}

/** The refs (with their types) of the conditions that are not the outer query's. */
function innerRefs(preds: readonly BExpr[], outer: ReadonlySet<string>): ColumnRef[] {
  const out = new Map<string, ColumnRef>();
  const walk = (e: BExpr) => {
    if (e.kind === 'ref' && !outer.has(e.id)) out.set(e.id, e);
    exprChildren(e).forEach(walk);
  };
  preds.forEach(walk);
  return [...out.values()];
}

/** Ids of the columns a plan produces. */
function outputIds(plan: PlanNode): Set<string> {
  return new Set(schemaOf(plan).map((c) => c.id));
}

/** Every expression in a plan, for finding correlated references left behind. */
function planExprs(n: PlanNode): BExpr[] {
  const own: (BExpr | undefined)[] = (() => {
    switch (n.kind) {
      case 'scan': return [n.filter, n.partitionFilter];
      case 'filter': return [n.predicate];
      case 'project': return n.exprs.map((e) => e.expr);
      case 'aggregate': return [...n.keys.map((k) => k.expr), ...n.aggs.flatMap((a) => a.args)];
      case 'join': return [...n.leftKeys, ...n.rightKeys, n.residual];
      case 'sort': return n.keys.map((k) => k.expr);
      case 'values': return n.rows.flat();
      default: return [];
    }
  })();
  return [...own.filter((e): e is BExpr => e !== undefined), ...inputsOf(n).flatMap(planExprs)];
}

/** True when the plan yields at most one row whatever its input: a global aggregate, LIMIT 1, one VALUES row. */
function atMostOneRow(n: PlanNode): boolean {
  switch (n.kind) {
    case 'aggregate': return n.keys.length === 0;
    case 'limit': return n.limit <= 1 || atMostOneRow(n.input);
    case 'values': return n.rows.length <= 1;
    case 'project': case 'filter': case 'sort': return atMostOneRow(n.input);
    default: return false;
  }
}

/** True when the plan yields exactly one row whatever its input: a global aggregate not filtered by HAVING. */
function exactlyOneRow(n: PlanNode): boolean {
  switch (n.kind) {
    case 'aggregate': return n.keys.length === 0;
    case 'values': return n.rows.length === 1;
    case 'project': case 'sort': return exactlyOneRow(n.input);
    default: return false;
  }
}

/** What a correlated scalar subquery over a global aggregate yields for an outer row with no inner rows, when it may not be NULL (count). */
function emptyValue(plan: PlanNode, value: ColumnInfo): BExpr | undefined {
  if (plan.kind !== 'project' || plan.input.kind !== 'aggregate') return undefined;
  const agg = plan.input;
  const expr = plan.exprs.find((e) => e.col.id === value.id)?.expr;
  if (!expr || !agg.aggs.some((a) => a.fn === 'count' && refsOf(expr).has(a.col.id))) return undefined;
  const byId = new Map(agg.aggs.map((a) => [a.col.id, a]));
  return mapExpr(expr, (e) => {
    if (e.kind !== 'ref') return undefined;
    const a = byId.get(e.id);
    return a ? lit(a.fn === 'count' ? '0' : null, a.col.type) : lit(null, e.type);
  });
}

function findPlaceholder(e: BExpr, match: (fn: string) => boolean): BExpr | undefined {
  if (e.kind === 'call' && PLACEHOLDERS.has(e.fn) && match(e.fn)) return e;
  for (const c of exprChildren(e)) {
    const f = findPlaceholder(c, match);
    if (f) return f;
  }
  return undefined;
}
