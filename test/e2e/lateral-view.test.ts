// LATERAL VIEW and table-generating functions: Shoal against DuckDB over a Parquet table
// with arrays, maps and arrays of structs (NULL and empty ones included). The DuckDB side
// spells out Hive's semantics independently of how Shoal renders them.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareSuite, MULTI_TASK, type Case } from './compare.js';

const NESTED = `SELECT i AS id,
  CASE WHEN i % 7 = 0 THEN NULL WHEN i % 5 = 0 THEN CAST([] AS VARCHAR[]) WHEN i % 11 = 0 THEN ['t1', NULL] ELSE ['t' || (i % 3), 't' || (i % 4), 'u' || (i % 2)] END AS tags,
  CASE WHEN i % 6 = 0 THEN NULL WHEN i % 4 = 0 THEN CAST(map([], []) AS MAP(VARCHAR, INTEGER)) ELSE CAST(map(['a', 'b'], [i, i * 2]) AS MAP(VARCHAR, INTEGER)) END AS scores,
  CASE WHEN i % 9 = 0 THEN NULL ELSE [{'name': 'n' || i, 'qty': i % 3}, {'name': NULL, 'qty': NULL}] END AS items,
  CASE WHEN i % 8 = 0 THEN 'not json' WHEN i % 5 = 0 THEN NULL ELSE '{"a":' || i || ',"b":"x' || i || '","c":{"d":[1,2]}}' END AS js
FROM range(1, 80) AS r(i)`;

const CASES: readonly Case[] = [
  { name: 'explode of an array gives one row per element; NULL and empty arrays give none', sql: 'SELECT id, t FROM nested LATERAL VIEW explode(tags) x AS t', duck: 'SELECT id, unnest(tags) FROM nested' },
  { name: 'LATERAL VIEW OUTER keeps a row with NULL for a NULL or empty array', sql: 'SELECT id, t FROM nested LATERAL VIEW OUTER explode(tags) x AS t', duck: 'SELECT id, unnest(tags) FROM nested UNION ALL SELECT id, NULL FROM nested WHERE tags IS NULL OR len(tags) = 0', settings: MULTI_TASK },
  { name: 'explode of a map gives key and value columns', sql: 'SELECT id, k, v FROM nested LATERAL VIEW explode(scores) m AS k, v', duck: 'SELECT id, e.key, e.value FROM (SELECT id, unnest(map_entries(scores)) AS e FROM nested)' },
  { name: "explode of a map without column aliases names them key and value, qualified by the view's alias", sql: 'SELECT id, m.key, m.value FROM nested LATERAL VIEW explode(scores) m WHERE m.value > 50', duck: 'SELECT id, e.key, e.value FROM (SELECT id, unnest(map_entries(scores)) AS e FROM nested) WHERE e.value > 50' },
  { name: 'posexplode numbers elements from 0', sql: 'SELECT id, p, t FROM nested LATERAL VIEW posexplode(tags) x AS p, t', duck: 'SELECT id, generate_subscripts(tags, 1) - 1, unnest(tags) FROM nested' },
  { name: 'inline turns an array of structs into rows of its fields', sql: 'SELECT id, name, qty FROM nested LATERAL VIEW inline(items) s AS name, qty', duck: 'SELECT id, s.name, s.qty FROM (SELECT id, unnest(items) AS s FROM nested)' },
  { name: 'json_tuple prints values as Jackson reads them (1.50 → 1.5, nested JSON compact, a JSON null as NULL); a root that is not an object gives NULLs', sql: "SELECT key, a, b, c FROM src LATERAL VIEW json_tuple(IF(key < 100, concat('{\"a\":', key, '.50,\"b\":{\"x\": [', key, ', 2e1]},\"c\":null}'), concat('[', key, ']')), 'a', 'b', 'c') j AS a, b, c WHERE key < 200",
    duck: "SELECT key, CASE WHEN key < 100 THEN key || '.5' END, CASE WHEN key < 100 THEN '{\"x\":[' || key || ',20.0]}' END, CAST(NULL AS VARCHAR) FROM src WHERE key < 200" },
  { name: 'json_tuple extracts top-level keys as strings; not-JSON text gives NULLs', sql: "SELECT id, a, b, c, d FROM nested LATERAL VIEW json_tuple(js, 'a', 'b', 'c', 'missing') j AS a, b, c, d", duck: "SELECT id, CASE WHEN json_valid(js) THEN js->>'$.a' END, CASE WHEN json_valid(js) THEN js->>'$.b' END, CASE WHEN json_valid(js) THEN js->>'$.c' END, CAST(NULL AS VARCHAR) FROM nested" },
  { name: 'two lateral views in a row make the cross product per input row', sql: 'SELECT id, t, k FROM nested LATERAL VIEW explode(tags) x AS t LATERAL VIEW explode(scores) y AS k, v WHERE id < 40', duck: 'SELECT id, t, e.key FROM (SELECT id, unnest(tags) AS t, scores FROM nested WHERE id < 40) a, (SELECT unnest(map_entries(a.scores)) AS e)' },
  { name: 'a lateral view feeding GROUP BY across the shuffle', sql: 'SELECT t, count(*), sum(id) FROM nested LATERAL VIEW explode(tags) x AS t GROUP BY t', duck: 'SELECT t, count(*), sum(id) FROM (SELECT id, unnest(tags) AS t FROM nested) GROUP BY t', settings: MULTI_TASK },
  { name: 'a WHERE on the input and on the generated column', sql: "SELECT id, t FROM nested LATERAL VIEW explode(tags) x AS t WHERE id % 2 = 0 AND t LIKE 't%'", duck: "SELECT id, t FROM (SELECT id, unnest(tags) AS t FROM nested WHERE id % 2 = 0) WHERE t LIKE 't%'" },
  { name: 'explode alone in the select list', sql: 'SELECT explode(tags) AS t FROM nested WHERE id > 10', duck: 'SELECT unnest(tags) FROM nested WHERE id > 10' },
  { name: 'explode of a map alone in the select list with two aliases', sql: 'SELECT explode(scores) AS (k, v) FROM nested', duck: 'SELECT e.key, e.value FROM (SELECT unnest(map_entries(scores)) AS e FROM nested)' },
  { name: 'posexplode alone in the select list keeps Hive names pos and val', sql: 'SELECT posexplode(tags) FROM nested', duck: 'SELECT generate_subscripts(tags, 1) - 1, unnest(tags) FROM nested' },
  { name: 'a lateral view over a join, with a window on top', sql: 'SELECT n.id, t, u.country, count(*) OVER (PARTITION BY t) FROM nested n JOIN users u ON n.id = u.user_id LATERAL VIEW explode(n.tags) x AS t', duck: 'SELECT id, t, country, count(*) OVER (PARTITION BY t) FROM (SELECT n.id, unnest(n.tags) AS t, u.country FROM nested n JOIN users u ON n.id = u.user_id)', settings: MULTI_TASK },
];

