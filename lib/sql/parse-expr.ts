// Expressions, with Hive's operator precedence. Comparisons are left-associative, as in
// Hive (`a = b = c` is `(a = b) = c`), and IS NULL sits with them rather than binding
// tighter as Hive's grammar has it, which only matters for nonsense like `a + b IS NULL`.
import { sqlError } from '../common/errors.js';
import type {
  BinaryOp, CallExpr, Expr, FrameBound, IntervalExpr, LiteralExpr, OrderItem, Pos, WindowFrame, WindowSpec,
} from './ast.js';
import { parseQuery, startsQuery } from './parse-query.js';
import { parseType } from './parse-type.js';
import { RESERVED } from './token-stream.js';
import type { TokenStream } from './token-stream.js';

export const COMPARISON_OPS: readonly string[] = ['=', '==', '<>', '!=', '<', '<=', '>', '>=', '<=>'];

// Binary operator levels between comparisons and unary operators, lowest first. `^` binds
// tightest, above `*`, exactly as in Hive's grammar (unlike C).
const LEVELS: readonly (readonly string[])[] = [['|'], ['&'], ['||'], ['+', '-'], ['*', '/', '%', 'div'], ['^']];

// Reserved words that are also the names of ordinary functions.
const CALLABLE_KEYWORDS: ReadonlySet<string> = new Set(['like', 'rlike', 'regexp']);

const INTERVAL_UNITS: Readonly<Record<string, IntervalExpr['unit']>> = {
  year: 'year', years: 'year', month: 'month', months: 'month', day: 'day', days: 'day',
  hour: 'hour', hours: 'hour', minute: 'minute', minutes: 'minute', second: 'second', seconds: 'second',
};

// `EXTRACT(field FROM e)` is Hive's sugar for these functions.
const EXTRACT_FUNCTIONS: Readonly<Record<string, string>> = {
  year: 'year', quarter: 'quarter', month: 'month', week: 'weekofyear', day: 'day', dayofweek: 'dayofweek',
  hour: 'hour', minute: 'minute', second: 'second',
};

export function parseExpr(ts: TokenStream): Expr {
  let left = parseAnd(ts);
  while (ts.acceptKw('or')) left = binary('or', left, parseAnd(ts));
  return left;
}

/** An expression without comparisons or boolean operators: partition values, frame offsets, BETWEEN bounds. */
export function parseSimpleExpr(ts: TokenStream): Expr {
  return parseLevel(ts, 0);
}

function binary(op: BinaryOp, left: Expr, right: Expr): Expr {
  return { kind: 'binary', op, left, right, pos: left.pos };
}

function parseAnd(ts: TokenStream): Expr {
  let left = parseNot(ts);
  while (ts.acceptKw('and')) left = binary('and', left, parseNot(ts));
  return left;
}

function parseNot(ts: TokenStream): Expr {
  const t = ts.peek();
  if (ts.isKw('not') || ts.isOp('!')) {
    ts.next();
    if (ts.isKw('exists')) return { ...parseExists(ts), not: true, pos: t.pos };
    return { kind: 'unary', op: 'not', operand: parseNot(ts), pos: t.pos };
  }
  return parseComparison(ts);
}

function parseComparison(ts: TokenStream): Expr {
  let left = parseSimpleExpr(ts);
  for (;;) {
    const t = ts.peek();
    if (t.type === 'op' && COMPARISON_OPS.includes(t.value)) {
      ts.next();
      left = binary(t.value as BinaryOp, left, parseSimpleExpr(ts));
      continue;
    }
    if (ts.acceptKw('is')) {
      const not = !!ts.acceptKw('not');
      ts.expectKw('null');
      left = { kind: 'isNull', expr: left, not, pos: left.pos };
      continue;
    }
    // Nothing else can follow an operand and NOT, so anything else is reported here.
    const not = !!ts.acceptKw('not');
    if (not && !ts.isAnyKw(['like', 'rlike', 'regexp', 'in', 'between'])) ts.fail("'LIKE', 'RLIKE', 'REGEXP', 'IN' or 'BETWEEN'");
    if (ts.isAnyKw(['like', 'rlike', 'regexp'])) {
      const op = ts.next().value as 'like' | 'rlike' | 'regexp';
      left = { kind: 'like', op, expr: left, pattern: parseSimpleExpr(ts), not, pos: left.pos };
    } else if (ts.acceptKw('in')) {
      left = parseInList(ts, left, not);
    } else if (ts.acceptKw('between')) {
      const low = parseSimpleExpr(ts);
      ts.expectKw('and');
      const high = parseSimpleExpr(ts);
      left = { kind: 'between', expr: left, low, high, not, pos: left.pos };
    } else {
      return left;
    }
  }
}

