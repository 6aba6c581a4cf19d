// Bound expressions as DuckDB SQL with Hive's semantics spelled out where the two
// engines differ (division by zero, casts that fail, Java's integer wraparound,
// NULL-propagating concat, 0-based array indexes). Functions render by family in
// functions/.
import { duckType, isIntegral, isPrimitive, type HiveType } from '../common/types.js';
import { taskError } from '../common/errors.js';
import type { AggCall, BExpr } from '../plan/nodes.js';
import { quoteIdent, renderCast, renderLiteral } from './render-cast.js';
import { COLLECTION_RENDERERS } from './functions/collections.js';
import { CONDITIONAL_RENDERERS } from './functions/conditional.js';
import { DATE_RENDERERS, intervalAdd } from './functions/dates.js';
import { HASH_RENDERERS } from './functions/hashing.js';
import { MATH_RENDERERS } from './functions/math.js';
import { REGEX_RENDERERS } from './functions/regex.js';
import { wrapInt, type Render } from './functions/render.js';
import { STRING_RENDERERS } from './functions/strings.js';
import { argumentRows, userMacro } from './user-functions.js';

export { quoteIdent, quoteString, renderCast, renderLiteral } from './render-cast.js';

const INFIX: Record<string, string> = {
  '=': '=', '<>': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=',
  and: 'AND', or: 'OR', '&': '&', '|': '|',
};

const scaleOf = (t: HiveType) => (t.kind === 'primitive' ? t.scale ?? 0 : 0);

const BITS: Record<string, 8 | 16 | 32 | 64> = { tinyint: 8, smallint: 16, int: 32, bigint: 64 };

/** `+ - *` and unary minus: integers wrap around as Java's do (computed in HUGEINT, which cannot overflow); decimals take Hive's result type. */
function arithmetic(op: string, a: readonly string[], args: readonly BExpr[], type: HiveType): string {
  if (isIntegral(type) && type.kind === 'primitive') {
    const wide = a.length === 1 ? `(${op}CAST(${a[0]} AS HUGEINT))` : `(CAST(${a[0]} AS HUGEINT) ${op} ${a[1]})`;
    return wrapInt(wide, BITS[type.name]!, duckType(type));
  }
  if (!isPrimitive(type, 'decimal')) return a.length === 1 ? `(${op}${a[0]})` : `(${a[0]} ${op} ${a[1]})`;
  // DuckDB multiplies decimals in at most 18 digits unless an operand is wider: widen to 38
  const left = op === '*' ? `CAST(${a[0]} AS DECIMAL(38,${scaleOf(args[0]!.type)}))` : a[0];
  return `CAST(${a.length === 1 ? `(${op}${left})` : `(${left} ${op} ${a[1]})`} AS ${duckType(type)})`;
}

const OPERATORS: Record<string, Render> = {
  '+': (a, x, t) => arithmetic('+', a, x, t),
  '-': (a, x, t) => arithmetic('-', a, x, t),
  '*': (a, x, t) => arithmetic('*', a, x, t),
  negate: (a, x, t) => arithmetic('-', a, x, t),
  negative: (a, x, t) => arithmetic('-', a, x, t),
  '%': (a, _x, t) => (isPrimitive(t, 'decimal') ? `CAST((${a[0]} % NULLIF(${a[1]}, 0)) AS ${duckType(t)})` : `(${a[0]} % NULLIF(${a[1]}, 0))`),
  '/': (a, _x, t) => (isPrimitive(t, 'decimal') ? `CAST((${a[0]} / NULLIF(${a[1]}, 0)) AS ${duckType(t)})` : `(${a[0]} / NULLIF(${a[1]}, 0))`),
  div: (a) => `(${a[0]} // NULLIF(${a[1]}, 0))`,
  '^': (a) => `xor(${a[0]}, ${a[1]})`,
  '<=>': (a) => `(${a[0]} IS NOT DISTINCT FROM ${a[1]})`,
  not: (a) => `(NOT ${a[0]})`,
  '~': (a) => `(~${a[0]})`,
  between: (a) => `(${a[0]} BETWEEN ${a[1]} AND ${a[2]})`,
  like: (a) => `(${a[0]} LIKE ${a[1]} ESCAPE '\\')`,
  interval_add: intervalAdd,
  // Planned by the binder (a scalar subquery with two rows), never written by users: fails the task.
  raise_error: (a) => `error(${a[0]})`,
};

