// Tokenizer for Hive SQL. It is pulled one token at a time by the parser because a few
// statements (SET, RESET, ADD JAR) take the rest of their text raw, and that text is not
// necessarily lexable SQL (`SET k=128MB`, `SET k=a=b`, `ADD JAR /tmp/x.jar`).
import { sqlError } from '../common/errors.js';
import type { SourcePos } from '../common/errors.js';

export type TokenType = 'ident' | 'number' | 'string' | 'op' | 'raw' | 'eof';

export interface Token {
  readonly type: TokenType;
  /**
   * ident: lower-cased unless backquoted; string: the unescaped contents; number: the
   * literal with its type suffix upper-cased (`10L`, `1.5BD`); op: the operator; raw: the
   * trimmed text up to the next `;`.
   */
  readonly value: string;
  /** the token exactly as written */
  readonly text: string;
  /** a backquoted identifier, never a keyword */
  readonly quoted: boolean;
  readonly pos: SourcePos;
  /** offset just past the token */
  readonly end: number;
}

// Longest first so that `<=>` wins over `<=` and `<`.
const OPERATORS = [
  '<=>', '==', '<>', '!=', '<=', '>=', '||',
  '=', '<', '>', '+', '-', '*', '/', '%', '&', '|', '^', '~', '!', '(', ')', '[', ']', ',', '.', ';', ':',
] as const;

const IDENT_CHAR = /[\p{L}\p{N}_]/u;
const NUMBER = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const SUFFIX = /BD|[LSY]/iy;
const IDENT_RUN = /[\p{L}\p{N}_]+/uy;

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

export class Lexer {
  private i = 0;
  private line = 1;
  private col = 1;
  private prev: Token | undefined;

  constructor(private readonly src: string) {}

  /** Continues lexing at a token already produced, forgetting everything after it. */
  rewind(to: Token, prev: Token | undefined): void {
    this.i = to.pos.offset;
    this.line = to.pos.line;
    this.col = to.pos.col;
    this.prev = prev;
  }

  /** The next token; at the end, an `eof` token (repeatedly). */
  next(): Token {
    this.skipTrivia();
    const tok = this.scan();
    this.prev = tok;
    return tok;
  }

  /**
   * The text from here up to the next `;` outside quotes and `--` comments (or the end),
   * trimmed and without its comments, as one `raw` token. Leading whitespace is skipped so
   * that the token's position is that of its first character.
   */
  raw(): Token {
    while (this.i < this.src.length && /\s/.test(this.src[this.i]!)) this.advance(1);
    const pos = this.pos();
    const scan = this.scanRaw(true) ?? this.scanRaw(false)!;
    this.advance(scan.stop - this.i);
    const tok: Token = {
      type: 'raw', value: scan.value.trimEnd(), text: this.src.slice(pos.offset, scan.end), quoted: false, pos, end: scan.end,
    };
    this.prev = tok;
    return tok;
  }

  // A quote left open makes the quote-aware scan fail (undefined); then the first `;` ends
  // the text. `end` is just past the last character that belongs to the value.
  private scanRaw(respectQuotes: boolean): { value: string; stop: number; end: number } | undefined {
    const s = this.src;
    let value = '';
    let quote = '';
    let end = this.i;
    for (let j = this.i; j < s.length; j++) {
      const c = s[j]!;
      if (quote) {
        const n = c === '\\' && j + 1 < s.length ? 2 : 1;
        value += s.slice(j, j + n);
        if (n === 1 && c === quote) quote = '';
        j += n - 1;
        end = j + 1;
        continue;
      }
      if (c === ';') return { value, stop: j, end };
      if (c === '-' && s[j + 1] === '-') {
        const nl = s.indexOf('\n', j);
        if (nl < 0) return { value, stop: s.length, end };
        j = nl - 1; // the newline itself is kept as whitespace
        continue;
      }
      if (respectQuotes && (c === "'" || c === '"')) quote = c;
      value += c;
      if (!/\s/.test(c)) end = j + 1;
    }
    return quote ? undefined : { value, stop: s.length, end };
  }

  private pos(): SourcePos {
    return { line: this.line, col: this.col, offset: this.i };
  }

  private advance(n: number): void {
    for (let k = 0; k < n; k++) {
      const c = this.src.charCodeAt(this.i);
      if (c === 10) {
        this.line++;
        this.col = 1;
      } else if (!(isLowSurrogate(c) && this.i > 0 && isHighSurrogate(this.src.charCodeAt(this.i - 1)))) {
        this.col++; // the second half of a surrogate pair is the same character
      }
      this.i++;
    }
  }

  private skipTrivia(): void {
    const s = this.src;
    for (;;) {
      const c = s[this.i];
      if (c === undefined) return;
      if (/\s/.test(c)) {
        this.advance(1);
      } else if (c === '-' && s[this.i + 1] === '-') {
        const nl = s.indexOf('\n', this.i);
        this.advance((nl < 0 ? s.length : nl) - this.i);
      } else if (c === '/' && s[this.i + 1] === '*') {
        const start = this.pos();
        const close = s.indexOf('*/', this.i + 2);
        if (close < 0) throw sqlError('unterminated block comment', start);
        this.advance(close + 2 - this.i);
      } else {
        return;
      }
    }
  }

  private token(type: TokenType, value: string, start: SourcePos, quoted = false): Token {
    return { type, value, text: this.src.slice(start.offset, this.i), quoted, pos: start, end: this.i };
  }

