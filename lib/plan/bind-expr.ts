// Binds syntax-tree expressions to typed plan expressions: names resolved against the
// columns in scope, Hive's implicit conversions made explicit as casts.
import { sqlError, type SourcePos } from '../common/errors.js';
import { T, decimal, isNumeric, isPrimitive, isStringy, isVoid, typeToString, typesEqual, type HiveType } from '../common/types.js';
import type * as A from '../sql/ast.js';
import { arithmeticType, asDecimalType, comparisonType, decimalArithmeticType, unionType } from './coercion.js';
import { AGGREGATES, SCALARS, isAggregateName, unknownFunction } from './functions.js';
import type { AggCall, BExpr, ColumnInfo } from './nodes.js';
import type { UdfDef } from '../udf/model.js';
import { udfArguments, userFunction } from './user-functions.js';

export interface Scope {
  readonly columns: readonly ColumnInfo[];
  /** the enclosing query's columns, which a correlated subquery's WHERE may refer to */
  readonly outer?: Scope;
}

/** Binds subqueries met in an expression to placeholders (see bind-subquery.ts); absent where subqueries are not allowed. */
export interface SubqueryHook {
  bind(e: A.InExpr | A.ExistsExpr | A.SubqueryExpr, env: ExprEnv): BExpr;
}

/** Where aggregate calls go while binding a select list or HAVING; absent where aggregates are not allowed. */
export interface AggCollector {
  readonly aggs: AggCall[];
  readonly newId: () => string;
  /** the scope aggregate arguments are bound in (the rows before grouping) */
  readonly inputScope: Scope;
}

/** Where window calls go while binding a select list or ORDER BY; absent where windows are not allowed. */
export interface WindowCollector {
  /** binds `f(…) OVER (…)` and returns a reference to its column */
  bind(e: A.CallExpr, env: ExprEnv): BExpr;
}

export interface ExprEnv {
  readonly scope: Scope;
  readonly agg?: AggCollector;
  readonly win?: WindowCollector;
  /** what the expression is, for "not allowed here" messages */
  readonly clause: string;
  readonly subqueries?: SubqueryHook;
}

export const lit = (value: string | boolean | null, type: HiveType): BExpr => ({ kind: 'lit', value, type });
export const call = (fn: string, args: readonly BExpr[], type: HiveType): BExpr => ({ kind: 'call', fn, args, type });

export function castTo(e: BExpr, type: HiveType): BExpr {
  if (typesEqual(e.type, type)) return e;
  if (e.kind === 'lit' && e.value === null) return { kind: 'lit', value: null, type };
  return { kind: 'cast', expr: e, type };
}

/** Resolves `a`, `t.a`, `db.t.a` (and `s.field` on struct columns) in a scope, then in the enclosing query's. */
export function resolveColumn(scope: Scope, parts: readonly string[], pos: SourcePos): BExpr {
  const lower = parts.map((p) => p.toLowerCase());
  // A name the subquery does not have may be the enclosing query's (a correlated reference).
  const found = lookupColumn(scope, lower, pos) ?? (scope.outer && lookupColumn(scope.outer, lower, pos));
  if (found) return found;
  const shown = parts.join('.');
  const qualifiers = [...new Set(scope.columns.map((c) => c.qualifier).filter((q) => q))];
  if (lower.length >= 2 && !qualifiers.includes(lower[0]!))
    throw sqlError(`unknown table or alias '${parts[0]}' in '${shown}'${qualifiers.length ? `; tables in scope: ${qualifiers.join(', ')}` : ''}`, pos);
  const names = scope.columns.map((c) => (c.qualifier ? `${c.qualifier}.${c.name}` : c.name));
  throw sqlError(`unknown column '${shown}'${names.length ? `; columns in scope: ${names.slice(0, 20).join(', ')}${names.length > 20 ? ', …' : ''}` : ''}`, pos);
}

