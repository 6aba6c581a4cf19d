import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Lexer, tokenize } from '../../lib/sql/lexer.js';
import { TokenStream } from '../../lib/sql/token-stream.js';
import { assertSqlError } from './helpers.js';

const values = (text: string) => tokenize(text).filter((t) => t.type !== 'eof').map((t) => t.value);
const types = (text: string) => tokenize(text).filter((t) => t.type !== 'eof').map((t) => t.type);

test('lower-cases identifiers and keeps backquoted names exactly as written', () => {
  const toks = tokenize('SELECT MyCol, `My Col`, `a``b` FROM T');
  assert.deepEqual(toks.map((t) => t.value), ['select', 'mycol', ',', 'My Col', ',', 'a`b', 'from', 't', '']);
  assert.deepEqual(toks.map((t) => t.quoted), [false, false, false, true, false, true, false, false, false]);
  assert.equal(toks[1]!.text, 'MyCol');
});

test('reads every numeric literal form and upper-cases the type suffix', () => {
  assert.deepEqual(values('10 10L 10s 10Y 10bd 1.5 .5 1e3 1.5e-3 2.5BD 7.'), [
    '10', '10L', '10S', '10Y', '10BD', '1.5', '.5', '1e3', '1.5e-3', '2.5BD', '7.',
  ]);
  assert.deepEqual(new Set(types('10 10L 1.5e-3 .5')), new Set(['number']));
});

test('lexes names that start with a digit as identifiers, as Hive does', () => {
  const toks = tokenize('db.2024_sales 1st');
  assert.deepEqual(toks.map((t) => [t.type, t.value]), [
    ['ident', 'db'], ['op', '.'], ['ident', '2024_sales'], ['ident', '1st'], ['eof', ''],
  ]);
});

test('keeps a dot after a name or bracket a field access instead of starting a number', () => {
  assert.deepEqual(values('a[0].5'), ['a', '[', '0', ']', '.', '5']);
  assert.deepEqual(values('x + .5'), ['x', '+', '.5']);
  assert.deepEqual(values('SELECT .5, (.25)'), ['select', '.5', ',', '(', '.25', ')']);
});

test("unescapes Hive's backslash escapes in single- and double-quoted strings", () => {
  const cases: [string, string][] = [
    [String.raw`'it\'s'`, "it's"],
    [String.raw`"say \"hi\""`, 'say "hi"'],
    [String.raw`'a\\b'`, 'a\\b'],
    [String.raw`'\n\t\r'`, '\n\t\r'],
    [String.raw`'x\0y'`, 'x\0y'],
    [String.raw`'\001'`, '\u0001'],
    [String.raw`'\u0041\u00e9'`, 'Aé'],
    [String.raw`'50\%'`, '50\\%'],
    [String.raw`'\q'`, 'q'],
    [`"it's"`, "it's"],
  ];
  for (const [src, want] of cases) assert.equal(tokenize(src)[0]!.value, want, src);
});

test('recognises every operator, preferring the longest', () => {
  const ops = '= == <> != < <= > >= <=> + - * / % & | ^ ~ || ( ) [ ] , . ; : !';
  assert.deepEqual(values(ops), ops.split(' '));
  assert.deepEqual(values('a<=>b||c'), ['a', '<=>', 'b', '||', 'c']);
});

test('emits two closing angle brackets for >> so nested types can close', () => {
  assert.deepEqual(values('map<string,array<int>>'), ['map', '<', 'string', ',', 'array', '<', 'int', '>', '>']);
});

test('skips line and block comments and keeps counting lines through them', () => {
  const toks = tokenize('a -- comment ; here\n/* multi\nline */  b');
  assert.deepEqual(toks.map((t) => t.value), ['a', 'b', '']);
  assert.deepEqual(toks[1]!.pos, { line: 3, col: 10, offset: 38 });
});

test('counts columns in characters, so an astral character is one column', () => {
  const toks = tokenize("'😀'\tx\n  y");
  assert.deepEqual(toks[1]!.pos, { line: 1, col: 5, offset: 5 });
  assert.deepEqual(toks[2]!.pos, { line: 2, col: 3, offset: 9 });
});

test('records each token as written and where it ends', () => {
  const [t] = tokenize("  'a\\'b'  ");
  assert.equal(t!.text, "'a\\'b'");
  assert.equal(t!.value, "a'b");
  assert.equal(t!.end, 8);
});

test('reports an unterminated string at its opening quote', () => {
  assertSqlError(() => tokenize("SELECT 1,\n  'abc"), 'unterminated string literal', 2, 3);
});

test('reports an unterminated block comment where it opens', () => {
  assertSqlError(() => tokenize('SELECT /* never closed'), 'unterminated block comment', 1, 8);
});

test('reports an unterminated backquoted name and an empty one', () => {
  assertSqlError(() => tokenize('SELECT `abc'), 'unterminated quoted identifier', 1, 8);
  assertSqlError(() => tokenize('SELECT ``'), 'empty quoted identifier', 1, 8);
});

test('reports a character that starts no token, with its column', () => {
  assertSqlError(() => tokenize('SELECT a\n  # b'), "unexpected character '#'", 2, 3);
});

test('names a variable reference that reached the lexer unsubstituted', () => {
  assertSqlError(() => tokenize("SELECT 1 FROM ${db}.t"), 'variable reference ${db} was not substituted', 1, 15);
});

test('reads raw text up to a semicolon outside quotes, trimmed', () => {
  const lexer = new Lexer("SET  k='a;b' = c ; SELECT");
  assert.equal(lexer.next().value, 'set');
  const raw = lexer.raw();
  assert.equal(raw.value, "k='a;b' = c");
  assert.deepEqual(raw.pos, { line: 1, col: 6, offset: 5 });
  assert.equal(lexer.next().value, ';');
  assert.equal(lexer.next().value, 'select');
});

test('leaves -- comments out of raw text, even when they hold a semicolon', () => {
  const lexer = new Lexer("SET k = v -- why; because\n  ; SELECT '--'");
  lexer.next();
  const raw = lexer.raw();
  assert.equal(raw.value, 'k = v');
  assert.equal(raw.text, 'k = v');
  assert.equal(raw.end, 9);
  assert.equal(lexer.next().value, ';');
  assert.equal(lexer.next().value, 'select');
  assert.equal(lexer.next().value, '--');
});

test('falls back to the first semicolon when raw text has an unclosed quote', () => {
  const lexer = new Lexer("SET k=it's; SELECT 1");
  lexer.next();
  assert.equal(lexer.raw().value, "k=it's");
  assert.equal(lexer.next().value, ';');
});

test('reads raw text from the right place even after the parser looked ahead', () => {
  const ts = new TokenStream('SET\n  k = 1e ; SELECT');
  assert.equal(ts.peek(2).value, '=');
  ts.next();
  const raw = ts.raw();
  assert.equal(raw.value, 'k = 1e');
  assert.deepEqual(raw.pos, { line: 2, col: 3, offset: 6 });
  assert.equal(ts.next().value, ';');
  assert.equal(ts.next().value, 'select');
});