const RENDERERS: Record<string, Render> = {
  ...OPERATORS,
  ...STRING_RENDERERS,
  ...REGEX_RENDERERS,
  ...DATE_RENDERERS,
  ...MATH_RENDERERS,
  ...CONDITIONAL_RENDERERS,
  ...COLLECTION_RENDERERS,
  ...HASH_RENDERERS,
};

export function renderExpr(e: BExpr): string {
  switch (e.kind) {
    case 'ref': return quoteIdent(e.id);
    case 'lit': return renderLiteral(e.value, e.type);
    case 'cast': return renderCast(renderExpr(e.expr), e.expr.type, e.type);
    case 'case':
      return `(CASE ${e.whens.map((w) => `WHEN ${renderExpr(w.when)} THEN ${renderExpr(w.then)}`).join(' ')}${e.else ? ` ELSE ${renderExpr(e.else)}` : ''} END)`;
    case 'in': return `(${renderExpr(e.expr)} ${e.not ? 'NOT IN' : 'IN'} (${e.list.map(renderExpr).join(', ')}))`;
    case 'call': return e.udf ? `${userMacro(e.fn, 'call')}(${e.args.map(renderExpr).join(', ')})` : renderCall(e.fn, e.args, e.type);
  }
}

function renderCall(fn: string, args: readonly BExpr[], type: HiveType): string {
  const a = args.map(renderExpr);
  const infix = INFIX[fn];
  if (infix) return `(${a[0]} ${infix} ${a[1]})`;
  const render = RENDERERS[fn];
  if (render) return render(a, args, type);
  throw taskError(`no DuckDB rendering for function '${fn}'`, false);
}

// ───────────────────────── aggregates ─────────────────────────
// Each aggregate renders in one of three forms: whole (over raw rows, `phase: single`),
// its partial state (over raw rows, before the shuffle), or the merge of partial states
// (after the shuffle). The state columns are plain Parquet types:
//   avg                  → sum, count (two partial columns, see two-phase-aggregate.ts)
//   variance family      → struct(n, mean, m2), merged with Chan et al.'s pairwise formula,
//                          which Hive's GenericUDAFVariance also uses: no sum-of-squares
//                          cancellation when the mean is large against the spread
//   covar_*, corr        → struct(n, ma, mb, c, va, vb), merged the same way
//   percentile(_approx), collect_list → the list of non-NULL values; collect_set → the list
//                          of distinct values, deduplicated again after the merge
// `over` (a window clause's text) is appended to every aggregate call, so the same
// renderings serve aggregates OVER windows.

const VAR_FAMILY: Record<string, { sample: boolean; sqrt: boolean }> = {
  std: { sample: false, sqrt: true }, stddev: { sample: false, sqrt: true }, stddev_pop: { sample: false, sqrt: true },
  stddev_samp: { sample: true, sqrt: true }, variance: { sample: false, sqrt: false }, var_pop: { sample: false, sqrt: false },
  var_samp: { sample: true, sqrt: false },
};
const COVAR_FAMILY = new Set(['covar_pop', 'covar_samp', 'corr']);

/** Binds `value` to `name` inside `body` (DuckDB has no LET): a one-element list mapped by a lambda. */
const letIn = (value: string, name: string, body: string) => `list_transform([${value}], ${name} -> ${body})[1]`;

/** The numbers of a constant percentile argument: `p` or `array(p1, p2, …)`. */
function percentiles(e: BExpr): { list: boolean; values: string[] } {
  if (e.kind === 'call' && e.fn === 'array') return { list: true, values: e.args.map(renderExpr) };
  return { list: false, values: [renderExpr(e)] };
}

/** Hive's exact percentile over a list of values: linear interpolation at (n-1)·p, as DuckDB's quantile_cont. */
function exactPercentile(list: string, p: BExpr): string {
  const ps = percentiles(p);
  return `list_aggregate(${list}, 'quantile_cont', ${ps.list ? `[${ps.values.join(', ')}]` : ps.values[0]})`;
}

/**
 * Hive's percentile_approx reads the quantile off a histogram of (value, count) bins:
 * the first bin b whose cumulative count reaches q·total, interpolated from bin b-1 as
 * x[b-1] + (q·total − cum[b-1])·(x[b] − x[b-1]) / count[b]. With every distinct value
 * its own bin (Hive's case up to 10000 distinct values) this is that formula, exactly.
 */
