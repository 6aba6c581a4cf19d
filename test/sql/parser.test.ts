// Queries and expressions. Statements other than queries are in parser-statements.test.ts,
// errors and positions in parser-errors.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { QueryExpr, SelectCore } from '../../lib/sql/ast.js';
import { parseExpression, parseScript } from '../../lib/sql/parser.js';
import { bin, call, col, num, str, strip } from './helpers.js';

const expr = (text: string) => strip(parseExpression(text));

function query(sql: string): QueryExpr {
  const [stmt, ...rest] = parseScript(sql).statements;
  assert.equal(rest.length, 0);
  assert.equal(stmt?.kind, 'query');
  return (stmt as { query: QueryExpr }).query;
}

function select(sql: string): SelectCore {
  const q = query(sql);
  assert.equal(q.body.kind, 'select');
  return q.body as SelectCore;
}

test('parses a select list with aliases written with and without AS', () => {
  const s = select('SELECT a, b AS x, c y, `d e` `F g`, 1 + 2 FROM t');
  assert.deepEqual(strip(s.items), [
    { expr: col('a') },
    { expr: col('b'), alias: 'x' },
    { expr: col('c'), alias: 'y' },
    { expr: col('d e'), alias: 'F g' },
    { expr: bin('+', num('1'), num('2')) },
  ]);
  assert.deepEqual(strip(s.from), { kind: 'table', name: { name: 't' } });
  assert.equal(s.distinct, false);
  assert.equal(select('SELECT DISTINCT a FROM t').distinct, true);
  assert.equal(select('SELECT ALL a FROM t').distinct, false);
});

test('binds AND tighter than OR, and NOT looser than comparisons', () => {
  assert.deepEqual(expr('a OR b AND c'), bin('or', col('a'), bin('and', col('b'), col('c'))));
  assert.deepEqual(expr('NOT a = b AND c'), bin('and', { kind: 'unary', op: 'not', operand: bin('=', col('a'), col('b')) }, col('c')));
  assert.deepEqual(expr('! a'), { kind: 'unary', op: 'not', operand: col('a') });
});

test("follows Hive's arithmetic precedence: | below & below || below + below * below ^", () => {
  assert.deepEqual(
    expr("1 + 2 * 3 ^ 4 || 'a' & b | c"),
    bin('|', bin('&', bin('||', bin('+', num('1'), bin('*', num('2'), bin('^', num('3'), num('4')))), str('a')), col('b')), col('c')),
  );
  assert.deepEqual(expr('a - b - c'), bin('-', bin('-', col('a'), col('b')), col('c')));
  assert.deepEqual(expr('a DIV b % c'), bin('%', bin('div', col('a'), col('b')), col('c')));
  assert.deepEqual(expr('a + b = c * d'), bin('=', bin('+', col('a'), col('b')), bin('*', col('c'), col('d'))));
});

test('binds unary minus, plus and bitwise not tighter than any binary operator', () => {
  assert.deepEqual(expr('-a * ~b'), bin('*', { kind: 'unary', op: '-', operand: col('a') }, { kind: 'unary', op: '~', operand: col('b') }));
  assert.deepEqual(expr('- -1'), { kind: 'unary', op: '-', operand: { kind: 'unary', op: '-', operand: num('1') } });
  assert.deepEqual(expr('+a ^ 2'), bin('^', { kind: 'unary', op: '+', operand: col('a') }, num('2')));
});

test('parses every comparison operator', () => {
  for (const op of ['=', '==', '<>', '!=', '<', '<=', '>', '>=', '<=>']) {
    assert.deepEqual(expr(`a ${op} 1`), bin(op, col('a'), num('1')), op);
  }
});

test('parses IS [NOT] NULL, [NOT] LIKE / RLIKE / REGEXP and [NOT] BETWEEN', () => {
  assert.deepEqual(expr('a IS NULL'), { kind: 'isNull', expr: col('a'), not: false });
  assert.deepEqual(expr('a + 1 IS NOT NULL'), { kind: 'isNull', expr: bin('+', col('a'), num('1')), not: true });
  assert.deepEqual(expr("a NOT LIKE 'x%'"), { kind: 'like', op: 'like', expr: col('a'), pattern: str('x%'), not: true });
  assert.deepEqual(expr("a RLIKE '^x'"), { kind: 'like', op: 'rlike', expr: col('a'), pattern: str('^x'), not: false });
  assert.deepEqual(expr("a regexp 'y'"), { kind: 'like', op: 'regexp', expr: col('a'), pattern: str('y'), not: false });
  assert.deepEqual(
    expr('a NOT BETWEEN 1 AND 2 AND b'),
    bin('and', { kind: 'between', expr: col('a'), low: num('1'), high: num('2'), not: true }, col('b')),
  );
});