// A text table with collections in Hive's LazySimpleSerDe encoding ('\002' between items,
// '\003' between a key and its value, '\\N' for NULL), and the same values as DuckDB literals.
const TEXT_ROWS = Array.from({ length: 40 }, (_, n) => {
  const i = n + 1;
  const arr = i % 6 === 0 ? null : i % 5 === 0 ? [] : [`a${i % 3}`, i % 4 === 0 ? null : `b${i % 2}`];
  const map = i % 7 === 0 ? null : [['x', i], ['y', i % 3 === 0 ? null : i * 2]] as const;
  return { i, arr, map };
});
const hiveText = TEXT_ROWS.map(({ i, arr, map }) => [
  String(i),
  arr === null ? '\\N' : arr.map((x) => x ?? '\\N').join('\u0002'),
  map === null ? '\\N' : map.map(([k, v]) => `${k}\u0003${v ?? '\\N'}`).join('\u0002'),
].join('\u0001')).join('\n') + '\n';
const sqlStr = (x: string | null) => (x === null ? 'NULL' : `'${x}'`);
const duckValues = TEXT_ROWS.map(({ i, arr, map }) => `(${i}, ${arr === null ? 'NULL' : `CAST([${arr.map(sqlStr).join(', ')}] AS VARCHAR[])`}, ${map === null ? 'NULL' : `CAST(MAP {${map.map(([k, v]) => `'${k}': ${v ?? 'NULL'}`).join(', ')}} AS MAP(VARCHAR, INTEGER))`})`).join(', ');

const TEXT_CASES: readonly Case[] = [
  { name: 'explode over an ARRAY column of a text table (items split on \\002, \\N is NULL)', sql: 'SELECT id, x FROM textcoll LATERAL VIEW OUTER explode(arr) t AS x', duck: 'SELECT id, unnest(arr) FROM textcoll UNION ALL SELECT id, NULL FROM textcoll WHERE arr IS NULL OR len(arr) = 0' },
  { name: 'explode over a MAP column of a text table (keys split on \\003)', sql: 'SELECT id, k, v FROM textcoll LATERAL VIEW explode(m) t AS k, v', duck: 'SELECT id, e.key, e.value FROM (SELECT id, unnest(map_entries(m)) AS e FROM textcoll)' },
];

compareSuite('lateral views: Shoal against DuckDB', [...CASES, ...TEXT_CASES], {
  async setup(shoal, ref, dir) {
    await writeFile(join(dir, 'textcoll.txt'), hiveText);
    await ref.exec(`CREATE TABLE textcoll AS SELECT * FROM (VALUES ${duckValues}) AS t(id, arr, m)`);
    await shoal.run(`CREATE TABLE textcoll (id INT, arr ARRAY<STRING>, m MAP<STRING,INT>);
      LOAD DATA LOCAL INPATH '${join(dir, 'textcoll.txt')}' INTO TABLE textcoll;`);
    const file = join(dir, 'nested.parquet');
    await ref.exec(`COPY (${NESTED}) TO '${file}' (FORMAT parquet)`);
    await ref.exec(`CREATE TABLE nested AS SELECT * FROM read_parquet('${file}')`);
    await shoal.run(`CREATE TABLE nested (id INT, tags ARRAY<STRING>, scores MAP<STRING,INT>, items ARRAY<STRUCT<name:STRING,qty:INT>>, js STRING) STORED AS PARQUET;
      LOAD DATA LOCAL INPATH '${file}' INTO TABLE nested;`);
  },
  extra(env) {
    test('a table-generating function with other select items is rejected with a hint', async () => {
      await assert.rejects(env().shoal.query('SELECT id, explode(tags) FROM nested'), /must be the only expression in the select list; use LATERAL VIEW/);
    });
    test('the wrong number of column aliases is reported', async () => {
      await assert.rejects(env().shoal.query('SELECT * FROM nested LATERAL VIEW explode(scores) m AS k'), /produces 2 columns \(key, value\), but 1 alias was given/);
    });
  },
});