function parseInList(ts: TokenStream, expr: Expr, not: boolean): Expr {
  ts.expectOp('(');
  if (startsQuery(ts)) {
    const query = parseQuery(ts);
    ts.expectOp(')');
    return { kind: 'in', expr, query, not, pos: expr.pos };
  }
  const list = ts.list(() => parseExpr(ts));
  ts.expectOp(')');
  return { kind: 'in', expr, list, not, pos: expr.pos };
}

function parseLevel(ts: TokenStream, level: number): Expr {
  const ops = LEVELS[level];
  if (!ops) return parseUnary(ts);
  let left = parseLevel(ts, level + 1);
  for (;;) {
    const t = ts.peek();
    const op = t.type === 'op' ? t.value : ts.isKw('div') ? 'div' : undefined;
    if (op === undefined || !ops.includes(op)) return left;
    ts.next();
    left = binary(op as BinaryOp, left, parseLevel(ts, level + 1));
  }
}

function parseUnary(ts: TokenStream): Expr {
  const t = ts.peek();
  if (t.type === 'op' && (t.value === '-' || t.value === '+' || t.value === '~')) {
    ts.next();
    return { kind: 'unary', op: t.value, operand: parseUnary(ts), pos: t.pos };
  }
  return parsePostfix(ts);
}

function parsePostfix(ts: TokenStream): Expr {
  let e = parsePrimary(ts);
  for (;;) {
    if (ts.acceptOp('[')) {
      const index = parseExpr(ts);
      ts.expectOp(']');
      e = { kind: 'index', expr: e, index, pos: e.pos };
    } else if (ts.isOp('.') && ts.peek(1).type === 'ident') {
      ts.next();
      e = { kind: 'field', expr: e, field: ts.next().value, pos: e.pos };
    } else {
      return e;
    }
  }
}

function literal(type: LiteralExpr['type'], value: LiteralExpr['value'], pos: Pos): LiteralExpr {
  return { kind: 'literal', type, value, pos };
}

function parsePrimary(ts: TokenStream): Expr {
  const t = ts.peek();
  if (t.type === 'number') {
    ts.next();
    return literal('number', t.value, t.pos);
  }
  if (t.type === 'string') {
    const s = ts.string();
    return literal('string', s.value, s.pos);
  }
  if (t.type === 'op' && t.value === '(') return parseParenthesized(ts);
  if (t.type === 'ident') return parseWord(ts);
  ts.fail('an expression');
}

function parseParenthesized(ts: TokenStream): Expr {
  const open = ts.next();
  if (startsQuery(ts)) {
    const query = parseQuery(ts);
    ts.expectOp(')');
    return { kind: 'subquery', query, pos: open.pos };
  }
  if (ts.isOp('(')) {
    // `((SELECT 1) UNION (SELECT 2))` and `((a + b) * c)` look alike until well inside.
    const query = ts.attempt(() => {
      const q = parseQuery(ts);
      ts.expectOp(')');
      return q;
    });
    if (query) return { kind: 'subquery', query, pos: open.pos };
  }
  const e = parseExpr(ts);
  ts.expectOp(')');
  return e;
}