test('parses IN with a list or a subquery, and EXISTS / NOT EXISTS', () => {
  assert.deepEqual(expr('a IN (1, 2)'), { kind: 'in', expr: col('a'), list: [num('1'), num('2')], not: false });
  const sub = parseExpression('a NOT IN (SELECT b FROM t)');
  assert.equal(sub.kind, 'in');
  assert.ok(sub.kind === 'in' && sub.not && sub.query?.body.kind === 'select' && !sub.list);
  const ex = parseExpression('NOT EXISTS (SELECT 1 FROM t WHERE t.a = b)');
  assert.ok(ex.kind === 'exists' && ex.not);
  assert.deepEqual(ex.pos, { line: 1, col: 1, offset: 0 });
  const ex2 = parseExpression('EXISTS (SELECT 1)');
  assert.ok(ex2.kind === 'exists' && !ex2.not);
});

test('keeps number literals as written and concatenates adjacent strings', () => {
  assert.deepEqual(expr('10L'), num('10L'));
  assert.deepEqual(expr('1.5e-3'), num('1.5e-3'));
  assert.deepEqual(expr("'a' \"b\"\n 'c'"), str('abc'));
  assert.deepEqual(expr('TRUE'), { kind: 'literal', type: 'boolean', value: true });
  assert.deepEqual(expr('false'), { kind: 'literal', type: 'boolean', value: false });
  assert.deepEqual(expr('NULL'), { kind: 'literal', type: 'null', value: null });
});

test('parses DATE and TIMESTAMP literals and INTERVAL in its spellings', () => {
  assert.deepEqual(expr("DATE '2024-01-01'"), { kind: 'literal', type: 'date', value: '2024-01-01' });
  assert.deepEqual(expr("timestamp '2024-01-01 10:00:00'"), { kind: 'literal', type: 'timestamp', value: '2024-01-01 10:00:00' });
  assert.deepEqual(expr("INTERVAL '1' DAY"), { kind: 'interval', value: str('1'), unit: 'day' });
  assert.deepEqual(expr('INTERVAL 2 MONTHS'), { kind: 'interval', value: num('2'), unit: 'month' });
  assert.deepEqual(expr('INTERVAL (n + 1) HOUR'), { kind: 'interval', value: bin('+', col('n'), num('1')), unit: 'hour' });
  assert.deepEqual(expr("d + INTERVAL '30' SECOND"), bin('+', col('d'), { kind: 'interval', value: str('30'), unit: 'second' }));
});

test('parses column references of one, two and three parts', () => {
  assert.deepEqual(expr('a'), col('a'));
  assert.deepEqual(expr('T.A'), col('t', 'a'));
  assert.deepEqual(expr('db.t.a'), col('db', 't', 'a'));
  assert.deepEqual(expr('t.`Odd Name`'), col('t', 'Odd Name'));
});

test('accepts common keywords as unquoted column names', () => {
  const names = ['date', 'key', 'value', 'timestamp', 'user', 'comment', 'location', 'data', 'type', 'div', 'minus', 'interval', 'partition', 'left'];
  const s = select(`SELECT ${names.join(', ')} FROM t WHERE date = '2024-01-01' AND key > value`);
  assert.deepEqual(strip(s.items.map((i) => i.expr)), names.map((n) => col(n)));
  assert.deepEqual(strip(s.where), bin('and', bin('=', col('date'), str('2024-01-01')), bin('>', col('key'), col('value'))));
  assert.deepEqual(expr('t.date'), col('t', 'date'));
  assert.deepEqual(expr('s.end'), col('s', 'end'));
});