/** The column a lower-cased name denotes in one scope; undefined when there is none, an error when there are several. */
function lookupColumn(scope: Scope, lower: readonly string[], pos: SourcePos): BExpr | undefined {
  const byName = (name: string, qualifier?: string) =>
    scope.columns.filter((c) => c.name.toLowerCase() === name && (qualifier === undefined || c.qualifier?.toLowerCase() === qualifier));
  const pick = (found: readonly ColumnInfo[], shown: string): ColumnInfo | undefined => {
    if (found.length > 1) throw sqlError(`column reference '${shown}' is ambiguous: it could be ${found.map((c) => `${c.qualifier}.${c.name}`).join(' or ')}`, pos);
    return found[0];
  };
  // qualifier.column first (the common case), then column.field…, then db.table.column
  if (lower.length >= 2) {
    const q = pick(byName(lower[1]!, lower[0]!), `${lower[0]}.${lower[1]}`);
    if (q) return fieldAccess({ kind: 'ref', id: q.id, type: q.type }, lower.slice(2), pos);
  }
  const c = pick(byName(lower[0]!), lower[0]!);
  if (c) return fieldAccess({ kind: 'ref', id: c.id, type: c.type }, lower.slice(1), pos);
  if (lower.length >= 3) {
    const q = pick(byName(lower[2]!, lower[1]!), lower.slice(0, 3).join('.'));
    if (q) return fieldAccess({ kind: 'ref', id: q.id, type: q.type }, lower.slice(3), pos);
  }
  return undefined;
}

function fieldAccess(base: BExpr, fields: readonly string[], pos: SourcePos): BExpr {
  let e = base;
  for (const f of fields) {
    if (e.type.kind !== 'struct') throw sqlError(`'${f}' is not a field: the expression before it is ${typeToString(e.type)}, not a struct`, pos);
    const field = e.type.fields.find((x) => x.name.toLowerCase() === f);
    if (!field) throw sqlError(`struct has no field '${f}'; fields: ${e.type.fields.map((x) => x.name).join(', ')}`, pos);
    e = call('struct_field', [e, lit(field.name, T.string)], field.type);
  }
  return e;
}

const isBool = (t: HiveType) => t.kind === 'primitive' && (t.name === 'boolean' || t.name === 'void');

export function requireBoolean(e: BExpr, what: string, pos: SourcePos): BExpr {
  if (isBool(e.type)) return castTo(e, T.boolean);
  if (isStringy(e.type) || isNumeric(e.type)) return castTo(e, T.boolean);
  throw sqlError(`${what} must be boolean, but it is ${typeToString(e.type)}`, pos);
}

function numberLiteral(text: string, pos: SourcePos): BExpr {
  const m = /^(.*?)(l|s|y|bd)?$/i.exec(text)!;
  const body = m[1]!;
  const suffix = m[2]?.toLowerCase();
  if (suffix === 'l') return lit(body, T.bigint);
  if (suffix === 's') return lit(body, T.smallint);
  if (suffix === 'y') return lit(body, T.tinyint);
  if (suffix === 'bd') {
    const [i = '', f = ''] = body.replace(/^[-+]/, '').split('.');
    const digits = i.replace(/^0+/, '').length + f.length;
    return lit(body, decimal(Math.max(1, Math.min(38, digits)), f.length));
  }
  if (/^\d+$/.test(body)) {
    const n = BigInt(body);
    if (n <= 2147483647n) return lit(body, T.int);
    if (n <= 9223372036854775807n) return lit(body, T.bigint);
    return lit(body, decimal(38, 0));
  }
  if (!Number.isFinite(Number(body))) throw sqlError(`malformed number '${text}'`, pos);
  // Hive reads a literal with a point or an exponent as DOUBLE (decimals need the BD suffix).
  return lit(body, T.double);
}

