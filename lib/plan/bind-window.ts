// Binds window function calls (`f(…) OVER (…)`, `OVER w` with the WINDOW clause) into
// WindowNodes: one per distinct PARTITION BY / ORDER BY, stacked above the grouping,
// with Hive's default frames spelled out so the executor never relies on its own.
import { sqlError, type SourcePos } from '../common/errors.js';
import { T, isIntegral, isNumeric, isStringy, isVoid, typeToString, type HiveType } from '../common/types.js';
import type * as A from '../sql/ast.js';
import { bindExpr, castArg, castTo, type ExprEnv, type WindowCollector } from './bind-expr.js';
import { unionType } from './coercion.js';
import { AGGREGATES } from './functions.js';
import { udfArguments, userFunction } from './user-functions.js';
import type { BExpr, ColumnInfo, FrameBound, PlanNode, SortKey, WindowCall, WindowFrame } from './nodes.js';

const RANKING: Record<string, HiveType> = {
  row_number: T.int, rank: T.int, dense_rank: T.int, percent_rank: T.double, cume_dist: T.double,
};
/** Hive's `stddev`, `std` and `variance` are the population forms (DuckDB's are the sample ones). */
const STATISTICS: Record<string, string> = {
  stddev: 'stddev_pop', std: 'stddev_pop', stddev_pop: 'stddev_pop', stddev_samp: 'stddev_samp',
  variance: 'var_pop', var_pop: 'var_pop', var_samp: 'var_samp',
};

interface Group { readonly partitionBy: readonly BExpr[]; readonly orderBy: readonly SortKey[]; readonly calls: WindowCall[] }

export interface WindowBinder extends WindowCollector {
  /** the window column ids bound so far */
  ids(): Set<string>;
  /** the input with one WindowNode per distinct window on top */
  apply(input: PlanNode): PlanNode;
}

/**
 * `post` turns an expression bound over the select's input into one over the rows the
 * windows see: after GROUP BY, grouping keys become the key columns.
 */
export function windowBinder(
  named: readonly { readonly name: string; readonly spec: A.WindowSpec }[],
  newId: () => string,
  post: (e: BExpr, pos: SourcePos, what: string) => BExpr,
): WindowBinder {
  const byName = new Map<string, A.WindowSpec>();
  for (const w of named) {
    if (byName.has(w.name.toLowerCase())) throw sqlError(`window '${w.name}' is defined twice`, w.spec.pos);
    byName.set(w.name.toLowerCase(), w.spec);
  }
  const resolve = (spec: A.WindowSpec, seen: readonly string[] = []): A.WindowSpec => {
    if (!spec.ref) return spec;
    const ref = spec.ref.toLowerCase();
    if (seen.includes(ref)) throw sqlError(`window '${spec.ref}' refers to itself`, spec.pos);
    const base = byName.get(ref);
    if (!base) throw sqlError(`unknown window '${spec.ref}'${byName.size ? `; windows defined: ${[...byName.keys()].join(', ')}` : '; define it in a WINDOW clause'}`, spec.pos);
    const b = resolve(base, [...seen, ref]);
    return {
      partitionBy: spec.partitionBy.length ? spec.partitionBy : b.partitionBy,
      orderBy: spec.orderBy.length ? spec.orderBy : b.orderBy,
      ...((spec.frame ?? b.frame) && { frame: spec.frame ?? b.frame }),
      pos: spec.pos,
    };
  };
  const groups = new Map<string, Group>();
  const binder: WindowBinder = {
    bind(e, env) {
      const name = e.name.toLowerCase();
      const spec = resolve(e.over!);
      // Arguments, partition and order keys may use aggregates (after GROUP BY) but no other window.
      const inner: ExprEnv = { scope: env.scope, ...(env.agg && { agg: env.agg }), clause: `the window of ${name}()` };
      const bound = (x: A.Expr, what: string) => post(bindExpr(x, inner), x.pos, what);
      const partitionBy = spec.partitionBy.map((p) => bound(p, 'PARTITION BY'));
      const orderBy = spec.orderBy.map((o): SortKey => ({ expr: bound(o.expr, 'the window ORDER BY'), desc: o.desc, nullsFirst: o.nulls ? o.nulls === 'first' : !o.desc }));
      const args = e.star ? [] : e.args.map((a) => bound(a, `the arguments of ${name}()`));
      const call = bindCall(name, e, args, orderBy.length > 0, spec.frame, newId);
      const key = JSON.stringify([partitionBy, orderBy]);
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { partitionBy, orderBy, calls: [] }));
      const same = JSON.stringify({ ...call, col: undefined });
      const existing = group.calls.find((c) => JSON.stringify({ ...c, col: undefined }) === same);
      const col = existing?.col ?? call.col;
      if (!existing) group.calls.push(call);
      return { kind: 'ref', id: col.id, type: col.type };
    },
    ids: () => new Set([...groups.values()].flatMap((g) => g.calls.map((c) => c.col.id))),
    apply: (input) => [...groups.values()].reduce<PlanNode>((plan, g) => ({ kind: 'window', input: plan, ...g }), input),
  };
  return binder;
}

