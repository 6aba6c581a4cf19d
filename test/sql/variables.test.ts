import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatError } from '../../lib/common/errors.js';
import { parseScript } from '../../lib/sql/parser.js';
import { substituteVariables } from '../../lib/sql/variables.js';
import { assertSqlError } from './helpers.js';

test('replaces ${name}, ${hivevar:name} and ${hiveconf:name} from the variables given', () => {
  const vars = { ds: '2024-01-01', tbl: 'sales', 'hiveconf:mode': 'strict' };
  assert.equal(
    substituteVariables("SELECT * FROM ${tbl} WHERE ds = '${hivevar:ds}' -- ok\nAND m = '${hiveconf:mode}' AND x = ${ds}", vars),
    "SELECT * FROM sales WHERE ds = '2024-01-01' -- ok\nAND m = 'strict' AND x = 2024-01-01",
  );
});

test('prefers the namespaced variable over the bare one', () => {
  const vars = { x: 'bare', 'hivevar:x': 'var', 'hiveconf:x': 'conf' };
  assert.equal(substituteVariables('${x} ${hivevar:x} ${hiveconf:x}', vars), 'bare var conf');
  assert.equal(substituteVariables('${y}', { 'hivevar:y': 'v' }), 'v');
});

test('reads ${env:NAME} from the environment', () => {
  process.env.SHOAL_TEST_VARIABLE = 'from-env';
  try {
    assert.equal(substituteVariables("SELECT '${env:SHOAL_TEST_VARIABLE}'", {}), "SELECT 'from-env'");
  } finally {
    delete process.env.SHOAL_TEST_VARIABLE;
  }
});

test('substitutes inside string literals and backquoted names', () => {
  assert.equal(substituteVariables("SELECT `${c}` FROM t WHERE a = \"${v}\" OR b = '\\'${v}'", { c: 'col', v: 'val' }),
    "SELECT `col` FROM t WHERE a = \"val\" OR b = '\\'val'");
});

test('substitutes variables whose values name other variables', () => {
  assert.equal(substituteVariables('${a}', { a: '${b}-${b}', b: 'x' }), 'x-x');
});

test('leaves comments, lone dollars and unclosed references alone', () => {
  const text = '-- uses ${gone}\n/* and ${gone} */ SELECT $x, \'${\', 1';
  assert.equal(substituteVariables(text, {}), text);
});

test('reports an undefined variable by name at its line and column', () => {
  assertSqlError(() => substituteVariables('SELECT 1;\nSELECT a\n  FROM ${hivevar:tbl}', {}), 'undefined variable ${hivevar:tbl}', 3, 8);
});

test('attaches the file name to an undefined-variable error', () => {
  try {
    substituteVariables('\n\n   ${nope}', {}, 'jobs/daily.sql');
    assert.fail('no error');
  } catch (e) {
    assert.equal(formatError(e), 'jobs/daily.sql:3:4: undefined variable ${nope}');
  }
});

test('reports a variable that refers to itself instead of looping', () => {
  assertSqlError(() => substituteVariables('x ${a}', { a: 'y${a}' }), 'variable ${a} expands recursively more than 40 levels', 1, 3);
});

test('keeps later error lines where they were when values have no newline', () => {
  const text = "SET d=${ds};\nSELECT *\nFROM ${db}.t WHERE ds = '${ds}' AND (a FROM";
  const substituted = substituteVariables(text, { ds: '2024-01-01', db: 'warehouse' });
  assertSqlError(() => parseScript(substituted), "expected ')' but found 'FROM'", 3, 49);
  assert.deepEqual(
    parseScript(substituted.replace(' AND (a FROM', '')).statements.map((s) => s.text),
    ['SET d=2024-01-01', "SELECT *\nFROM warehouse.t WHERE ds = '2024-01-01'"],
  );
});