test('parses function calls with star, DISTINCT, dotted names and IF', () => {
  assert.deepEqual(expr('count(*)'), { ...call('count'), star: true });
  assert.deepEqual(expr('COUNT(DISTINCT a, b)'), { ...call('count', col('a'), col('b')), distinct: true });
  assert.deepEqual(expr('MyDb.My_Fn(1)'), call('mydb.my_fn', num('1')));
  assert.deepEqual(expr("if(a > 0, 'p', 'n')"), call('if', bin('>', col('a'), num('0')), str('p'), str('n')));
  assert.deepEqual(expr('now()'), call('now'));
  assert.deepEqual(expr('current_date'), call('current_date'));
  assert.deepEqual(expr('regexp(a, b)'), call('regexp', col('a'), col('b')));
  assert.deepEqual(expr('EXTRACT(week FROM ts)'), call('weekofyear', col('ts')));
});

test('parses window calls with PARTITION BY, ORDER BY and frames', () => {
  const e = parseExpression('sum(x) OVER (PARTITION BY a, b ORDER BY c DESC ROWS BETWEEN UNBOUNDED PRECEDING AND 1 FOLLOWING)');
  assert.ok(e.kind === 'call');
  assert.deepEqual(strip(e.over), {
    partitionBy: [col('a'), col('b')],
    orderBy: [{ expr: col('c'), desc: true }],
    frame: { unit: 'rows', start: { kind: 'unboundedPreceding' }, end: { kind: 'following', offset: num('1') } },
  });
  const r = parseExpression('avg(x) OVER (ORDER BY d RANGE 3 PRECEDING)');
  assert.ok(r.kind === 'call');
  assert.deepEqual(strip(r.over?.frame), { unit: 'range', start: { kind: 'preceding', offset: num('3') }, end: { kind: 'currentRow' } });
  const h = parseExpression('rank() OVER (DISTRIBUTE BY a SORT BY b)');
  assert.ok(h.kind === 'call');
  assert.deepEqual(strip(h.over), { partitionBy: [col('a')], orderBy: [{ expr: col('b'), desc: false }] });
});

test('parses references to named windows, refined or not', () => {
  const s = select('SELECT rank() OVER w, sum(x) OVER (w ROWS 2 PRECEDING) FROM t WINDOW w AS (PARTITION BY a ORDER BY b)');
  const [first, second] = s.items.map((i) => i.expr);
  assert.ok(first?.kind === 'call' && second?.kind === 'call');
  assert.deepEqual(strip(first.over), { ref: 'w', partitionBy: [], orderBy: [] });
  assert.deepEqual(strip(second.over), {
    ref: 'w', partitionBy: [], orderBy: [],
    frame: { unit: 'rows', start: { kind: 'preceding', offset: num('2') }, end: { kind: 'currentRow' } },
  });
  assert.deepEqual(strip(s.windows), [{ name: 'w', spec: { partitionBy: [col('a')], orderBy: [{ expr: col('b'), desc: false }] } }]);
});

test('parses CASE with and without an operand', () => {
  assert.deepEqual(expr("CASE WHEN a > 1 THEN 'x' WHEN a > 0 THEN 'y' ELSE 'z' END"), {
    kind: 'case',
    whens: [{ when: bin('>', col('a'), num('1')), then: str('x') }, { when: bin('>', col('a'), num('0')), then: str('y') }],
    else: str('z'),
  });
  assert.deepEqual(expr('CASE a WHEN 1 THEN 2 END'), { kind: 'case', operand: col('a'), whens: [{ when: num('1'), then: num('2') }] });
});

test('parses CAST to primitive and nested complex types', () => {
  assert.deepEqual(expr('CAST(a AS BIGINT)'), { kind: 'cast', expr: col('a'), type: { kind: 'primitive', name: 'bigint' } });
  assert.deepEqual(expr('cast(a as decimal(10, 2))'), {
    kind: 'cast', expr: col('a'), type: { kind: 'primitive', name: 'decimal', precision: 10, scale: 2 },
  });
  assert.deepEqual(strip(parseExpression('CAST(m AS map<string,array<struct<a:int,`B`:varchar(5)>>>)')), {
    kind: 'cast', expr: col('m'),
    type: {
      kind: 'map', key: { kind: 'primitive', name: 'string' },
      value: {
        kind: 'array',
        element: {
          kind: 'struct',
          fields: [
            { name: 'a', type: { kind: 'primitive', name: 'int' } },
            { name: 'B', type: { kind: 'primitive', name: 'varchar', length: 5 } },
          ],
        },
      },
    },
  });
});