export function bindExpr(e: A.Expr, env: ExprEnv): BExpr {
  switch (e.kind) {
    case 'literal':
      switch (e.type) {
        case 'null': return lit(null, T.void);
        case 'boolean': return lit(e.value as boolean, T.boolean);
        case 'string': return lit(e.value as string, T.string);
        case 'number': return numberLiteral(e.value as string, e.pos);
        case 'date': return castTo(lit(e.value as string, T.string), T.date);
        case 'timestamp': return castTo(lit(e.value as string, T.string), T.timestamp);
      }
      break;
    case 'column': return resolveColumn(env.scope, e.parts, e.pos);
    case 'star': throw sqlError(`'*' is only allowed in a select list or in count(*)`, e.pos);
    case 'unary': {
      const x = bindExpr(e.operand, env);
      if (e.op === 'not') return call('not', [requireBoolean(x, 'the operand of NOT', e.pos)], T.boolean);
      if (e.op === '+') return x;
      const t = isNumeric(x.type) ? x.type : T.double;
      if (e.op === '-') {
        if (x.kind === 'lit' && typeof x.value === 'string' && isNumeric(x.type)) return lit(x.value.startsWith('-') ? x.value.slice(1) : `-${x.value}`, x.type);
        return call('negate', [castTo(x, t)], t);
      }
      return call('~', [castTo(x, isNumeric(x.type) ? x.type : T.bigint)], isNumeric(x.type) ? x.type : T.bigint);
    }
    case 'binary': return bindBinary(e, env);
    case 'call': return bindCall(e, env);
    case 'case': {
      const operand = e.operand && bindExpr(e.operand, env);
      const whens = e.whens.map((w) => {
        const when = bindExpr(w.when, env);
        return { when, then: bindExpr(w.then, env) };
      });
      const els = e.else && bindExpr(e.else, env);
      let type: HiveType = T.void;
      for (const w of whens) type = unionType(type, w.then.type);
      if (els) type = unionType(type, els.type);
      const conds = whens.map((w, i) => {
        if (!operand) return requireBoolean(w.when, 'a WHEN condition', e.whens[i]!.when.pos);
        const ct = comparisonType(operand.type, w.when.type);
        return call('=', [castTo(operand, ct), castTo(w.when, ct)], T.boolean);
      });
      return {
        kind: 'case',
        whens: whens.map((w, i) => ({ when: conds[i]!, then: castTo(w.then, type) })),
        else: els ? castTo(els, type) : undefined,
        type: isVoid(type) ? T.string : type,
      };
    }
    case 'cast': return { kind: 'cast', expr: bindExpr(e.expr, env), type: e.type };
    case 'in': {
      if (e.query) {
        if (!env.subqueries) throw sqlError(`IN (subquery) is not supported in ${env.clause}; subqueries are allowed in WHERE and HAVING`, e.pos);
        return env.subqueries.bind(e, env);
      }
      const x = bindExpr(e.expr, env);
      const list = (e.list ?? []).map((i) => bindExpr(i, env));
      const t = list.reduce((acc, i) => comparisonType(acc, i.type), x.type);
      return { kind: 'in', expr: castTo(x, t), list: list.map((i) => castTo(i, t)), not: e.not, type: T.boolean };
    }
    case 'between': {
      const x = bindExpr(e.expr, env);
      const lo = bindExpr(e.low, env);
      const hi = bindExpr(e.high, env);
      const t = comparisonType(comparisonType(x.type, lo.type), hi.type);
      const r = call('between', [castTo(x, t), castTo(lo, t), castTo(hi, t)], T.boolean);
      return e.not ? call('not', [r], T.boolean) : r;
    }
    case 'like': {
      const x = castTo(bindExpr(e.expr, env), T.string);
      const p = castTo(bindExpr(e.pattern, env), T.string);
      const r = call(e.op === 'like' ? 'like' : 'rlike', [x, p], T.boolean);
      return e.not ? call('not', [r], T.boolean) : r;
    }
    case 'isNull': return call(e.not ? 'isnotnull' : 'isnull', [bindExpr(e.expr, env)], T.boolean);
    case 'exists': case 'subquery':
      if (!env.subqueries) throw sqlError(`subqueries are not supported in ${env.clause}; they are allowed in WHERE and HAVING`, e.pos);
      return env.subqueries.bind(e, env);
    case 'index': {
      const base = bindExpr(e.expr, env);
      const idx = bindExpr(e.index, env);
      if (base.type.kind === 'array') return call('array_index', [base, castTo(idx, T.int)], base.type.element);
      if (base.type.kind === 'map') return call('map_index', [base, castTo(idx, base.type.key)], base.type.value);
      throw sqlError(`'[…]' needs an array or a map, but the expression is ${typeToString(base.type)}`, e.pos);
    }
    case 'field': return fieldAccess(bindExpr(e.expr, env), [e.field.toLowerCase()], e.pos);
    case 'interval': throw sqlError(`INTERVAL is only supported in date arithmetic, which is not supported yet`, e.pos);
  }
  throw sqlError(`unsupported expression`, (e as A.Expr).pos);
}

