// Hive's implicit type conversions: which common type two operands meet at, for
// arithmetic, comparison and for branches (CASE, UNION, COALESCE).
import { T, decimal, isIntegral, isNumeric, isStringy, isVoid, typesEqual, type HiveType } from '../common/types.js';

const NUMERIC_RANK: Record<string, number> = { tinyint: 1, smallint: 2, int: 3, bigint: 4, decimal: 5, float: 6, double: 7 };

function integralDigits(t: HiveType): number {
  if (t.kind !== 'primitive') return 0;
  switch (t.name) {
    case 'tinyint': return 3;
    case 'smallint': return 5;
    case 'int': return 10;
    case 'bigint': return 19;
    default: return 0;
  }
}

function asDecimal(t: HiveType): { p: number; s: number } {
  if (t.kind === 'primitive' && t.name === 'decimal') return { p: t.precision ?? 10, s: t.scale ?? 0 };
  return { p: integralDigits(t), s: 0 };
}

/** Widest of two numeric types, as Hive's numeric type hierarchy orders them. */
export function commonNumeric(a: HiveType, b: HiveType): HiveType {
  if (isVoid(a)) return b;
  if (isVoid(b)) return a;
  const ra = a.kind === 'primitive' ? NUMERIC_RANK[a.name] ?? 7 : 7;
  const rb = b.kind === 'primitive' ? NUMERIC_RANK[b.name] ?? 7 : 7;
  if (ra === 5 || rb === 5) {
    if (ra > 5 || rb > 5) return T.double;
    const da = asDecimal(a), db = asDecimal(b);
    const s = Math.max(da.s, db.s);
    const p = Math.min(38, Math.max(da.p - da.s, db.p - db.s) + s);
    return decimal(p, s);
  }
  return ra >= rb ? a : b;
}

/** The type both sides of a comparison are converted to. */
export function comparisonType(a: HiveType, b: HiveType): HiveType {
  if (isVoid(a)) return b;
  if (isVoid(b)) return a;
  if (typesEqual(a, b)) return a;
  if (isStringy(a) && isStringy(b)) return T.string;
  if (isNumeric(a) && isNumeric(b)) return commonNumeric(a, b);
  // Hive compares a string with a number as doubles.
  if ((isStringy(a) && isNumeric(b)) || (isNumeric(a) && isStringy(b))) return T.double;
  const dateLike = (t: HiveType) => t.kind === 'primitive' && (t.name === 'date' || t.name === 'timestamp');
  if (dateLike(a) && isStringy(b)) return a;
  if (isStringy(a) && dateLike(b)) return b;
  if (dateLike(a) && dateLike(b)) return T.timestamp;
  if (a.kind === 'primitive' && a.name === 'boolean' && isStringy(b)) return T.boolean;
  if (b.kind === 'primitive' && b.name === 'boolean' && isStringy(a)) return T.boolean;
  return T.string;
}

/** The type of `a + b` (and `-`, `*`, `%`). */
export function arithmeticType(a: HiveType, b: HiveType): HiveType {
  const na = isStringy(a) ? T.double : a;
  const nb = isStringy(b) ? T.double : b;
  return commonNumeric(na, nb);
}

/** Common type of values that flow into one column: CASE branches, UNION inputs, COALESCE arguments. */
export function unionType(a: HiveType, b: HiveType): HiveType {
  if (isVoid(a)) return b;
  if (isVoid(b)) return a;
  if (typesEqual(a, b)) return a;
  if (isNumeric(a) && isNumeric(b)) return commonNumeric(a, b);
  if (isStringy(a) || isStringy(b)) return T.string;
  const dateLike = (t: HiveType) => t.kind === 'primitive' && (t.name === 'date' || t.name === 'timestamp');
  if (dateLike(a) && dateLike(b)) return T.timestamp;
  if (a.kind === 'array' && b.kind === 'array') return { kind: 'array', element: unionType(a.element, b.element) };
  return a;
}