test('parses index and field postfixes after any primary', () => {
  assert.deepEqual(expr("m['k']"), { kind: 'index', expr: col('m'), index: str('k') });
  assert.deepEqual(expr('arr[0].f'), { kind: 'field', expr: { kind: 'index', expr: col('arr'), index: num('0') }, field: 'f' });
  assert.deepEqual(expr('named_struct(1, 2).a'), { kind: 'field', expr: call('named_struct', num('1'), num('2')), field: 'a' });
  assert.deepEqual(expr('a[1][2]'), { kind: 'index', expr: { kind: 'index', expr: col('a'), index: num('1') }, index: num('2') });
});

test('parses scalar subqueries and tells them from parenthesised expressions', () => {
  const e = parseExpression('(SELECT max(a) FROM t) + 1');
  assert.ok(e.kind === 'binary' && e.left.kind === 'subquery');
  assert.deepEqual(expr('((a + b) * c)'), bin('*', bin('+', col('a'), col('b')), col('c')));
  const u = parseExpression('((SELECT 1) UNION ALL (SELECT 2))');
  assert.ok(u.kind === 'subquery' && u.query.body.kind === 'setop' && u.query.body.all);
});

test('parses *, t.* and AS (a, b) select items', () => {
  const s = select('SELECT *, t.*, db.t.*, explode(m) AS (k, v) FROM t');
  assert.deepEqual(strip(s.items), [
    { expr: { kind: 'star' } },
    { expr: { kind: 'star', qualifier: ['t'] } },
    { expr: { kind: 'star', qualifier: ['db', 't'] } },
    { expr: call('explode', col('m')), aliases: ['k', 'v'] },
  ]);
});

test('parses every join type with ON or USING', () => {
  const types: [string, string][] = [
    ['JOIN', 'inner'], ['INNER JOIN', 'inner'], ['LEFT JOIN', 'left'], ['LEFT OUTER JOIN', 'left'],
    ['RIGHT OUTER JOIN', 'right'], ['RIGHT JOIN', 'right'], ['FULL OUTER JOIN', 'full'], ['FULL JOIN', 'full'],
    ['LEFT SEMI JOIN', 'leftSemi'], ['LEFT ANTI JOIN', 'leftAnti'],
  ];
  for (const [sql, type] of types) {
    assert.deepEqual(strip(select(`SELECT * FROM a x ${sql} b AS y ON x.id = y.id`).from), {
      kind: 'join', type,
      left: { kind: 'table', name: { name: 'a' }, alias: 'x' },
      right: { kind: 'table', name: { name: 'b' }, alias: 'y' },
      on: bin('=', col('x', 'id'), col('y', 'id')),
    }, sql);
  }
  assert.deepEqual(strip(select('SELECT * FROM a CROSS JOIN b').from), {
    kind: 'join', type: 'cross', left: { kind: 'table', name: { name: 'a' } }, right: { kind: 'table', name: { name: 'b' } },
  });
  assert.deepEqual(strip(select('SELECT * FROM a JOIN b USING (id, ds)').from), {
    kind: 'join', type: 'inner', left: { kind: 'table', name: { name: 'a' } }, right: { kind: 'table', name: { name: 'b' } }, using: ['id', 'ds'],
  });
});

test('chains joins to the left and treats commas as cross joins in the same chain', () => {
  const from = select('SELECT * FROM a, b JOIN c ON b.k = c.k LEFT JOIN db.d ON d.k = a.k').from;
  assert.ok(from?.kind === 'join' && from.type === 'left');
  assert.deepEqual(strip(from.right), { kind: 'table', name: { db: 'db', name: 'd' } });
  assert.ok(from.left.kind === 'join' && from.left.type === 'inner');
  assert.ok(from.left.left.kind === 'join' && from.left.left.type === 'cross');
  assert.deepEqual(strip(from.left.left.right), { kind: 'table', name: { name: 'b' } });
});

test('attaches each lateral view to the FROM item before it', () => {
  const from = select(
    'SELECT * FROM t LATERAL VIEW explode(arr) e AS x LATERAL VIEW OUTER posexplode(m) p AS i, v JOIN u ON u.x = x',
  ).from;
  assert.ok(from?.kind === 'join');
  assert.deepEqual(strip(from.left), {
    kind: 'lateralView',
    input: {
      kind: 'lateralView', input: { kind: 'table', name: { name: 't' } }, outer: false,
      func: call('explode', col('arr')), tableAlias: 'e', columnAliases: ['x'],
    },
    outer: true, func: call('posexplode', col('m')), tableAlias: 'p', columnAliases: ['i', 'v'],
  });
  const after = select('SELECT * FROM a JOIN b ON a.k = b.k LATERAL VIEW explode(b.arr) e').from;
  assert.ok(after?.kind === 'lateralView' && after.input.kind === 'join' && after.columnAliases.length === 0);
});