function bindCall(name: string, e: A.CallExpr, args: BExpr[], ordered: boolean, frame: A.WindowFrame | undefined, newId: () => string): WindowCall {
  const arity = (min: number, max: number) => {
    if (args.length < min || args.length > max)
      throw sqlError(`${name}() takes ${min === max ? min : `${min} to ${max}`} argument${max === 1 ? '' : 's'} in a window, but ${args.length} were given`, e.pos);
  };
  const make = (fn: string, type: HiveType, callArgs: readonly BExpr[], extra: { frame?: WindowFrame; ignoreNulls?: boolean } = {}): WindowCall => ({
    col: { id: newId(), name, type } satisfies ColumnInfo,
    fn, args: callArgs, distinct: e.distinct, ignoreNulls: extra.ignoreNulls ?? false, ...(extra.frame && { frame: extra.frame }),
  });
  if (e.distinct && !(name in STATISTICS) && !Object.hasOwn(AGGREGATES, name) && userFunction(name)?.kind !== 'aggregate') throw sqlError(`DISTINCT is not allowed in ${name}()`, e.pos);
  if (name in RANKING) {
    // Hive passes the ORDER BY keys to rank() itself; written arguments change nothing.
    return make(name, RANKING[name]!, []);
  }
  if (name === 'ntile') {
    arity(1, 1);
    return make(name, T.int, [castTo(args[0]!, T.bigint)]);
  }
  if (name === 'lag' || name === 'lead') {
    arity(1, 3);
    const offset = args[1] ? constantInt(args[1], `the offset of ${name}()`, e.args[1]!.pos) : 1;
    const type = args[2] ? unionType(args[0]!.type, args[2].type) : args[0]!.type;
    const t = isVoid(type) ? T.string : type;
    return make(name, t, [castTo(args[0]!, t), { kind: 'lit', value: String(offset), type: T.bigint }, ...(args[2] ? [castTo(args[2], t)] : [])]);
  }
  const windowFrame = bindFrame(frame, ordered, e.pos);
  if (name === 'first_value' || name === 'last_value') {
    arity(1, 2);
    const skip = args[1];
    if (skip && (skip.kind !== 'lit' || typeof skip.value !== 'boolean'))
      throw sqlError(`the second argument of ${name}() must be TRUE or FALSE (skip NULLs)`, e.args[1]!.pos);
    return make(name, args[0]!.type, [args[0]!], { frame: windowFrame, ignoreNulls: skip?.kind === 'lit' && skip.value === true });
  }
  if (name in STATISTICS) {
    arity(1, 1);
    if (!isNumeric(args[0]!.type) && !isStringy(args[0]!.type) && !isVoid(args[0]!.type))
      throw sqlError(`${name}() needs a number, but its argument is ${typeToString(args[0]!.type)}`, e.pos);
    return make(STATISTICS[name]!, T.double, [castTo(args[0]!, T.double)], { frame: windowFrame });
  }
  const udf = Object.hasOwn(AGGREGATES, name) ? undefined : userFunction(name);
  if (udf?.kind === 'aggregate') {
    if (e.star) throw sqlError(`'*' is only allowed in count(*)`, e.pos);
    return { ...make(udf.name, udf.returns, udfArguments(udf, args, e.pos), { frame: windowFrame }), udf: true };
  }
  if (FRAME_AGGREGATES.has(name)) {
    // computed like the grouped aggregate, over the frame's rows
    const agg = AGGREGATES[name]!;
    arity(agg.minArgs, agg.maxArgs);
    args.forEach((a, i) => {
      if (agg.constantFrom !== undefined && i >= agg.constantFrom && !isConstant(a))
        throw sqlError(`${name}() needs a constant number${i === 1 ? ' or an array of constant numbers' : ''} as argument ${i + 1}`, e.args[i]!.pos);
    });
    const types = args.map((a) => a.type);
    const problem = agg.reject?.(types);
    if (problem) throw sqlError(problem, e.pos);
    const want = agg.argTypes?.(types);
    return make(name, agg.returns(types), args.map((a, i) => (want?.[i] ? castArg(a, want[i]!) : a)), { frame: windowFrame });
  }
  const sig = ['count', 'sum', 'avg', 'min', 'max'].includes(name) ? AGGREGATES[name] : undefined;
  if (!sig) throw sqlError(`${name}() is not a window function; window functions: row_number, rank, dense_rank, percent_rank, cume_dist, ntile, lag, lead, first_value, last_value and the aggregates`, e.pos);
  if (!e.star) arity(sig.minArgs, sig.maxArgs);
  const numeric = name === 'sum' || name === 'avg';
  if (numeric && !isNumeric(args[0]!.type) && !isStringy(args[0]!.type) && !isVoid(args[0]!.type))
    throw sqlError(`${name}() needs a number, but its argument is ${typeToString(args[0]!.type)}`, e.pos);
  const conv = numeric && !isNumeric(args[0]!.type) ? [castTo(args[0]!, T.double)] : args;
  return make(name, sig.returns(conv.map((a) => a.type)), conv, { frame: windowFrame });
}