function parseWord(ts: TokenStream): Expr {
  const t = ts.peek();
  if (!t.quoted) {
    switch (t.value) {
      case 'null':
        ts.next();
        return literal('null', null, t.pos);
      case 'true':
      case 'false':
        ts.next();
        return literal('boolean', t.value === 'true', t.pos);
      case 'case':
        return parseCase(ts);
      case 'cast':
        return parseCast(ts);
      case 'exists':
        return parseExists(ts);
      case 'interval': {
        const n = ts.peek(1);
        if (n.type === 'string' || n.type === 'number' || (n.type === 'op' && ['(', '-', '+'].includes(n.value))) {
          return parseInterval(ts);
        }
        break;
      }
      case 'date':
      case 'timestamp':
        if (ts.peek(1).type === 'string') {
          ts.next();
          return literal(t.value as 'date' | 'timestamp', ts.string().value, t.pos);
        }
        break;
      case 'current_date':
      case 'current_timestamp':
        if (!ts.isOp('(', 1)) {
          ts.next();
          return { kind: 'call', name: t.value, args: [], distinct: false, star: false, pos: t.pos };
        }
        break;
      case 'extract':
        if (ts.isOp('(', 1) && ts.peek(2).type === 'ident' && ts.isKw('from', 3)) return parseExtract(ts);
        break;
    }
    if (RESERVED.has(t.value) && !(CALLABLE_KEYWORDS.has(t.value) && ts.isOp('(', 1))) ts.fail('an expression');
  }
  ts.next();
  const parts = [t.value];
  while (ts.isOp('.') && ts.peek(1).type === 'ident') {
    ts.next();
    parts.push(ts.next().value);
  }
  if (ts.isOp('.') && ts.isOp('*', 1)) {
    ts.next();
    ts.next();
    return { kind: 'star', qualifier: parts, pos: t.pos };
  }
  if (ts.isOp('(')) {
    if (parts.length > 2) throw sqlError(`a function name has at most two parts, not '${parts.join('.')}'`, t.pos);
    return parseCall(ts, parts.join('.').toLowerCase(), t.pos);
  }
  return { kind: 'column', parts, pos: t.pos };
}

/** `name(args) [OVER …]` with the name already consumed. */
export function parseCall(ts: TokenStream, name: string, pos: Pos): CallExpr {
  ts.expectOp('(');
  let star = false;
  let distinct = false;
  let args: Expr[] = [];
  if (ts.isOp('*') && ts.isOp(')', 1)) {
    ts.next();
    star = true;
  } else if (!ts.isOp(')')) {
    if (ts.acceptKw('distinct')) distinct = true;
    else ts.acceptKw('all');
    args = ts.list(() => parseExpr(ts));
  }
  ts.expectOp(')');
  if (!ts.acceptKw('over')) return { kind: 'call', name, args, distinct, star, pos };
  let over: WindowSpec;
  if (ts.isOp('(')) {
    over = parseWindowSpec(ts);
  } else {
    const ref = ts.ident("a window name or '('");
    over = { ref: ref.name, partitionBy: [], orderBy: [], pos: ref.pos };
  }
  return { kind: 'call', name, args, distinct, star, over, pos };
}

/** `( [base] [PARTITION BY …] [ORDER BY …] [frame] )`; Hive's DISTRIBUTE BY / SORT BY spellings too. */
export function parseWindowSpec(ts: TokenStream): WindowSpec {
  const open = ts.expectOp('(');
  const clause = ['partition', 'distribute', 'order', 'sort', 'rows', 'range'];
  const ref = ts.isIdent() && !ts.isAnyKw(clause) ? ts.next().value : undefined;
  let partitionBy: Expr[] = [];
  let orderBy: OrderItem[] = [];
  if (ts.isAnyKw(['partition', 'distribute'])) {
    ts.next();
    ts.expectKw('by');
    partitionBy = ts.list(() => parseExpr(ts));
  }
  if (ts.isAnyKw(['order', 'sort'])) {
    ts.next();
    ts.expectKw('by');
    orderBy = ts.list(() => parseOrderItem(ts));
  }
  const frame = ts.isAnyKw(['rows', 'range']) ? parseFrame(ts) : undefined;
  ts.expectOp(')');
  return { ...(ref !== undefined && { ref }), partitionBy, orderBy, ...(frame && { frame }), pos: open.pos };
}

function parseFrame(ts: TokenStream): WindowFrame {
  const unit = ts.next().value as WindowFrame['unit'];
  if (ts.acceptKw('between')) {
    const start = parseFrameBound(ts);
    ts.expectKw('and');
    return { unit, start, end: parseFrameBound(ts) };
  }
  return { unit, start: parseFrameBound(ts), end: { kind: 'currentRow' } };
}

