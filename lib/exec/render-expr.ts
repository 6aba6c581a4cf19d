// Bound expressions as DuckDB SQL with Hive's semantics spelled out where the two
// engines differ (division by zero, casts that fail, truncation, NULL-propagating
// concat, 0-based array indexes).
import { duckType, isIntegral, isNumeric, isStringy, type HiveType } from '../common/types.js';
import { taskError } from '../common/errors.js';
import type { AggCall, BExpr } from '../plan/nodes.js';

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
  }
  if (isType(to, 'date') && isStringy(from)) return `coalesce(TRY_CAST(${inner} AS DATE), TRY_CAST(TRY_CAST(${inner} AS TIMESTAMP) AS DATE))`;
  if (isType(to, 'boolean') && isStringy(from)) return `(CASE WHEN ${inner} IS NULL THEN NULL WHEN ${inner} = '' THEN FALSE ELSE coalesce(TRY_CAST(${inner} AS BOOLEAN), TRUE) END)`;
  if (isStringy(to) && isType(from, 'boolean')) return `CAST(${inner} AS VARCHAR)`;
  if (isType(from, 'void')) return `CAST(${inner} AS ${target})`;
  return `TRY_CAST(${inner} AS ${target})`;
}

const INFIX: Record<string, string> = {
  '+': '+', '-': '-', '*': '*', '%': '%', '=': '=', '<>': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=',
  and: 'AND', or: 'OR', '&': '&', '|': '|',
};

const SAME_NAME = new Set(['upper', 'lower', 'trim', 'ltrim', 'rtrim', 'length', 'abs', 'coalesce', 'nullif']);

function asTimestamp(e: BExpr, r: string): string {
  return isStringy(e.type) ? `TRY_CAST(${r} AS TIMESTAMP)` : r;
}
function asDate(e: BExpr, r: string): string {
  return isStringy(e.type) ? renderCast(r, e.type, { kind: 'primitive', name: 'date' }) : isType(e.type, 'timestamp') ? `CAST(${r} AS DATE)` : r;
}

export function renderExpr(e: BExpr): string {
  switch (e.kind) {
    case 'ref': return quoteIdent(e.id);
    case 'lit': return renderLiteral(e.value, e.type);
    case 'cast': return renderCast(renderExpr(e.expr), e.expr.type, e.type);
    case 'case':
      return `(CASE ${e.whens.map((w) => `WHEN ${renderExpr(w.when)} THEN ${renderExpr(w.then)}`).join(' ')}${e.else ? ` ELSE ${renderExpr(e.else)}` : ''} END)`;
    case 'in': return `(${renderExpr(e.expr)} ${e.not ? 'NOT IN' : 'IN'} (${e.list.map(renderExpr).join(', ')}))`;
    case 'call': return renderCall(e.fn, e.args);
  }
}

function renderCall(fn: string, args: readonly BExpr[]): string {
  const a = args.map(renderExpr);
  const infix = INFIX[fn];
  if (infix) return `(${a[0]} ${infix} ${a[1]})`;
  if (SAME_NAME.has(fn)) return `${fn}(${a.join(', ')})`;
  switch (fn) {
    case '/': return `(${a[0]} / NULLIF(${a[1]}, 0))`;
    case 'div': return `(${a[0]} // NULLIF(${a[1]}, 0))`;
    case '^': return `xor(${a[0]}, ${a[1]})`;
    case '<=>': return `(${a[0]} IS NOT DISTINCT FROM ${a[1]})`;
    case 'not': return `(NOT ${a[0]})`;
    case 'negate': return `(-${a[0]})`;
    case '~': return `(~${a[0]})`;
    case 'isnull': return `(${a[0]} IS NULL)`;
    case 'isnotnull': return `(${a[0]} IS NOT NULL)`;
    case 'between': return `(${a[0]} BETWEEN ${a[1]} AND ${a[2]})`;
    case 'like': return `(${a[0]} LIKE ${a[1]} ESCAPE '\\')`;
    case 'rlike': return `regexp_matches(${a[0]}, ${a[1]})`;
    // Hive's concat is NULL when any argument is; DuckDB's concat() skips NULLs but `||` does not.
    case 'concat': return `(${a.join(' || ')})`;
    case 'concat_ws': return `concat_ws(${a.join(', ')})`;
    case 'ucase': return `upper(${a[0]})`;
    case 'lcase': return `lower(${a[0]})`;
    case 'substr': case 'substring': {
      const start = `(CASE WHEN ${a[1]} = 0 THEN 1 ELSE ${a[1]} END)`;
      return a.length > 2 ? `substring(${a[0]}, ${start}, greatest(${a[2]}, 0))` : `substring(${a[0]}, ${start})`;
    }
    case 'nvl': return `coalesce(${a.join(', ')})`;
    case 'if': return `(CASE WHEN ${a[0]} THEN ${a[1]} ELSE ${a[2]} END)`;
    case 'round': return `round(${a[0]}${a.length > 1 ? `, ${a[1]}` : ''})`;
    case 'floor': return `CAST(floor(${a[0]}) AS BIGINT)`;
    case 'ceil': case 'ceiling': return `CAST(ceil(${a[0]}) AS BIGINT)`;
    case 'year': case 'month': case 'day': return `${fn}(${asTimestamp(args[0]!, a[0]!)})`;
    case 'dayofmonth': return `day(${asTimestamp(args[0]!, a[0]!)})`;
    case 'to_date': return asDate(args[0]!, a[0]!);
    case 'date_add': return `(${asDate(args[0]!, a[0]!)} + ${a[1]})`;
    case 'date_sub': return `(${asDate(args[0]!, a[0]!)} - ${a[1]})`;
    case 'datediff': return `CAST(${asDate(args[0]!, a[0]!)} - ${asDate(args[1]!, a[1]!)} AS INTEGER)`;
    case 'struct_field': return `struct_extract(${a[0]}, ${a[1]})`;
    // Hive arrays are 0-based; an index out of range is NULL in both.
    case 'array_index': return `${a[0]}[${a[1]} + 1]`;
    case 'map_index': return `${a[0]}[${a[1]}]`;
  }
  throw taskError(`no DuckDB rendering for function '${fn}'`, false);
}

export function renderAgg(a: AggCall): string {
  const args = a.args.map(renderExpr);
  const t = duckType(a.col.type);
  switch (a.fn) {
    case 'count':
      if (args.length === 0) return 'count(*)';
      if (args.length === 1) return `count(${a.distinct ? 'DISTINCT ' : ''}${args[0]})`;
      // Hive counts rows (or distinct tuples) where no argument is NULL.
      return `count(${a.distinct ? 'DISTINCT ' : ''}CASE WHEN ${args.map((x) => `${x} IS NOT NULL`).join(' AND ')} THEN row(${args.join(', ')}) END)`;
    case 'sum': case 'avg':
      return `CAST(${a.fn}(${a.distinct ? 'DISTINCT ' : ''}${args[0]}) AS ${t})`;
    case 'min': case 'max':
      return `${a.fn}(${args[0]})`;
  }
  throw taskError(`no DuckDB rendering for aggregate '${a.fn}'`, false);
}