function approxPercentile(list: string, p: BExpr): string {
  const one = (q: string) => letIn(`list_sort(${list})`, '_s', `CASE WHEN len(_s) = 0 THEN NULL ELSE ${letIn(
    `_s[list_position(list_transform(range(1, len(_s) + 1), _i -> CAST(_i AS DOUBLE) / len(_s) >= ${q}), true)]`, '_x',
    letIn(`len(list_filter(_s, _v -> _v < _x))`, '_lt',
      `CASE WHEN _lt = 0 THEN _x ELSE _s[_lt] + (${q} * len(_s) - _lt) * (_x - _s[_lt]) / len(list_filter(_s, _v -> _v = _x)) END`),
  )} END`);
  const ps = percentiles(p);
  return ps.list ? `CASE WHEN ${list} IS NULL OR len(${list}) = 0 THEN NULL ELSE [${ps.values.map(one).join(', ')}] END` : one(ps.values[0]!);
}

/** The result of a variance-family state struct `r`, with Hive's edges: NULL for no rows, 0 for one. */
function finishVar(fn: string, r: string): string {
  const k = VAR_FAMILY[fn]!;
  const v = `(${r}.m2 / ${k.sample ? `(${r}.n - 1)` : `${r}.n`})`;
  return `CASE WHEN ${r}.n = 0 THEN NULL WHEN ${r}.n = 1 THEN 0.0 ELSE ${k.sqrt ? `sqrt(${v})` : v} END`;
}

/** covar_pop: NULL for no pairs; covar_samp and corr: NULL for fewer than two (Hive's terminate()). */
function finishCovar(fn: string, r: string): string {
  if (fn === 'covar_pop') return `CASE WHEN ${r}.n = 0 THEN NULL ELSE ${r}.c / ${r}.n END`;
  if (fn === 'covar_samp') return `CASE WHEN ${r}.n <= 1 THEN NULL ELSE ${r}.c / (${r}.n - 1) END`;
  return `CASE WHEN ${r}.n < 2 THEN NULL ELSE ${r}.c / sqrt(${r}.va) / sqrt(${r}.vb) END`;
}

const VAR_ZERO = `{'n': 0::BIGINT, 'mean': 0.0::DOUBLE, 'm2': 0.0::DOUBLE}`;
const COVAR_ZERO = `{'n': 0::BIGINT, 'ma': 0.0::DOUBLE, 'mb': 0.0::DOUBLE, 'c': 0.0::DOUBLE, 'va': 0.0::DOUBLE, 'vb': 0.0::DOUBLE}`;
/** Chan, Golub and LeVeque's pairwise merge of two (n, mean, m2) states. */
const VAR_MERGE = `(_a, _b) -> {'n': _a.n + _b.n, 'mean': _a.mean + (_b.mean - _a.mean) * _b.n / (_a.n + _b.n),
  'm2': _a.m2 + _b.m2 + (_b.mean - _a.mean) * (_b.mean - _a.mean) * (CAST(_a.n AS DOUBLE) * _b.n / (_a.n + _b.n))}`;
const COVAR_MERGE = `(_a, _b) -> {'n': _a.n + _b.n,
  'ma': _a.ma + (_b.ma - _a.ma) * _b.n / (_a.n + _b.n), 'mb': _a.mb + (_b.mb - _a.mb) * _b.n / (_a.n + _b.n),
  'c': _a.c + _b.c + (_b.ma - _a.ma) * (_b.mb - _a.mb) * (CAST(_a.n AS DOUBLE) * _b.n / (_a.n + _b.n)),
  'va': _a.va + _b.va + (_b.ma - _a.ma) * (_b.ma - _a.ma) * (CAST(_a.n AS DOUBLE) * _b.n / (_a.n + _b.n)),
  'vb': _a.vb + _b.vb + (_b.mb - _a.mb) * (_b.mb - _a.mb) * (CAST(_a.n AS DOUBLE) * _b.n / (_a.n + _b.n))}`;

/**
 * A user aggregate (see user-functions.ts): its rows collected per group with list(),
 * folded by the JS steps; after the shuffle, the list of partial states merged.
 */
function renderUserAgg(a: AggCall, over: string): string {
  const w = over ? ` OVER (${over})` : '';
  if (a.udfStep === 'merge') return `${userMacro(a.fn, 'merge')}(coalesce(list(${renderExpr(a.args[0]!)})${w}, []))`;
  return `${userMacro(a.fn, a.udfStep === 'state' ? 'state' : 'whole')}(${argumentRows(a.args.map(renderExpr), a.distinct, w)})`;
}