test('parses subqueries in FROM with or without an alias, and TABLESAMPLE', () => {
  const s = select('SELECT * FROM (SELECT a FROM t) sub JOIN (SELECT b FROM u) ON TRUE');
  assert.ok(s.from?.kind === 'join' && s.from.left.kind === 'subquery' && s.from.right.kind === 'subquery');
  assert.equal(s.from.left.alias, 'sub');
  assert.equal(s.from.right.alias, undefined);
  const nested = select('SELECT * FROM ((SELECT 1 a) UNION ALL (SELECT 2 a)) AS u').from;
  assert.ok(nested?.kind === 'subquery' && nested.alias === 'u' && nested.query.body.kind === 'setop');
  assert.deepEqual(strip(select('SELECT * FROM t TABLESAMPLE(BUCKET 3 OUT OF 32 ON id) s').from), {
    kind: 'table', name: { name: 't' }, alias: 's', sample: { bucket: 3, outOf: 32, on: col('id') },
  });
});

test('parses the GROUP BY forms: plain, WITH ROLLUP / CUBE, ROLLUP(), CUBE() and GROUPING SETS', () => {
  const g = (sql: string) => strip(select(`SELECT count(*) FROM t GROUP BY ${sql}`).groupBy);
  assert.deepEqual(g('a, b + 1'), { exprs: [col('a'), bin('+', col('b'), num('1'))], rollup: false, cube: false });
  assert.deepEqual(g('a, b WITH ROLLUP'), { exprs: [col('a'), col('b')], rollup: true, cube: false });
  assert.deepEqual(g('a, b WITH CUBE'), { exprs: [col('a'), col('b')], rollup: false, cube: true });
  assert.deepEqual(g('ROLLUP(a, b)'), { exprs: [col('a'), col('b')], rollup: true, cube: false });
  assert.deepEqual(g('CUBE (a, b)'), { exprs: [col('a'), col('b')], rollup: false, cube: true });
  assert.deepEqual(g('GROUPING SETS ((a, b), a, ())'), {
    exprs: [col('a'), col('b')], groupingSets: [[col('a'), col('b')], [col('a')], []], rollup: false, cube: false,
  });
  assert.deepEqual(g('a, b GROUPING SETS ((a, b), (b))'), {
    exprs: [col('a'), col('b')], groupingSets: [[col('a'), col('b')], [col('b')]], rollup: false, cube: false,
  });
});

test('parses WHERE, HAVING and QUALIFY in their places', () => {
  const s = select('SELECT a, count(*) c FROM t WHERE a > 0 GROUP BY a HAVING count(*) > 1 QUALIFY row_number() OVER (ORDER BY a) = 1');
  assert.deepEqual(strip(s.where), bin('>', col('a'), num('0')));
  assert.deepEqual(strip(s.having), bin('>', { ...call('count'), star: true }, num('1')));
  assert.ok(s.qualify?.kind === 'binary' && s.qualify.left.kind === 'call' && s.qualify.left.over);
});

test('parses the query tail: ORDER BY with NULLS, CLUSTER / DISTRIBUTE / SORT BY and LIMIT', () => {
  const q = query('SELECT a FROM t ORDER BY a DESC NULLS FIRST, b ASC NULLS LAST, c LIMIT 10 OFFSET 5');
  assert.deepEqual(strip(q.orderBy), [
    { expr: col('a'), desc: true, nulls: 'first' },
    { expr: col('b'), desc: false, nulls: 'last' },
    { expr: col('c'), desc: false },
  ]);
  assert.equal(q.limit, 10);
  assert.equal(q.offset, 5);
  const h = query('SELECT a FROM t DISTRIBUTE BY a SORT BY b DESC LIMIT 3, 7');
  assert.deepEqual(strip(h.distributeBy), [col('a')]);
  assert.deepEqual(strip(h.sortBy), [{ expr: col('b'), desc: true }]);
  assert.equal(h.offset, 3);
  assert.equal(h.limit, 7);
  assert.deepEqual(strip(query('SELECT a FROM t CLUSTER BY a, b').clusterBy), [col('a'), col('b')]);
});