const COMPARISONS = new Set(['=', '==', '<>', '!=', '<', '<=', '>', '>=', '<=>']);

function bindBinary(e: A.BinaryExpr, env: ExprEnv): BExpr {
  if ((e.op === '+' || e.op === '-') && (e.left.kind === 'interval' || e.right.kind === 'interval')) return bindInterval(e, env);
  const l = bindExpr(e.left, env);
  const r = bindExpr(e.right, env);
  if (e.op === 'and' || e.op === 'or')
    return call(e.op, [requireBoolean(l, `the left side of ${e.op.toUpperCase()}`, e.left.pos), requireBoolean(r, `the right side of ${e.op.toUpperCase()}`, e.right.pos)], T.boolean);
  if (COMPARISONS.has(e.op)) {
    const t = comparisonType(l.type, r.type);
    checkComparable(t, e);
    const op = e.op === '==' ? '=' : e.op === '!=' ? '<>' : e.op;
    return call(op, [castTo(l, t), castTo(r, t)], T.boolean);
  }
  if (e.op === '||') return call('concat', [castTo(l, T.string), castTo(r, T.string)], T.string);
  for (const [side, x] of [['left', l], ['right', r]] as const) {
    if (!isNumeric(x.type) && !isStringy(x.type) && !isVoid(x.type))
      throw sqlError(`'${e.op}' needs numbers, but its ${side} side is ${typeToString(x.type)}`, side === 'left' ? e.left.pos : e.right.pos);
  }
  if (e.op === 'div') return call('div', [castTo(l, T.bigint), castTo(r, T.bigint)], T.bigint);
  const common = arithmeticType(l.type, r.type);
  if (isDecimalType(common) && ['+', '-', '*', '/', '%'].includes(e.op)) {
    // decimals keep their own types as operands; the result type follows Hive's precision rules
    const lt = asDecimalType(l.type), rt = asDecimalType(r.type);
    return call(e.op, [castTo(l, lt), castTo(r, rt)], decimalArithmeticType(e.op, lt, rt));
  }
  // Hive's `/` is DOUBLE unless an operand is DECIMAL
  const t = e.op === '/' ? T.double : common;
  return call(e.op, [castTo(l, t), castTo(r, t)], t);
}

const isDecimalType = (t: HiveType) => t.kind === 'primitive' && t.name === 'decimal';

/** `x ± INTERVAL n unit`: a DATE moved by years or months stays a DATE, anything else becomes a TIMESTAMP (as Hive's date-time arithmetic). */
function bindInterval(e: A.BinaryExpr, env: ExprEnv): BExpr {
  const [base, iv] = e.left.kind === 'interval' ? [e.right, e.left] : [e.left, e.right];
  if (iv.kind !== 'interval' || base.kind === 'interval' || (e.op === '-' && e.left.kind === 'interval'))
    throw sqlError(`an INTERVAL can only be added to or subtracted from a date or timestamp`, e.pos);
  const x = bindExpr(base, env);
  if (!(isStringy(x.type) || isPrimitive(x.type, 'date', 'timestamp', 'void')))
    throw sqlError(`INTERVAL arithmetic needs a date or timestamp, but the operand is ${typeToString(x.type)}`, base.pos);
  const amount = castTo(bindExpr(iv.value, env), iv.unit === 'second' ? T.double : T.int);
  const signed = e.op === '-' ? call('negate', [amount], amount.type) : amount;
  const type = isPrimitive(x.type, 'date') && (iv.unit === 'year' || iv.unit === 'month') ? T.date : T.timestamp;
  return call('interval_add', [x, signed, lit(iv.unit, T.string)], type);
}

function checkComparable(t: HiveType, e: A.BinaryExpr): void {
  if (t.kind !== 'primitive' && !['=', '==', '<>', '!=', '<=>'].includes(e.op))
    throw sqlError(`cannot order values of type ${typeToString(t)} with '${e.op}'`, e.pos);
}

