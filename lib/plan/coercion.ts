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


/** An integer or decimal type as the decimal that holds it exactly (int → decimal(10,0)). */
export function asDecimalType(t: HiveType): HiveType {
  const d = asDecimal(t);
  return decimal(d.p, d.s);
}

/**
 * The result type of decimal arithmetic, by Hive's rules (HiveDecimalUtils / Hive 3): an
 * exact result where it fits in 38 digits, else integer digits kept and the scale cut,
 * but not below 6.
 */
export function decimalArithmeticType(op: string, a: HiveType, b: HiveType): HiveType {
  const x = asDecimal(a), y = asDecimal(b);
  let p: number, s: number;
  switch (op) {
    case '+': case '-':
      s = Math.max(x.s, y.s);
      p = Math.max(x.p - x.s, y.p - y.s) + s + 1;
      break;
    case '*':
      s = x.s + y.s;
      p = x.p + y.p + 1;
      break;
    case '/':
      s = Math.max(6, x.s + y.p + 1);
      p = x.p - x.s + y.s + s;
      break;
    default: // %
      s = Math.max(x.s, y.s);
      p = Math.min(x.p - x.s, y.p - y.s) + s;
  }
  if (p > 38) {
    const intDigits = p - s;
    s = Math.max(38 - intDigits, Math.min(s, 6));
    p = 38;
  }
  return decimal(p, Math.min(s, p));
}

// Hive's levels for converting a function's argument (TypeInfoUtils.numericTypes): unlike the
// common type of two operands above, DECIMAL ranks above DOUBLE here.
const ARGUMENT_RANK: Record<string, number> = { tinyint: 1, smallint: 2, int: 3, bigint: 4, float: 5, double: 6, decimal: 7 };
const dateGroup = (t: HiveType) => t.kind === 'primitive' && (t.name === 'date' || t.name === 'timestamp');

/**
 * Whether Hive passes a value of type `from` to a function parameter of type `to`
 * (FunctionRegistry.implicitConvertible): numbers widen, strings become DOUBLE or DECIMAL,
 * numbers and dates become strings, NULL becomes anything; complex types must match.
 */
export function implicitlyConvertible(from: HiveType, to: HiveType): boolean {
  if (typesEqual(from, to) || isVoid(from)) return true;
  if (from.kind !== 'primitive' || to.kind !== 'primitive') return false;
  if (from.name === to.name) return true; // decimal(10,2) → decimal(5,0), varchar(3) → varchar(9): same category
  if (isStringy(from) && (to.name === 'double' || to.name === 'decimal' || isStringy(to))) return true;
  if ((dateGroup(from) || isNumeric(from)) && isStringy(to)) return true;
  const f = ARGUMENT_RANK[from.name], t = ARGUMENT_RANK[to.name];
  return f !== undefined && t !== undefined && f <= t;
}
