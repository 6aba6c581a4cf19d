// Syntax errors: the exact message and the line:column it points at.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatError } from '../../lib/common/errors.js';
import { parseExpression, parseScript } from '../../lib/sql/parser.js';
import { assertSqlError } from './helpers.js';

const parse = (sql: string) => () => parseScript(sql);

test('reports the column of an unclosed parenthesis at the token that should have closed it', () => {
  assertSqlError(parse('SELECT count(a FROM t'), "expected ')' but found 'FROM'", 1, 16);
  assertSqlError(parse('SELECT a FROM (SELECT 1'), "expected ')' but found end of input", 1, 24);
});

test('reports an error on line 3 column 14 of a multi-line script at that line and column', () => {
  const sql = 'SELECT 1;\n-- a comment; with a semicolon\nSELECT a FROM WHERE b = 1;';
  assertSqlError(parse(sql), "expected a table name but found 'WHERE'", 3, 15);
  const sql2 = 'SELECT a,\n       b\nFROM t WHERE = 1';
  assertSqlError(parse(sql2), "expected an expression but found '='", 3, 14);
});

test('reports a missing expression after a comma in the select list', () => {
  assertSqlError(parse('SELECT a, FROM t'), "expected an expression but found 'FROM'", 1, 11);
  assertSqlError(parse('SELECT f(a,)'), "expected an expression but found ')'", 1, 12);
});

test('reports a missing expression at the end of the input', () => {
  assertSqlError(parse('SELECT * FROM t\nWHERE'), 'expected an expression but found end of input', 2, 6);
  assertSqlError(parse('SELECT a FROM t JOIN u ON'), 'expected an expression but found end of input', 1, 26);
});

test('reports a missing semicolon between statements at the next statement', () => {
  assertSqlError(parse('SELECT 1;\nSELECT 2\nSELECT 3'), "expected ';' but found 'SELECT'", 3, 1);
  assertSqlError(parse('SELECT a b c FROM t'), "expected ';' but found 'c'", 1, 12);
});

test('reports an unknown type name at the type', () => {
  assertSqlError(parse('CREATE TABLE t (\n  a int,\n  b strng\n)'), "unknown type 'strng'", 3, 5);
  assertSqlError(parse('SELECT CAST(a AS) FROM t'), "expected a type but found ')'", 1, 17);
});

test('reports an unclosed or malformed complex type', () => {
  assertSqlError(parse('CREATE TABLE t (a array<int)'), "expected '>' but found ')'", 1, 28);
  assertSqlError(parse('CREATE TABLE t (a map<string>)'), "expected ',' but found '>'", 1, 29);
  assertSqlError(parse('CREATE TABLE t (a decimal(10,))'), "expected a decimal scale but found ')'", 1, 30);
});

test('reports a CASE that is not closed by END', () => {
  assertSqlError(parse('SELECT CASE WHEN a THEN b FROM t'), "expected 'WHEN', 'ELSE' or 'END' but found 'FROM'", 1, 27);
  assertSqlError(parse('SELECT CASE END'), "expected 'WHEN' but found 'END'", 1, 13);
});

test('reports a missing BY after GROUP and ORDER', () => {
  assertSqlError(parse('SELECT a FROM t GROUP a'), "expected 'BY' but found 'a'", 1, 23);
  assertSqlError(parse('SELECT a FROM t\n  ORDER a'), "expected 'BY' but found 'a'", 2, 9);
});

test('reports a LIMIT that is not an integer', () => {
  assertSqlError(parse('SELECT a FROM t LIMIT x'), "expected a row count but found 'x'", 1, 23);
  assertSqlError(parse('SELECT a FROM t LIMIT 1.5'), "expected a row count but found '1.5'", 1, 23);
});

test('reports an unknown statement at its first word', () => {
  assertSqlError(parse('SELECT 1;\n  FOO BAR'), "expected a statement but found 'FOO'", 2, 3);
  assertSqlError(parse('DROP INDEX i'), "expected 'TABLE', 'VIEW', 'DATABASE' or 'FUNCTION' but found 'INDEX'", 1, 6);
});

test('reports IF EXISTS where IF NOT EXISTS belongs', () => {
  assertSqlError(parse('CREATE TABLE IF EXISTS t (a int)'), "expected 'NOT' but found 'EXISTS'", 1, 17);
});

test('reports a join keyword without JOIN', () => {
  assertSqlError(parse('SELECT a FROM t LEFT t2'), "expected 'JOIN' but found 't2'", 1, 22);
});

test('reports a lateral view without a table alias', () => {
  assertSqlError(parse('SELECT x FROM t LATERAL VIEW explode(a) AS c'), "expected a table alias for the lateral view but found 'AS'", 1, 41);
  assertSqlError(parse('SELECT x FROM t LATERAL VIEW e AS c'), "expected a table-generating function call but found 'e'", 1, 30);
});

