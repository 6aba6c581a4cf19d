// Hive's math functions as DuckDB SQL. Hive rounds a DOUBLE through BigDecimal.valueOf,
// i.e. its shortest decimal form (round(2.675, 2) = 2.68), where DuckDB rounds the binary
// value (2.67); rendered here through DuckDB's shortest VARCHAR form and a DECIMAL.
import { duckType, isIntegral, isPrimitive, type HiveType } from '../../common/types.js';
import { wrapInt, type Render } from './render.js';

/** round (HALF_UP) or round_even (HALF_EVEN) of a DOUBLE as Hive does it. */
export function hiveRoundDouble(x: string, d: string, f: 'round' | 'round_even'): string {
  const exact = `CAST(${f}(CAST(CAST(${x} AS VARCHAR) AS DECIMAL(38,18)), ${d}) AS DOUBLE)`;
  return `(CASE WHEN isfinite(${x}) AND abs(${x}) < 1e19 THEN ${exact} ELSE ${x} END)`;
}

const rounding = (f: 'round' | 'round_even'): Render => (a, _args, type) => {
  const d = a[1] ?? '0';
  if (isPrimitive(type, 'decimal')) return `CAST(${f}(${a[0]}, ${d}) AS ${duckType(type)})`;
  if (isIntegral(type)) return `CAST(${f}(CAST(${a[0]} AS DECIMAL(38,0)), ${d}) AS ${duckType(type)})`;
  return hiveRoundDouble(a[0]!, d, f);
};

const floorCeil = (f: 'floor' | 'ceil'): Render => (a, _args, type) => `CAST(${f}(${a[0]}) AS ${duckType(type)})`;
/** Math functions Hive answers with NULL outside their domain, where DuckDB fails or gives NaN. */
const positiveOnly = (f: string): Render => (a) => `(CASE WHEN ${a[0]} > 0 THEN ${f}(${a[0]}) END)`;
const allOrNull = (f: string): Render => (a) => `(CASE WHEN ${a.map((x) => `${x} IS NULL`).join(' OR ')} THEN NULL ELSE ${f}(${a.join(', ')}) END)`;
const same = (f: string): Render => (a) => `${f}(${a.join(', ')})`;

export const MATH_RENDERERS: Record<string, Render> = {
  round: rounding('round'),
  bround: rounding('round_even'),
  floor: floorCeil('floor'), ceil: floorCeil('ceil'), ceiling: floorCeil('ceil'),
  // Java's Math.abs of the smallest int or long is itself
  abs: (a, _args, type) => (isIntegral(type) ? wrapInt(`abs(CAST(${a[0]} AS HUGEINT))`, type.kind === 'primitive' && type.name === 'bigint' ? 64 : 32, duckType(type)) : `abs(${a[0]})`),
  positive: (a) => a[0]!,
  pow: same('pow'), power: same('pow'),
  sqrt: (a) => `(CASE WHEN ${a[0]} >= 0 THEN sqrt(${a[0]}) END)`,
  exp: same('exp'), cbrt: same('cbrt'),
  sin: same('sin'), cos: same('cos'), tan: same('tan'), atan: same('atan'), degrees: same('degrees'), radians: same('radians'),
  asin: (a) => `(CASE WHEN abs(${a[0]}) <= 1 THEN asin(${a[0]}) ELSE 'NaN'::DOUBLE END)`,
  acos: (a) => `(CASE WHEN abs(${a[0]}) <= 1 THEN acos(${a[0]}) ELSE 'NaN'::DOUBLE END)`,
  ln: positiveOnly('ln'), log10: positiveOnly('log10'), log2: positiveOnly('log2'),
  log: (a) => (a.length === 1 ? positiveOnly('ln')(a, [], { kind: 'primitive', name: 'double' }) : `(CASE WHEN ${a[0]} > 1 AND ${a[1]} > 0 THEN ln(${a[1]}) / ln(${a[0]}) END)`),
  pmod: (a) => `(CASE WHEN ${a[1]} <> 0 THEN ((${a[0]} % ${a[1]}) + ${a[1]}) % ${a[1]} END)`,
  sign: (a, _args, type) => `CAST(sign(${a[0]}) AS ${duckType(type)})`,
  signum: (a, _args, type) => `CAST(sign(${a[0]}) AS ${duckType(type)})`,
  // Hive 2+: NULL when any argument is NULL (DuckDB skips NULLs)
  greatest: allOrNull('greatest'), least: allOrNull('least'),
  // rand(seed) is Java's Random(seed) per call site (the binder adds the site as a second argument)
  rand: (a) => (a.length === 2 ? `hive_rand(${a[0]}, ${a[1]})` : 'random()'),
  pi: () => 'pi()', e: () => 'exp(1)',
  // Hive: 0 to 20, else NULL
  factorial: (a) => `(CASE WHEN ${a[0]} BETWEEN 0 AND 20 THEN CAST(factorial(${a[0]}) AS BIGINT) END)`,
  conv: (a) => `hive_conv(${a[0]}, ${a[1]}, ${a[2]})`,
  hex: (a) => `hex(${a[0]})`,
  unhex: (a) => `(CASE WHEN regexp_matches(${a[0]}, '^[0-9a-fA-F]*$') THEN unhex(CASE WHEN length(${a[0]}) % 2 = 1 THEN '0' || ${a[0]} ELSE ${a[0]} END) END)`,
  bin: (a) => `bin(${a[0]})`,
};

export const numericType = (t: HiveType) => duckType(t);
