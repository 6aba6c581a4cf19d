// Entry points of the SQL front end: a script into statements, and a lone expression.
// Statements end at `;` tokens rather than being split on the text first, so a `;` inside a
// string or comment needs no special care; the few statements whose arguments are not SQL
// (SET, RESET, ADD JAR) read the rest of their text raw.
import { sqlError } from '../common/errors.js';
import type { Expr, ExplainStatement, Pos, Script, SetStatement, Statement, AddResourceStatement, ResetStatement, UseStatement } from './ast.js';
import { parseAlterTable, parseAnalyze, parseCreate, parseDescribe, parseDrop, parseMsck, parseShow, parseTruncate } from './parse-ddl.js';
import { parseFromStatement, parseInsert, parseLoadData } from './parse-dml.js';
import { parseExpr } from './parse-expr.js';
import { parseQuery, parseQueryBody, parseWith } from './parse-query.js';
import { unescapeHiveString } from './lexer.js';
import { TokenStream } from './token-stream.js';

type StatementBody = Statement extends infer S ? (S extends Statement ? Omit<S, 'text'> : never) : never;

export function parseScript(text: string): Script {
  const ts = new TokenStream(text);
  const statements: Statement[] = [];
  for (;;) {
    while (ts.acceptOp(';')) {
      // empty statement
    }
    if (ts.atEnd()) return { statements };
    statements.push(parseStatement(ts));
    if (!ts.atEnd() && !ts.isOp(';')) ts.fail("';'");
  }
}

/** One expression and nothing after it. */
export function parseExpression(text: string): Expr {
  const ts = new TokenStream(text);
  const e = parseExpr(ts);
  if (!ts.atEnd()) ts.fail('end of input');
  return e;
}

function parseStatement(ts: TokenStream): Statement {
  const start = ts.peek().pos.offset;
  const body = parseStatementBody(ts);
  return { ...body, text: ts.source.slice(start, ts.lastEnd).trim() } as Statement;
}

function parseStatementBody(ts: TokenStream): StatementBody {
  const t = ts.peek();
  const pos = t.pos;
  if (ts.isOp('(')) return { kind: 'query', query: parseQuery(ts), pos };
  if (t.type !== 'ident' || t.quoted) ts.fail('a statement');
  switch (t.value) {
    case 'select':
    case 'values':
      return { kind: 'query', query: parseQuery(ts), pos };
    case 'with': {
      const ctes = parseWith(ts);
      if (ts.isKw('insert')) return parseInsert(ts, ctes, pos);
      if (ts.isKw('from')) return parseFromStatement(ts, ctes, pos);
      return { kind: 'query', query: parseQueryBody(ts, ctes, pos), pos };
    }
    case 'from':
      return parseFromStatement(ts, [], pos);
    case 'insert':
      return parseInsert(ts, [], pos);
    case 'load':
      return parseLoadData(ts);
    case 'create':
      return parseCreate(ts);
    case 'drop':
      return parseDrop(ts);
    case 'alter':
      return parseAlterTable(ts);
    case 'truncate':
      return parseTruncate(ts);
    case 'msck':
      return parseMsck(ts);
    case 'show':
      return parseShow(ts);
    case 'describe':
    case 'desc':
      return parseDescribe(ts);
    case 'analyze':
      return parseAnalyze(ts);
    case 'use':
      return parseUse(ts, pos);
    case 'set':
      return parseSet(ts, pos);
    case 'reset':
      return parseReset(ts, pos);
    case 'explain':
      return parseExplain(ts, pos);
    case 'add':
      return parseAddResource(ts, pos);
    default:
      ts.fail('a statement');
  }
}

function parseUse(ts: TokenStream, pos: Pos): Omit<UseStatement, 'text'> {
  ts.next();
  return { kind: 'use', name: ts.ident('a database name').name, pos };
}

/** `SET`, `SET key`, `SET key=value`: the key runs to the first `=`, the value to the `;`. */
function parseSet(ts: TokenStream, pos: Pos): Omit<SetStatement, 'text'> {
  ts.next();
  const raw = ts.raw();
  if (raw.value === '') return { kind: 'set', pos };
  const eq = raw.value.indexOf('=');
  if (eq < 0) return { kind: 'set', key: raw.value, pos };
  const key = raw.value.slice(0, eq).trim();
  if (key === '') throw sqlError("expected a configuration key but found '='", raw.pos);
  return { kind: 'set', key, value: raw.value.slice(eq + 1).trim(), pos };
}

function parseReset(ts: TokenStream, pos: Pos): Omit<ResetStatement, 'text'> {
  ts.next();
  const raw = ts.raw();
  return raw.value === '' ? { kind: 'reset', pos } : { kind: 'reset', key: raw.value, pos };
}

function parseExplain(ts: TokenStream, pos: Pos): Omit<ExplainStatement, 'text'> {
  ts.next();
  const extended = !!ts.acceptKw('extended');
  const formatted = !extended && !!ts.acceptKw('formatted');
  if (ts.isKw('explain')) ts.fail('a statement to explain');
  return { kind: 'explain', extended, formatted, statement: parseStatement(ts), pos };
}

// Hive's CLI takes ADD JAR paths unquoted (`ADD JAR /tmp/udfs.jar`), so the paths are read
// raw: quoted ones are unescaped, the rest split on whitespace.
function parseAddResource(ts: TokenStream, pos: Pos): Omit<AddResourceStatement, 'text'> {
  ts.next();
  const t = ts.peek();
  const kinds: Readonly<Record<string, 'jar' | 'file'>> = { jar: 'jar', jars: 'jar', file: 'file', files: 'file' };
  const resourceKind = t.type === 'ident' && !t.quoted ? kinds[t.value] : undefined;
  if (!resourceKind) ts.fail("'JAR' or 'FILE'");
  ts.next();
  const raw = ts.raw();
  const paths: string[] = [];
  for (const m of raw.value.matchAll(/'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|(\S+)/g)) {
    paths.push(m[3] ?? unescapeHiveString(m[1] ?? m[2] ?? ''));
  }
  if (paths.length === 0) ts.fail('a path');
  return { kind: 'addResource', resourceKind, paths, pos };
}