test('reports an unknown interval unit and unsupported compound intervals', () => {
  assertSqlError(
    parse('SELECT INTERVAL 1 FORTNIGHT'),
    "expected an interval unit (YEAR, MONTH, DAY, HOUR, MINUTE or SECOND) but found 'FORTNIGHT'", 1, 19,
  );
  assertSqlError(
    parse("SELECT INTERVAL '1-2' YEAR TO MONTH"),
    'compound intervals such as YEAR TO MONTH are not supported; add two intervals instead', 1, 28,
  );
});

test('reports a table clause given twice at its second occurrence', () => {
  assertSqlError(parse('CREATE TABLE t (a int) STORED AS parquet STORED AS orc'), 'duplicate STORED AS clause', 1, 42);
});

test('lists the possible actions of an unknown ALTER TABLE', () => {
  assertSqlError(parse('ALTER TABLE t FROB'), "expected 'ADD', 'DROP', 'RENAME', 'REPLACE', 'SET', 'CHANGE' or 'PARTITION' but found 'FROB'", 1, 15);
});

test('reports IS followed by something other than NULL, and NOT followed by no predicate', () => {
  assertSqlError(parse('SELECT a FROM t WHERE a IS 1'), "expected 'NULL' but found '1'", 1, 28);
  assertSqlError(parse('SELECT 1 FROM t WHERE a NOT 1'), "expected 'LIKE', 'RLIKE', 'REGEXP', 'IN' or 'BETWEEN' but found '1'", 1, 29);
});

test('reports a reserved word used as an alias', () => {
  assertSqlError(parse('SELECT a AS FROM t'), "expected an alias but found 'FROM'", 1, 13);
});

test('reports a malformed CREATE FUNCTION signature where it goes wrong', () => {
  assertSqlError(parse("CREATE FUNCTION f(string) AS 'g'"), "expected 'RETURNS' but found 'AS'", 1, 27);
  assertSqlError(parse("CREATE FUNCTION f(strin) RETURNS int AS 'g'"), "unknown type 'strin'", 1, 19);
  assertSqlError(parse("CREATE FUNCTION f(int) RETURNS TABLE AS 'g'"), "expected '(' but found 'AS'", 1, 38);
  assertSqlError(parse("CREATE FUNCTION f(int) RETURNS int RETURNS NULL AS 'g'"), "expected 'AS' but found 'RETURNS'", 1, 36);
  assertSqlError(parse('CREATE FUNCTION f AS g'), "expected an export name string but found 'g'", 1, 22);
});

test('reports an incomplete SET, ADD and INSERT', () => {
  assertSqlError(parse('SET =x'), "expected a configuration key but found '='", 1, 5);
  assertSqlError(parse('ADD JAR ;'), "expected a path but found ';'", 1, 9);
  assertSqlError(parse('INSERT INTO TABLE'), 'expected a table name but found end of input', 1, 18);
  assertSqlError(
    parse("INSERT OVERWRITE DIRECTORY '/x' SELECT 1"),
    "expected 'TABLE' (INSERT OVERWRITE DIRECTORY is not supported) but found 'DIRECTORY'", 1, 18,
  );
});

test('reports a WITH clause without parentheses and a dangling UNION', () => {
  assertSqlError(parse('WITH a AS SELECT 1'), "expected '(' but found 'SELECT'", 1, 11);
  assertSqlError(parse('SELECT a FROM t UNION'), "expected 'SELECT' but found end of input", 1, 22);
});

test('reports a window frame bound without PRECEDING or FOLLOWING', () => {
  assertSqlError(parse('SELECT sum(x) OVER (ROWS BETWEEN 1 AND 2) FROM t'), "expected 'PRECEDING' or 'FOLLOWING' but found 'AND'", 1, 36);
});

test('reports lexical errors inside a script at their position', () => {
  assertSqlError(parse("SELECT 1;\nSELECT 'abc"), 'unterminated string literal', 2, 8);
  assertSqlError(parse('SELECT `abc FROM t'), 'unterminated quoted identifier', 1, 8);
});

test('shows a long string token shortened in the message', () => {
  assertSqlError(parse(`SELECT a FROM t LIMIT '${'x'.repeat(60)}'`), `expected a row count but found '${'x'.repeat(36)}...`, 1, 23);
});

test('reports trailing tokens after a lone expression', () => {
  assert.throws(() => parseExpression('a + 1 b'), /expected end of input but found 'b'/);
});

test('formats a syntax error as file:line:col: message', () => {
  try {
    parseScript('SELECT 1;\n\nSELECT (a FROM t');
    assert.fail('no error');
  } catch (e) {
    assert.equal(formatError(e, 'job.sql'), "job.sql:3:11: expected ')' but found 'FROM'");
  }
});
