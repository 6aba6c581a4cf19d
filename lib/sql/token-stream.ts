// The parser's view of the token sequence: lookahead, keyword matching, backtracking and
// the `expected X but found Y` errors every parse function reports through.
import { sqlError } from '../common/errors.js';
import type { ShoalError, SourcePos } from '../common/errors.js';
import { Lexer, describeToken } from './lexer.js';
import type { Token } from './lexer.js';

/**
 * Words that are never a bare identifier: a column, table or alias with one of these names
 * must be backquoted. Deliberately smaller than Hive's reserved list so that common column
 * names (`date`, `timestamp`, `user`, `key`, `value`, `comment`, `location`, …) work.
 */
export const RESERVED: ReadonlySet<string> = new Set([
  'all', 'and', 'as', 'between', 'by', 'case', 'cast', 'distinct', 'else', 'end', 'exists', 'false',
  'from', 'group', 'having', 'in', 'insert', 'intersect', 'into', 'is', 'join', 'like', 'not', 'null',
  'on', 'or', 'order', 'regexp', 'rlike', 'select', 'table', 'then', 'true', 'union', 'when', 'where', 'with',
]);

/** Words that may name a column but cannot be an alias written without AS: they start the next clause. */
export const NOT_AN_ALIAS: ReadonlySet<string> = new Set([
  ...RESERVED,
  'anti', 'cluster', 'cross', 'distribute', 'except', 'full', 'inner', 'lateral', 'left', 'limit', 'minus',
  'natural', 'offset', 'outer', 'over', 'partition', 'qualify', 'right', 'semi', 'sort', 'tablesample',
  'using', 'values', 'window',
]);

export interface Name { readonly name: string; readonly pos: SourcePos }

export class TokenStream {
  private readonly lexer: Lexer;
  private readonly tokens: Token[] = [];
  private index = 0;

  constructor(readonly source: string) {
    this.lexer = new Lexer(source);
  }

  peek(k = 0): Token {
    while (this.tokens.length <= this.index + k) {
      const last = this.tokens[this.tokens.length - 1];
      if (last?.type === 'eof') return last;
      this.tokens.push(this.lexer.next());
    }
    return this.tokens[this.index + k]!;
  }

  next(): Token {
    const t = this.peek();
    if (t.type !== 'eof') this.index++;
    return t;
  }

  /** End offset of the last consumed token. */
  get lastEnd(): number {
    return this.index === 0 ? 0 : this.tokens[this.index - 1]!.end;
  }

  atEnd(): boolean {
    return this.peek().type === 'eof';
  }

  /** The rest of the statement as raw text (see Lexer.raw), discarding any lookahead. */
  raw(): Token {
    const ahead = this.tokens[this.index];
    if (ahead) {
      this.lexer.rewind(ahead, this.tokens[this.index - 1]);
      this.tokens.length = this.index;
    }
    const t = this.lexer.raw();
    this.tokens.push(t);
    this.index++;
    return t;
  }

  mark(): number {
    return this.index;
  }

  reset(mark: number): void {
    this.index = mark;
  }

  /** Runs `parse`; on a syntax error rewinds and returns undefined, for the few ambiguous spots. */
  attempt<T>(parse: () => T): T | undefined {
    const m = this.mark();
    try {
      return parse();
    } catch (e) {
      if ((e as ShoalError).kind !== 'sql') throw e;
      this.reset(m);
      return undefined;
    }
  }

  isKw(word: string, k = 0): boolean {
    const t = this.peek(k);
    return t.type === 'ident' && !t.quoted && t.value === word;
  }

  isAnyKw(words: readonly string[], k = 0): boolean {
    const t = this.peek(k);
    return t.type === 'ident' && !t.quoted && words.includes(t.value);
  }

  /** Consumes the keyword sequence if all of it is next. */
  acceptKw(...words: string[]): Token | undefined {
    if (!words.every((w, k) => this.isKw(w, k))) return undefined;
    const first = this.next();
    for (let k = 1; k < words.length; k++) this.next();
    return first;
  }

  expectKw(word: string): Token {
    if (!this.isKw(word)) this.fail(`'${word.toUpperCase()}'`);
    return this.next();
  }

  isOp(op: string, k = 0): boolean {
    const t = this.peek(k);
    return t.type === 'op' && t.value === op;
  }

  acceptOp(op: string): Token | undefined {
    return this.isOp(op) ? this.next() : undefined;
  }

  expectOp(op: string): Token {
    if (!this.isOp(op)) this.fail(`'${op}'`);
    return this.next();
  }

  /** Whether the token at k can be a bare identifier (any backquoted name, or a non-reserved word). */
  isIdent(k = 0): boolean {
    const t = this.peek(k);
    return t.type === 'ident' && (t.quoted || !RESERVED.has(t.value));
  }

  /** An identifier; `anyWord` also accepts reserved words, where nothing else could follow. */
  ident(what: string, anyWord = false): Name {
    const t = this.peek();
    if (t.type !== 'ident' || (!anyWord && !t.quoted && RESERVED.has(t.value))) this.fail(what);
    this.next();
    return { name: t.value, pos: t.pos };
  }

  /** One string literal, or several adjacent ones concatenated as Hive does. */
  string(what = 'a string literal'): { value: string; pos: SourcePos } {
    const t = this.peek();
    if (t.type !== 'string') this.fail(what);
    let value = '';
    while (this.peek().type === 'string') value += this.next().value;
    return { value, pos: t.pos };
  }

  /** A non-negative integer literal without a type suffix. */
  integer(what = 'an integer'): number {
    const t = this.peek();
    if (t.type !== 'number' || !/^\d+$/.test(t.value)) this.fail(what);
    this.next();
    return Number(t.value);
  }

  error(what: string, t: Token = this.peek()): ShoalError {
    return sqlError(`expected ${what} but found ${describeToken(t)}`, t.pos);
  }

  fail(what: string, t: Token = this.peek()): never {
    throw this.error(what, t);
  }

  /** `a, b, c`: one or more items separated by commas. */
  list<T>(item: () => T): T[] {
    const out = [item()];
    while (this.acceptOp(',')) out.push(item());
    return out;
  }

  /** `( a, b, c )` */
  parenList<T>(item: () => T): T[] {
    this.expectOp('(');
    const out = this.list(item);
    this.expectOp(')');
    return out;
  }
}