function bindCall(e: A.CallExpr, env: ExprEnv): BExpr {
  const name = e.name.toLowerCase();
  if (e.over) {
    if (!env.win) throw sqlError(`window function ${name}() is not allowed in ${env.clause}`, e.pos);
    return env.win.bind(e, env);
  }
  if (isAggregateName(name)) return bindAggregate(e, name, env);
  const sig = SCALARS[name];
  if (!sig) {
    const udf = userFunction(name);
    if (udf) return bindUserCall(e, udf, env);
    unknownFunction(name, e.pos);
  }
  if (e.star) throw sqlError(`'*' is only allowed in count(*)`, e.pos);
  if (e.distinct) throw sqlError(`DISTINCT is only allowed in aggregate functions, not in ${name}()`, e.pos);
  if (e.args.length < sig.minArgs || e.args.length > sig.maxArgs) {
    const want = sig.minArgs === sig.maxArgs ? `${sig.minArgs}` : sig.maxArgs === Infinity ? `at least ${sig.minArgs}` : `${sig.minArgs} to ${sig.maxArgs}`;
    throw sqlError(`${name}() takes ${want} argument${want === '1' ? '' : 's'}, but ${e.args.length} were given`, e.pos);
  }
  const args = e.args.map((a) => bindExpr(a, env));
  const types = args.map((a) => a.type);
  const want = sig.argTypes?.(types);
  sig.check?.(args, e.pos, name);
  const conv = args.map((a, i) => (want?.[i] ? castTo(a, want[i]!) : a));
  // each rand(seed) in the text draws its own sequence, as each UDFRand instance does in Hive
  if (name === 'rand' && conv.length === 1) conv.push(lit(`${e.pos.line}:${e.pos.col}`, T.string));
  return call(name, conv, sig.returns(types, args));
}

/** A user scalar or aggregate function; table functions are bound by bind-generate. */
function bindUserCall(e: A.CallExpr, udf: UdfDef, env: ExprEnv): BExpr {
  if (udf.kind === 'table')
    throw sqlError(`${udf.name}() is a table function; call it in LATERAL VIEW or alone in the select list`, e.pos);
  if (e.star) throw sqlError(`'*' is only allowed in count(*)`, e.pos);
  if (udf.kind === 'scalar') {
    if (e.distinct) throw sqlError(`DISTINCT is only allowed in aggregate functions, not in ${udf.name}()`, e.pos);
    return { kind: 'call', fn: udf.name, args: udfArguments(udf, e.args.map((a) => bindExpr(a, env)), e.pos), type: udf.returns, udf: true };
  }
  if (!env.agg) throw sqlError(`aggregate function ${udf.name}() is not allowed in ${env.clause}`, e.pos);
  const inner: ExprEnv = { scope: env.agg.inputScope, clause: `the arguments of ${udf.name}()` };
  return collectAggregate(env.agg, udf.name, udfArguments(udf, e.args.map((a) => bindExpr(a, inner)), e.pos), e.distinct, udf.returns, true);
}

/** An aggregate call as a column of the aggregate; the same call twice is computed once. */
function collectAggregate(agg: AggCollector, fn: string, args: readonly BExpr[], distinct: boolean, type: HiveType, udf: boolean): BExpr {
  const key = JSON.stringify([fn, distinct, args]);
  const existing = agg.aggs.find((a) => JSON.stringify([a.fn, a.distinct, a.args]) === key);
  if (existing) return { kind: 'ref', id: existing.col.id, type: existing.col.type };
  const col: ColumnInfo = { id: agg.newId(), name: fn, type };
  agg.aggs.push({ col, fn, args, distinct, ...(udf && { udf: true as const }) });
  return { kind: 'ref', id: col.id, type };
}