/** Aggregates computed over a window frame as their grouped form is (render-expr's renderAgg). */
export const FRAME_AGGREGATES: ReadonlySet<string> = new Set(['collect_list', 'collect_set', 'percentile', 'percentile_approx', 'covar_pop', 'covar_samp', 'corr']);

const isConstant = (e: BExpr): boolean =>
  e.kind === 'lit' || (e.kind === 'cast' && isConstant(e.expr)) || (e.kind === 'call' && e.fn === 'array' && e.args.every(isConstant));

function constantInt(e: BExpr, what: string, pos: SourcePos): number {
  const v = e.kind === 'lit' && typeof e.value === 'string' && isIntegral(e.type) ? Number(e.value) : NaN;
  if (!Number.isInteger(v) || v < 0) throw sqlError(`${what} must be a non-negative integer constant`, pos);
  return v;
}

/** Hive's defaults: with ORDER BY, RANGE from the partition's start to the current row's last peer; without, the whole partition. */
function bindFrame(frame: A.WindowFrame | undefined, ordered: boolean, pos: SourcePos): WindowFrame {
  if (!frame) {
    return ordered
      ? { unit: 'range', start: { kind: 'unboundedPreceding' }, end: { kind: 'currentRow' } }
      : { unit: 'rows', start: { kind: 'unboundedPreceding' }, end: { kind: 'unboundedFollowing' } };
  }
  const bound = (b: A.FrameBound): FrameBound => {
    if (b.kind !== 'preceding' && b.kind !== 'following') return { kind: b.kind };
    const o = b.offset;
    if (o.kind !== 'literal' || o.type !== 'number' || !/^\d+$/.test(String(o.value)))
      throw sqlError(`a window frame offset must be a non-negative integer`, o.pos);
    return { kind: b.kind, offset: Number(o.value) };
  };
  const start = bound(frame.start), end = bound(frame.end);
  if (start.kind === 'unboundedFollowing') throw sqlError(`a window frame cannot start at UNBOUNDED FOLLOWING`, pos);
  if (end.kind === 'unboundedPreceding') throw sqlError(`a window frame cannot end at UNBOUNDED PRECEDING`, pos);
  if (frame.unit === 'range' && !ordered && (start.kind === 'preceding' || start.kind === 'following' || end.kind === 'preceding' || end.kind === 'following'))
    throw sqlError(`a RANGE frame with an offset needs an ORDER BY`, pos);
  return { unit: frame.unit, start, end };
}