test('makes set operations left-associative with INTERSECT binding tighter', () => {
  const q = query('SELECT 1 UNION SELECT 2 EXCEPT SELECT 3 INTERSECT ALL SELECT 4 UNION ALL SELECT 5 MINUS SELECT 6');
  const shape = (e: unknown): unknown => {
    const n = e as { kind: string; op?: string; all?: boolean; left?: unknown; right?: unknown; items?: { expr: { value: string } }[] };
    if (n.kind === 'select') return n.items![0]!.expr.value;
    return [shape(n.left), `${n.op}${n.all ? ' all' : ''}`, shape(n.right)];
  };
  assert.deepEqual(shape(q.body), [[[['1', 'union', '2'], 'except', ['3', 'intersect all', '4']], 'union all', '5'], 'except', '6']);
  assert.equal(query('SELECT 1 UNION DISTINCT SELECT 2').body.kind, 'setop');
});

test('parses parenthesised set operands as nested queries with their own tails', () => {
  const q = query('(SELECT a FROM t ORDER BY a LIMIT 1) UNION ALL (SELECT b FROM u) ORDER BY 1');
  assert.ok(q.body.kind === 'setop' && q.body.left.kind === 'nested' && q.body.right.kind === 'nested');
  assert.equal(q.body.left.query.limit, 1);
  assert.equal(q.orderBy.length, 1);
});

test('parses WITH clauses, with and without column lists, including nested WITH', () => {
  const q = query('WITH a AS (SELECT 1 x), b (y) AS (WITH c AS (SELECT 2) SELECT * FROM c) SELECT * FROM a, b');
  assert.deepEqual(q.with.map((c) => [c.name, c.columns]), [['a', undefined], ['b', ['y']]]);
  assert.equal(q.with[1]!.query.with[0]!.name, 'c');
});

test('parses VALUES as a query body', () => {
  const q = query("VALUES (1, 'a'), (2, 'b')");
  assert.deepEqual(strip(q.body), { kind: 'values', rows: [[num('1'), str('a')], [num('2'), str('b')]] });
});

test('parses the FROM-first form of a single select as an ordinary query', () => {
  const q = query('FROM src s SELECT s.a WHERE s.b > 1 ORDER BY s.a');
  assert.ok(q.body.kind === 'select');
  assert.deepEqual(strip(q.body.from), { kind: 'table', name: { name: 'src' }, alias: 's' });
  assert.deepEqual(strip(q.body.where), bin('>', col('s', 'b'), num('1')));
  assert.equal(q.orderBy.length, 1);
  assert.deepEqual(q.pos, { line: 1, col: 1, offset: 0 });
});

test('keeps DIV and MINUS operators only in operator positions', () => {
  assert.deepEqual(expr('div div 2'), bin('div', col('div'), num('2')));
  const q = query('SELECT minus FROM t MINUS SELECT 1');
  assert.ok(q.body.kind === 'setop' && q.body.op === 'except' && q.body.left.kind === 'select');
  assert.deepEqual(strip(q.body.left.items[0]!.expr), col('minus'));
  assert.equal((q.body.left.from as { alias?: string }).alias, undefined);
});

test('gives every node the position of its first token', () => {
  const q = query('SELECT\n  a + b AS s,\n  f(x)\nFROM db.t t1\nJOIN u ON t1.k = u.k');
  const s = q.body as SelectCore;
  assert.deepEqual(s.pos, { line: 1, col: 1, offset: 0 });
  const [sum, fn] = s.items;
  assert.deepEqual(sum!.pos, { line: 2, col: 3, offset: 9 });
  assert.ok(sum!.expr.kind === 'binary');
  assert.deepEqual(sum!.expr.pos, sum!.pos);
  assert.deepEqual(sum!.expr.right.pos, { line: 2, col: 7, offset: 13 });
  assert.deepEqual(fn!.expr.pos, { line: 3, col: 3, offset: 23 });
  assert.ok(s.from?.kind === 'join' && s.from.left.kind === 'table' && s.from.right.kind === 'table');
  assert.deepEqual(s.from.left.pos, { line: 4, col: 6, offset: 33 });
  assert.deepEqual(s.from.left.name.pos, s.from.left.pos);
  assert.deepEqual(s.from.right.pos, { line: 5, col: 6, offset: 46 });
  assert.deepEqual(s.from.pos, s.from.left.pos);
});