export function renderAgg(a: AggCall, over = ''): string {
  if (a.udf) return renderUserAgg(a, over);
  // percentile's constant array(…) renders as a DuckDB list literal here
  const args = a.args.map((e) => (e.kind === 'call' && e.fn === 'array' ? `[${e.args.map(renderExpr).join(', ')}]` : renderExpr(e)));
  const t = duckType(a.col.type);
  const w = over ? ` OVER (${over})` : '';
  const d = a.distinct ? 'DISTINCT ' : '';
  const x = args[0]!;
  const nonNull = (e: string) => `FILTER (WHERE ${e} IS NOT NULL)${w}`;
  const varState = () => `{'n': count(${d}${x})${w}, 'mean': avg(${d}${x})${w}, 'm2': coalesce(var_pop(${d}${x})${w} * count(${d}${x})${w}, 0.0)}`;
  const covarState = () => {
    const f = `FILTER (WHERE ${args[0]} IS NOT NULL AND ${args[1]} IS NOT NULL)${w}`;
    const n = `count(*) ${f}`;
    return `{'n': ${n}, 'ma': avg(${args[0]}) ${f}, 'mb': avg(${args[1]}) ${f}, 'c': coalesce(covar_pop(${args[0]}, ${args[1]}) ${f} * ${n}, 0.0), `
      + `'va': coalesce(var_pop(${args[0]}) ${f} * ${n}, 0.0), 'vb': coalesce(var_pop(${args[1]}) ${f} * ${n}, 0.0)}`;
  };
  const merged = (zero: string, merge: string) => `list_reduce(coalesce(list(${x}) FILTER (WHERE ${x}.n > 0)${w}, []), ${merge}, ${zero})`;
  const values = `list(${d}${x}) ${nonNull(x)}`;
  const flat = `flatten(list(${x})${w})`;
  if (VAR_FAMILY[a.fn]) return letIn(varState(), '_r', finishVar(a.fn, '_r'));
  if (COVAR_FAMILY.has(a.fn)) return letIn(covarState(), '_r', finishCovar(a.fn, '_r'));
  const merge = /^(.*)_merge$/.exec(a.fn)?.[1];
  if (merge && VAR_FAMILY[merge]) return letIn(merged(VAR_ZERO, VAR_MERGE), '_r', finishVar(merge, '_r'));
  if (merge && COVAR_FAMILY.has(merge)) return letIn(merged(COVAR_ZERO, COVAR_MERGE), '_r', finishCovar(merge, '_r'));
  switch (a.fn) {
    case 'count':
      if (args.length === 0) return `count(*)${w}`;
      if (args.length === 1) return `count(${d}${x})${w}`;
      // Hive counts rows (or distinct tuples) where no argument is NULL.
      return `count(${d}CASE WHEN ${args.map((v) => `${v} IS NOT NULL`).join(' AND ')} THEN row(${args.join(', ')}) END)${w}`;
    case 'sum': case 'avg':
      // Hive adds integers in a Java long: a sum past 64 bits wraps around (DuckDB's is a HUGEINT)
      if (a.fn === 'sum' && isIntegral(a.col.type)) return wrapInt(`sum(${d}${x})${w}`, 64, t);
      return `CAST(${a.fn}(${d}${x})${w} AS ${t})`;
    case 'min': case 'max':
      return `${a.fn}(${x})${w}`;
    case 'percentile': return exactPercentile(values, a.args[1]!);
    case 'percentile_approx': return approxPercentile(values, a.args[1]!);
    // Hive's collect_list and collect_set skip NULLs and give [] (not NULL) for no rows.
    case 'collect_list': return `coalesce(${values}, [])`;
    case 'collect_set': return `coalesce(list(DISTINCT ${x}) ${nonNull(x)}, [])`;
    // partial states
    case 'var_state': return varState();
    case 'covar_state': return covarState();
    case 'list_state': return values;
    case 'set_state': return `list(DISTINCT ${x}) ${nonNull(x)}`;
    // merges of partial states into states (below a DISTINCT's second grouping)
    case 'var_state_merge': return merged(VAR_ZERO, VAR_MERGE);
    case 'covar_state_merge': return merged(COVAR_ZERO, COVAR_MERGE);
    case 'list_state_merge': return flat;
    case 'set_state_merge': return `list_distinct(${flat})`;
    // merges of partial states into results
    case 'percentile_merge': return exactPercentile(flat, a.args[1]!);
    case 'percentile_approx_merge': return approxPercentile(flat, a.args[1]!);
    case 'collect_list_merge': return `coalesce(${flat}, [])`;
    case 'collect_set_merge': return `coalesce(list_distinct(${flat}), [])`;
  }
  throw taskError(`no DuckDB rendering for aggregate '${a.fn}'`, false);
}