function parseFrameBound(ts: TokenStream): FrameBound {
  if (ts.acceptKw('unbounded')) {
    if (ts.acceptKw('preceding')) return { kind: 'unboundedPreceding' };
    if (ts.acceptKw('following')) return { kind: 'unboundedFollowing' };
    ts.fail("'PRECEDING' or 'FOLLOWING'");
  }
  if (ts.acceptKw('current')) {
    ts.expectKw('row');
    return { kind: 'currentRow' };
  }
  const offset = parseSimpleExpr(ts);
  if (ts.acceptKw('preceding')) return { kind: 'preceding', offset };
  if (ts.acceptKw('following')) return { kind: 'following', offset };
  ts.fail("'PRECEDING' or 'FOLLOWING'");
}

/** `expr [ASC|DESC] [NULLS FIRST|LAST]` */
export function parseOrderItem(ts: TokenStream): OrderItem {
  const expr = parseExpr(ts);
  const desc = !!ts.acceptKw('desc');
  if (!desc) ts.acceptKw('asc');
  if (!ts.acceptKw('nulls')) return { expr, desc };
  if (ts.acceptKw('first')) return { expr, desc, nulls: 'first' };
  if (ts.acceptKw('last')) return { expr, desc, nulls: 'last' };
  ts.fail("'FIRST' or 'LAST'");
}

function parseCase(ts: TokenStream): Expr {
  const pos = ts.next().pos;
  const operand = ts.isAnyKw(['when', 'end']) ? undefined : parseExpr(ts);
  const whens: { when: Expr; then: Expr }[] = [];
  while (ts.acceptKw('when')) {
    const when = parseExpr(ts);
    ts.expectKw('then');
    whens.push({ when, then: parseExpr(ts) });
  }
  if (whens.length === 0) ts.fail("'WHEN'");
  let elseExpr: Expr | undefined;
  if (ts.acceptKw('else')) elseExpr = parseExpr(ts);
  else if (!ts.isKw('end')) ts.fail("'WHEN', 'ELSE' or 'END'");
  ts.expectKw('end');
  return { kind: 'case', ...(operand && { operand }), whens, ...(elseExpr && { else: elseExpr }), pos };
}

function parseCast(ts: TokenStream): Expr {
  const pos = ts.next().pos;
  ts.expectOp('(');
  const expr = parseExpr(ts);
  ts.expectKw('as');
  const type = parseType(ts);
  ts.expectOp(')');
  return { kind: 'cast', expr, type, pos };
}

function parseExists(ts: TokenStream): Expr & { kind: 'exists' } {
  const pos = ts.next().pos;
  ts.expectOp('(');
  if (!startsQuery(ts) && !ts.isOp('(')) ts.fail('a subquery');
  const query = parseQuery(ts);
  ts.expectOp(')');
  return { kind: 'exists', query, not: false, pos };
}

function parseInterval(ts: TokenStream): Expr {
  const pos = ts.next().pos;
  const t = ts.peek();
  let value: Expr;
  if (t.type === 'string') {
    value = literal('string', ts.string().value, t.pos);
  } else if (t.type === 'number') {
    ts.next();
    value = literal('number', t.value, t.pos);
  } else if (ts.acceptOp('(')) {
    value = parseExpr(ts);
    ts.expectOp(')');
  } else {
    value = parseUnary(ts);
  }
  const u = ts.peek();
  const unit = u.type === 'ident' && !u.quoted ? INTERVAL_UNITS[u.value] : undefined;
  if (!unit) ts.fail('an interval unit (YEAR, MONTH, DAY, HOUR, MINUTE or SECOND)');
  ts.next();
  if (ts.isKw('to')) {
    throw sqlError('compound intervals such as YEAR TO MONTH are not supported; add two intervals instead', ts.peek().pos);
  }
  return { kind: 'interval', value, unit, pos };
}

function parseExtract(ts: TokenStream): Expr {
  const pos = ts.next().pos;
  ts.expectOp('(');
  const field = ts.next();
  const name = EXTRACT_FUNCTIONS[field.value];
  if (!name) throw sqlError(`cannot EXTRACT '${field.text}'; expected one of ${Object.keys(EXTRACT_FUNCTIONS).join(', ')}`, field.pos);
  ts.expectKw('from');
  const arg = parseExpr(ts);
  ts.expectOp(')');
  return { kind: 'call', name, args: [arg], distinct: false, star: false, pos };
}
