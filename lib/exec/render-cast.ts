// Literals and CASTs as DuckDB SQL with Hive's semantics: a value that does not convert is
// NULL, doubles truncate toward zero into integers, strings read as Hive reads them.
import { duckType, isIntegral, isNumeric, isStringy, type HiveType } from '../common/types.js';

export const quoteIdent = (id: string) => `"${id.replace(/"/g, '""')}"`;
export const quoteString = (s: string) => `'${s.replace(/'/g, "''")}'`;

const isType = (t: HiveType, ...names: string[]) => t.kind === 'primitive' && names.includes(t.name);

export function renderLiteral(value: string | boolean | null, type: HiveType): string {
  if (value === null) return `CAST(NULL AS ${duckType(type)})`;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (isNumeric(type)) return `CAST(${quoteString(value)} AS ${duckType(type)})`;
  if (isStringy(type)) return quoteString(value);
  return `CAST(${quoteString(value)} AS ${duckType(type)})`;
}

export function renderCast(inner: string, from: HiveType, to: HiveType): string {
  const target = duckType(to);
  if (isIntegral(to)) {
    // Hive truncates toward zero where DuckDB rounds, and reads '12.7' as 12.
    if (isType(from, 'float', 'double', 'decimal')) return `TRY_CAST(trunc(${inner}) AS ${target})`;
    if (isStringy(from)) return `TRY_CAST(regexp_extract(trim(${inner}), '^([+-]?[0-9]+)(\\.[0-9]*)?$', 1) AS ${target})`;
    // a narrowing integer cast keeps the low bits, as Java's (int) does
    if (isIntegral(from) && to.kind === 'primitive' && from.kind === 'primitive' && WIDTH[from.name]! > WIDTH[to.name]!) return wrapInt(inner, WIDTH[to.name]!, target);
    // Hive 3 reads a timestamp as seconds since the epoch (UTC)
    if (isType(from, 'timestamp')) return `CAST(floor(epoch(${inner})) AS ${target})`;
  }
  if (isType(to, 'float', 'double') && isType(from, 'timestamp')) return `CAST(epoch(${inner}) AS ${target})`;
  if (isType(to, 'timestamp') && isNumeric(from)) return `timezone('UTC', to_timestamp(${inner}))`;
  if (isType(to, 'date') && isStringy(from)) return `coalesce(TRY_CAST(${inner} AS DATE), TRY_CAST(TRY_CAST(${inner} AS TIMESTAMP) AS DATE))`;
  if (isType(to, 'boolean') && isStringy(from)) return `(CASE WHEN ${inner} IS NULL THEN NULL WHEN ${inner} = '' THEN FALSE ELSE coalesce(TRY_CAST(${inner} AS BOOLEAN), TRUE) END)`;
  if (isType(to, 'binary') && isStringy(from)) return `encode(${inner})`;
  if (isStringy(to)) {
    const text = isType(from, 'boolean') ? `CAST(${inner} AS VARCHAR)`
      : isType(from, 'binary') ? `try(decode(${inner}))`
      : isType(from, 'double', 'float') ? javaDoubleString(inner, isType(from, 'float') ? 'float' : 'double')
      // a CHAR's padding is not part of its value: as a STRING or VARCHAR it is stripped (HiveChar.getStrippedValue)
      : isType(from, 'char') && !isType(to, 'char') ? `rtrim(${inner}, ' ')`
      : isStringy(from) ? inner : `TRY_CAST(${inner} AS VARCHAR)`;
    // VARCHAR(n) truncates; CHAR(n) truncates and pads with spaces
    if (to.kind === 'primitive' && to.name === 'varchar' && to.length !== undefined) return `substring(${text}, 1, ${to.length})`;
    if (to.kind === 'primitive' && to.name === 'char' && to.length !== undefined) return `rpad(substring(${text}, 1, ${to.length}), ${to.length}, ' ')`;
    return text;
  }
  if (isType(from, 'void')) return `CAST(${inner} AS ${target})`;
  return `TRY_CAST(${inner} AS ${target})`;
}

const WIDTH: Record<string, 8 | 16 | 32 | 64> = { tinyint: 8, smallint: 16, int: 32, bigint: 64 };

/** Wraps an integer held in a wider type to `bits` bits, two's complement, as Java does. */
export function wrapInt(expr: string, bits: 8 | 16 | 32 | 64, target: string): string {
  const off = 1n << BigInt(bits - 1);
  const mask = (1n << BigInt(bits)) - 1n;
  return `CAST(((CAST(${expr} AS HUGEINT) + ${off}) & ${mask}) - ${off} AS ${target})`;
}

/**
 * Java's Double.toString / Float.toString: DuckDB's shortest form between 10^-3 and 10^7,
 * where the two agree, and the computerized scientific form (1.0E10) outside it.
 */
function javaDoubleString(x: string, kind: 'double' | 'float'): string {
  return `(CASE WHEN ${x} = 0 OR (abs(${x}) >= 0.001 AND abs(${x}) < 10000000) THEN CAST(${x} AS VARCHAR) ELSE hive_${kind}_string(${x}) END)`;
}
