// Hive's math functions. Strings given to a math function are read as DOUBLE, as Hive's
// UDF method resolution does.
import { T, decimal, isNumeric, isPrimitive, type HiveType } from '../../common/types.js';
import { arithmeticType, comparisonType } from '../coercion.js';
import type { BExpr } from '../nodes.js';
import { INF, all, fixed, fn, numericOr, type ScalarSignature } from './signature.js';

const dbl = fn(1, 1, fixed(T.double), all(T.double));
const isDecimal = (t: HiveType) => isPrimitive(t, 'decimal');

/** round(decimal(p,s), d): the scale becomes d when it shrinks, with one more integer digit for the carry. */
function roundType(types: readonly HiveType[], args: readonly BExpr[]): HiveType {
  const t = numericOr(types[0]!);
  if (!isDecimal(t) || t.kind !== 'primitive') return t;
  const p = t.precision ?? 10, s = t.scale ?? 0;
  const d = args[1];
  const places = d === undefined ? 0 : d.kind === 'lit' && typeof d.value === 'string' ? Number(d.value) : s;
  if (places >= s) return t;
  const ns = Math.max(0, places);
  return decimal(Math.min(38, p - s + 1 + ns), ns);
}
const rounding = fn(1, 2, roundType, (a) => [numericOr(a[0]!), T.int]);

const floorType = (a: readonly HiveType[]) => {
  const t = a[0]!;
  return t.kind === 'primitive' && t.name === 'decimal' ? decimal(Math.min(38, (t.precision ?? 10) - (t.scale ?? 0) + 1), 0) : T.bigint;
};
const floorCeil = fn(1, 1, floorType, (a) => [numericOr(a[0]!)]);
const extremum = fn(2, INF, (a) => a.reduce(comparisonType), (a) => { const t = a.reduce(comparisonType); return a.map(() => t); });
const pmodType = (a: readonly HiveType[]) => arithmeticType(a[0]!, a[1]!);

const absType = (t: HiveType): HiveType => (t.kind === 'primitive' && (t.name === 'tinyint' || t.name === 'smallint') ? T.int : t);

export const MATH_FUNCTIONS: Record<string, ScalarSignature> = {
  round: rounding,
  bround: rounding,
  floor: floorCeil, ceil: floorCeil, ceiling: floorCeil,
  // GenericUDFAbs: TINYINT and SMALLINT are read as INT
  abs: fn(1, 1, (a) => absType(numericOr(a[0]!)), (a) => [absType(numericOr(a[0]!))]),
  negative: fn(1, 1, (a) => numericOr(a[0]!), (a) => [numericOr(a[0]!)]),
  positive: fn(1, 1, (a) => numericOr(a[0]!), (a) => [numericOr(a[0]!)]),
  pow: fn(2, 2, fixed(T.double), all(T.double)), power: fn(2, 2, fixed(T.double), all(T.double)),
  sqrt: dbl, exp: dbl, ln: dbl, log10: dbl, log2: dbl, cbrt: dbl,
  sin: dbl, cos: dbl, tan: dbl, asin: dbl, acos: dbl, atan: dbl, degrees: dbl, radians: dbl,
  log: fn(1, 2, fixed(T.double), all(T.double)),
  pmod: fn(2, 2, pmodType, (a) => { const t = pmodType(a); return [t, t]; }),
  sign: fn(1, 1, (a) => (isDecimal(a[0]!) ? T.int : T.double), (a) => [isDecimal(a[0]!) ? a[0] : T.double]),
  signum: fn(1, 1, (a) => (isDecimal(a[0]!) ? T.int : T.double), (a) => [isDecimal(a[0]!) ? a[0] : T.double]),
  greatest: extremum, least: extremum,
  rand: fn(0, 1, fixed(T.double), () => [T.bigint]),
  pi: fn(0, 0, fixed(T.double)), e: fn(0, 0, fixed(T.double)),
  factorial: fn(1, 1, fixed(T.bigint), () => [T.int]),
  conv: fn(3, 3, fixed(T.string), () => [T.string, T.int, T.int]),
  hex: fn(1, 1, fixed(T.string), (a) => [isPrimitive(a[0]!, 'binary') ? T.binary : isNumeric(a[0]!) ? T.bigint : T.string]),
  unhex: fn(1, 1, fixed(T.binary), all(T.string)),
  bin: fn(1, 1, fixed(T.string), all(T.bigint)),
};