  private scan(): Token {
    const s = this.src;
    const start = this.pos();
    const c = s[this.i];
    if (c === undefined) return { type: 'eof', value: '', text: '', quoted: false, pos: start, end: this.i };
    if (c === "'" || c === '"') return this.scanString(start, c);
    if (c === '`') return this.scanQuotedIdent(start);
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(s[this.i + 1] ?? '') && !this.prevTakesField())) {
      return this.scanNumber(start);
    }
    if (IDENT_CHAR.test(c) || isHighSurrogate(s.charCodeAt(this.i))) {
      IDENT_RUN.lastIndex = this.i;
      const m = IDENT_RUN.exec(s);
      if (m) {
        this.advance(m[0].length);
        return this.token('ident', m[0].toLowerCase(), start);
      }
    }
    for (const op of OPERATORS) {
      if (s.startsWith(op, this.i)) {
        this.advance(op.length);
        return this.token('op', op, start);
      }
    }
    const ref = /^\$\{[^}\s]*\}/.exec(s.slice(this.i, this.i + 200));
    if (ref) throw sqlError(`variable reference ${ref[0]} was not substituted`, start);
    throw sqlError(`unexpected character '${String.fromCodePoint(s.codePointAt(this.i)!)}'`, start);
  }

  // `arr[0].5` or `t.1x` is a field access, so a leading-dot number is only recognised
  // where a field access cannot be: not directly after a name or a closing bracket.
  private prevTakesField(): boolean {
    const p = this.prev;
    if (!p || p.end !== this.i) return false;
    return p.type === 'ident' || (p.type === 'op' && (p.value === ')' || p.value === ']'));
  }

  private scanNumber(start: SourcePos): Token {
    const s = this.src;
    NUMBER.lastIndex = this.i;
    const num = NUMBER.exec(s)![0];
    let after = this.i + num.length;
    const integral = /^\d+$/.test(num);
    SUFFIX.lastIndex = after;
    const sm = SUFFIX.exec(s);
    let suffix = '';
    if (sm && (integral || sm[0].toUpperCase() === 'BD') && !IDENT_CHAR.test(s[after + sm[0].length] ?? '')) {
      suffix = sm[0].toUpperCase();
      after += sm[0].length;
    } else if (integral && IDENT_CHAR.test(s[after] ?? '')) {
      // Hive identifiers may start with a digit: `2024_sales`, `1st`.
      IDENT_RUN.lastIndex = this.i;
      const m = IDENT_RUN.exec(s)!;
      this.advance(m[0].length);
      return this.token('ident', m[0].toLowerCase(), start);
    }
    this.advance(after - this.i);
    return this.token('number', num + suffix, start);
  }

  private scanString(start: SourcePos, quote: string): Token {
    const s = this.src;
    let j = this.i + 1;
    while (j < s.length && s[j] !== quote) j += s[j] === '\\' ? 2 : 1;
    if (j >= s.length) throw sqlError('unterminated string literal', start);
    const body = s.slice(this.i + 1, j);
    this.advance(j + 1 - this.i);
    return this.token('string', unescapeHiveString(body), start);
  }

  private scanQuotedIdent(start: SourcePos): Token {
    const s = this.src;
    let j = this.i + 1;
    let name = '';
    for (;;) {
      const close = s.indexOf('`', j);
      if (close < 0) throw sqlError('unterminated quoted identifier', start);
      name += s.slice(j, close);
      if (s[close + 1] === '`') {
        name += '`';
        j = close + 2;
      } else {
        j = close + 1;
        break;
      }
    }
    this.advance(j - this.i);
    if (name === '') throw sqlError('empty quoted identifier', start);
    return this.token('ident', name, start, true);
  }
}

/**
 * The contents of a Hive string literal, unescaped as Hive does: `\001` (octal, first digit
 * 0 or 1), `\u0001`, `\0 \b \n \r \t \Z`, `\%` and `\_` kept escaped for LIKE, and any
 * other escaped character stands for itself.
 */
export function unescapeHiveString(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\' || i + 1 >= body.length) {
      out += c;
      continue;
    }
    const n = body[i + 1]!;
    const uni = /^u([0-9a-fA-F]{4})/.exec(body.slice(i + 1, i + 6));
    if (uni) {
      out += String.fromCharCode(parseInt(uni[1]!, 16));
      i += 5;
      continue;
    }
    const oct = /^[01][0-7][0-7]/.exec(body.slice(i + 1, i + 4));
    if (oct) {
      out += String.fromCharCode(parseInt(oct[0], 8));
      i += 3;
      continue;
    }
    switch (n) {
      case '0': out += '\0'; break;
      case 'b': out += '\b'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'Z': out += '\u001a'; break;
      case '%': out += '\\%'; break;
      case '_': out += '\\_'; break;
      default: out += n;
    }
    i++;
  }
  return out;
}

/** All tokens of a text, ending with `eof`; for tests and tools that do not need raw text. */
export function tokenize(text: string): Token[] {
  const lexer = new Lexer(text);
  const out: Token[] = [];
  for (;;) {
    const t = lexer.next();
    out.push(t);
    if (t.type === 'eof') return out;
  }
}

/** How an error message shows a token: `'FROM'`, `'abc'` for a string, `end of input`. */
export function describeToken(t: Token): string {
  if (t.type === 'eof') return 'end of input';
  const text = t.text.length > 40 ? `${t.text.slice(0, 37)}...` : t.text;
  return t.type === 'string' || t.quoted ? text : `'${text}'`;
}

/** The line and column (1-based, counting characters) of an offset into a text. */
export function positionAt(text: string, offset: number): SourcePos {
  let line = 1;
  let col = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      col = 1;
    } else if (!(isLowSurrogate(c) && i > 0 && isHighSurrogate(text.charCodeAt(i - 1)))) {
      col++;
    }
  }
  return { line, col, offset };
}
