// Hive's functions as the binder sees them: how many arguments, what they are
// converted to, and the result type. How each is computed lives in exec/.
import { sqlError, type SourcePos } from '../common/errors.js';
import { T, decimal, isIntegral, isNumeric, isStringy, isVoid, typeToString, type HiveType } from '../common/types.js';
import { COLLECTION_FUNCTIONS } from './functions/collections.js';
import { CONDITIONAL_FUNCTIONS } from './functions/conditional.js';
import { DATE_FUNCTIONS } from './functions/dates.js';
import { HASH_FUNCTIONS } from './functions/hashing.js';
import { MATH_FUNCTIONS } from './functions/math.js';
import { INF, all, fixed, type ScalarSignature } from './functions/signature.js';
import { STRING_FUNCTIONS } from './functions/strings.js';
import { userFunctionNames } from './user-functions.js';

export type { ScalarSignature } from './functions/signature.js';

export const SCALARS: Record<string, ScalarSignature> = {
  ...STRING_FUNCTIONS,
  ...DATE_FUNCTIONS,
  ...MATH_FUNCTIONS,
  ...CONDITIONAL_FUNCTIONS,
  ...COLLECTION_FUNCTIONS,
  ...HASH_FUNCTIONS,
};

export interface AggregateSignature {
  readonly minArgs: number;
  readonly maxArgs: number;
  /** the type each argument is converted to; undefined keeps the argument's own type */
  readonly argTypes?: (args: readonly HiveType[]) => readonly (HiveType | undefined)[];
  /** a reason the arguments are not acceptable, e.g. percentile over a DOUBLE column */
  readonly reject?: (args: readonly HiveType[]) => string | undefined;
  /** arguments from this index on must be constants (percentile's p, percentile_approx's accuracy) */
  readonly constantFrom?: number;
  readonly returns: (args: readonly HiveType[]) => HiveType;
}

/** sum's result type: Hive widens integers to bigint, floats to double, decimals by 10 digits. */
function sumType(t: HiveType): HiveType {
  if (isIntegral(t)) return T.bigint;
  if (t.kind === 'primitive' && t.name === 'decimal') return decimal(Math.min(38, (t.precision ?? 10) + 10), t.scale ?? 0);
  return T.double;
}
function avgType(t: HiveType): HiveType {
  if (t.kind === 'primitive' && t.name === 'decimal') {
    const s = Math.min(38, (t.scale ?? 0) + 4);
    return decimal(Math.min(38, (t.precision ?? 10) + 4), s);
  }
  return T.double;
}

/** the first `n` arguments must be numbers (or strings or NULL, which Hive converts) */
const numericArg = (name: string, n = 2) => (args: readonly HiveType[]) => {
  const bad = args.slice(0, n).findIndex((t) => !isNumeric(t) && !isStringy(t) && !isVoid(t));
  if (bad < 0) return undefined;
  return Math.min(n, args.length) === 1
    ? `${name}() needs a number, but its argument is ${typeToString(args[bad]!)}`
    : `${name}() needs numbers, but argument ${bad + 1} is ${typeToString(args[bad]!)}`;
};
/** Hive computes the variance family, covariance and correlation in DOUBLE. */
const statistic = (name: string, n: number): AggregateSignature =>
  ({ minArgs: n, maxArgs: n, argTypes: all(T.double), reject: numericArg(name, n), returns: fixed(T.double) });
/** percentile's p: one DOUBLE, or an array of them giving an array of results */
const percentileResult = (p: HiveType | undefined): HiveType => (p?.kind === 'array' ? { kind: 'array', element: T.double } : T.double);
const percentileP = (t: HiveType | undefined) => (t?.kind === 'array' ? { kind: 'array' as const, element: T.double } : T.double);
/** Hive compares primitives, structs and arrays field by field, but not maps. */
const orderable = (name: string) => (args: readonly HiveType[]) =>
  args[0]?.kind === 'map' ? `${name}() cannot compare values of type ${typeToString(args[0])}` : undefined;

export const AGGREGATES: Record<string, AggregateSignature> = {
  count: { minArgs: 0, maxArgs: INF, returns: fixed(T.bigint) },
  sum: { minArgs: 1, maxArgs: 1, reject: numericArg('sum', 1), argTypes: (a) => [isNumeric(a[0]!) ? undefined : T.double], returns: (a) => sumType(a[0]!) },
  avg: { minArgs: 1, maxArgs: 1, reject: numericArg('avg', 1), argTypes: (a) => [isNumeric(a[0]!) ? undefined : T.double], returns: (a) => avgType(a[0]!) },
  min: { minArgs: 1, maxArgs: 1, reject: orderable('min'), returns: (a) => a[0]! },
  max: { minArgs: 1, maxArgs: 1, reject: orderable('max'), returns: (a) => a[0]! },
  // std and stddev are Hive's names for the population standard deviation, variance for the population variance.
  std: statistic('std', 1),
  stddev: statistic('stddev', 1),
  stddev_pop: statistic('stddev_pop', 1),
  stddev_samp: statistic('stddev_samp', 1),
  variance: statistic('variance', 1),
  var_pop: statistic('var_pop', 1),
  var_samp: statistic('var_samp', 1),
  covar_pop: statistic('covar_pop', 2),
  covar_samp: statistic('covar_samp', 2),
  corr: statistic('corr', 2),
  percentile: {
    minArgs: 2, maxArgs: 2, constantFrom: 1,
    reject: (a) => (isIntegral(a[0]!) || isVoid(a[0]!) ? undefined : `percentile() works on integer columns only (as in Hive), but its argument is ${typeToString(a[0]!)}; use percentile_approx()`),
    argTypes: (a) => [T.bigint, percentileP(a[1])],
    returns: (a) => percentileResult(a[1]),
  },
  percentile_approx: {
    minArgs: 2, maxArgs: 3, constantFrom: 1, reject: numericArg('percentile_approx', 1),
    argTypes: (a) => [T.double, percentileP(a[1]), T.int],
    returns: (a) => percentileResult(a[1]),
  },
  collect_list: { minArgs: 1, maxArgs: 1, returns: (a) => ({ kind: 'array', element: a[0]! }) },
  collect_set: { minArgs: 1, maxArgs: 1, returns: (a) => ({ kind: 'array', element: a[0]! }) },
};

export function isAggregateName(name: string): boolean {
  return Object.hasOwn(AGGREGATES, name);
}

/**
 * Edit distance for "did you mean" suggestions; a changed letter costs more than a missing
 * or extra one, so 'cont' suggests 'count' before 'conv' (dropped letters are the common typo).
 */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1.5));
  return d[a.length]![b.length]!;
}

export function nearestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const dd = distance(name, c);
    if (dd < bestD) { bestD = dd; best = c; }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

export function unknownFunction(name: string, pos: SourcePos): never {
  const user = userFunctionNames();
  // a permanent function of another database is the likeliest meaning of its bare name
  const near = user.find((n) => n.endsWith(`.${name}`)) ?? nearestName(name, [...Object.keys(SCALARS), ...Object.keys(AGGREGATES), ...user]);
  throw sqlError(`unknown function '${name}'${near ? `; did you mean '${near}'?` : ''}`, pos);
}