function bindAggregate(e: A.CallExpr, name: string, env: ExprEnv): BExpr {
  if (!env.agg) throw sqlError(`aggregate function ${name}() is not allowed in ${env.clause}`, e.pos);
  const sig = AGGREGATES[name]!;
  const inner: ExprEnv = { scope: env.agg.inputScope, clause: `the arguments of ${name}()` };
  if (e.star && name !== 'count') throw sqlError(`'*' is only allowed in count(*)`, e.pos);
  const args = e.star ? [] : e.args.map((a, i) => (sig.constantFrom !== undefined && i >= sig.constantFrom ? bindConstantArg(a, name, i, inner) : bindExpr(a, inner)));
  if (!e.star && (args.length < sig.minArgs || args.length > sig.maxArgs))
    throw sqlError(`${name}() takes ${sig.minArgs === sig.maxArgs ? sig.minArgs : sig.maxArgs === Infinity ? `${sig.minArgs} or more` : `${sig.minArgs} to ${sig.maxArgs}`} argument(s), but ${args.length} were given`, e.pos);
  const types = args.map((a) => a.type);
  const problem = sig.reject?.(types);
  if (problem) throw sqlError(problem, e.pos);
  const want = sig.argTypes?.(types);
  const convArgs = args.map((a, i) => (want?.[i] ? castArg(a, want[i]!) : a));
  return collectAggregate(env.agg, name, convArgs, e.distinct, sig.returns(types), false);
}

/** An aggregate's constant argument (percentile's p): a number, or `array(…)` of numbers. */
function bindConstantArg(a: A.Expr, fn: string, index: number, env: ExprEnv): BExpr {
  if (index === 1 && a.kind === 'call' && a.name.toLowerCase() === 'array' && !a.over) {
    const items = a.args.map((x) => bindConstantArg(x, fn, index, env));
    return call('array', items.map((x) => castTo(x, T.double)), { kind: 'array', element: T.double });
  }
  const v = bindExpr(a, env);
  const inner = v.kind === 'cast' ? v.expr : v;
  if (inner.kind !== 'lit' || typeof inner.value !== 'string' || !isNumeric(inner.type))
    throw sqlError(`${fn}() needs a constant number${index === 1 ? ' or an array of constant numbers' : ''} as argument ${index + 1}`, a.pos);
  const n = Number(inner.value);
  // Hive rejects a percentile outside [0, 1] when the query starts, not per row.
  if (index === 1 && !(n >= 0 && n <= 1)) throw sqlError(`${fn}() needs percentiles between 0 and 1, but got ${inner.value}`, a.pos);
  return v;
}

/** Converts an aggregate's argument; constant arrays convert element by element. */
export function castArg(a: BExpr, t: HiveType): BExpr {
  if (a.kind === 'call' && a.fn === 'array' && t.kind === 'array') return { ...a, args: a.args.map((x) => castTo(x, t.element)), type: t };
  return castTo(a, t);
}

const isAggregateCall = (name: string) => isAggregateName(name) || (!Object.hasOwn(SCALARS, name) && userFunction(name)?.kind === 'aggregate');

/** True when the syntax tree calls an aggregate function outside any window. */
export function containsAggregate(e: A.Expr | undefined): boolean {
  if (!e) return false;
  switch (e.kind) {
    case 'call':
      return (isAggregateCall(e.name.toLowerCase()) && !e.over) || e.args.some(containsAggregate)
        || !!e.over && (e.over.partitionBy.some(containsAggregate) || e.over.orderBy.some((o) => containsAggregate(o.expr)));
    case 'unary': return containsAggregate(e.operand);
    case 'binary': return containsAggregate(e.left) || containsAggregate(e.right);
    case 'case': return containsAggregate(e.operand) || containsAggregate(e.else) || e.whens.some((w) => containsAggregate(w.when) || containsAggregate(w.then));
    case 'cast': return containsAggregate(e.expr);
    case 'in': return containsAggregate(e.expr) || (e.list ?? []).some(containsAggregate);
    case 'between': return containsAggregate(e.expr) || containsAggregate(e.low) || containsAggregate(e.high);
    case 'like': return containsAggregate(e.expr) || containsAggregate(e.pattern);
    case 'isNull': return containsAggregate(e.expr);
    case 'index': return containsAggregate(e.expr) || containsAggregate(e.index);
    case 'field': return containsAggregate(e.expr);
    default: return false;
  }
}

