// GROUPING SETS, ROLLUP, CUBE, GROUPING__ID and grouping(): Shoal against DuckDB. Hive
// 2.3+ numbers GROUPING__ID like the SQL standard's GROUPING_ID (DuckDB's multi-argument
// grouping()): first GROUP BY expression the most significant bit, 1 = not in the set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareSuite, MULTI_TASK, type Case } from './compare.js';

const CASES: readonly Case[] = [
  { name: 'WITH ROLLUP adds the prefix groupings and the grand total, keys outside the set NULL', sql: 'SELECT key % 5, key % 3, count(*), sum(key) FROM src GROUP BY key % 5, key % 3 WITH ROLLUP', duck: 'SELECT key % 5, key % 3, count(*), sum(key) FROM src GROUP BY ROLLUP (key % 5, key % 3)', settings: MULTI_TASK },
  { name: 'WITH CUBE groups by every subset of the keys', sql: 'SELECT kind, user_id IS NULL, count(*), avg(amount), max(score) FROM events GROUP BY kind, user_id IS NULL WITH CUBE', duck: 'SELECT kind, user_id IS NULL, count(*), avg(amount), max(score) FROM events GROUP BY CUBE (kind, user_id IS NULL)', settings: MULTI_TASK },
  { name: 'GROUPING SETS with a single key, a pair and the empty set', sql: 'SELECT ds, hr, count(*), min(value) FROM srcpart GROUP BY ds, hr GROUPING SETS ((ds), (ds, hr), ())', duck: 'SELECT ds, hr, count(*), min(value) FROM srcpart GROUP BY GROUPING SETS ((ds), (ds, hr), ())', settings: MULTI_TASK },
  { name: 'GROUPING SETS written without the GROUP BY list', sql: 'SELECT country, name IS NULL, count(*) FROM users GROUP BY GROUPING SETS (country, (country, name IS NULL))', duck: 'SELECT country, name IS NULL, count(*) FROM users GROUP BY GROUPING SETS ((country), (country, name IS NULL))' },
  { name: "GROUPING__ID has Hive 2.3+'s bit order (first key most significant, 1 = aggregated)", sql: 'SELECT key % 2, key % 3, key % 5, GROUPING__ID, count(*) FROM src GROUP BY key % 2, key % 3, key % 5 WITH CUBE', duck: 'SELECT key % 2, key % 3, key % 5, grouping(key % 2, key % 3, key % 5), count(*) FROM src GROUP BY CUBE (key % 2, key % 3, key % 5)', settings: MULTI_TASK },
  { name: 'grouping(col) is 1 where the column is aggregated away, telling a NULL key from a rolled-up one', sql: 'SELECT kind, grouping(kind), grouping(user_id), count(*) FROM events GROUP BY kind, user_id WITH ROLLUP', duck: 'SELECT kind, grouping(kind), grouping(user_id), count(*) FROM events GROUP BY ROLLUP (kind, user_id)' },
  { name: 'grouping() with several arguments', sql: 'SELECT kind, country, grouping(kind, country), grouping(country, kind) FROM events e JOIN users u ON e.user_id = u.user_id GROUP BY kind, country WITH CUBE', duck: 'SELECT kind, country, grouping(kind, country), grouping(country, kind) FROM events e JOIN users u ON e.user_id = u.user_id GROUP BY CUBE (kind, country)' },
  { name: 'HAVING filters on GROUPING__ID and on a key', sql: 'SELECT key % 4 AS k, value > \'val_5\' AS v, count(*) FROM src GROUP BY key % 4, value > \'val_5\' WITH ROLLUP HAVING GROUPING__ID > 0 AND (key % 4 IS NULL OR key % 4 < 3)', duck: 'SELECT key % 4 AS k, value > \'val_5\' AS v, count(*) FROM src GROUP BY ROLLUP (key % 4, value > \'val_5\') HAVING grouping(key % 4, value > \'val_5\') > 0 AND (k IS NULL OR k < 3)' },
  { name: 'ORDER BY GROUPING__ID and keys with NULLs first', sql: 'SELECT key % 3 AS a, count(*) AS c, GROUPING__ID AS g FROM src GROUP BY key % 3 WITH ROLLUP ORDER BY g, a', duck: 'SELECT key % 3 AS a, count(*) AS c, grouping(key % 3) AS g FROM src GROUP BY ROLLUP (key % 3) ORDER BY g, a NULLS FIRST', ordered: true },
  { name: 'aggregates see the original value of a key that the set rolls up', sql: 'SELECT key % 10, sum(key % 10), count(DISTINCT key % 10) FROM src GROUP BY key % 10 WITH ROLLUP', duck: 'SELECT key % 10, sum(key % 10), count(DISTINCT key % 10) FROM src GROUP BY ROLLUP (key % 10)', settings: MULTI_TASK },
  { name: 'a plain GROUP BY that asks for GROUPING__ID gets 0', sql: 'SELECT kind, GROUPING__ID, count(*) FROM events GROUP BY kind', duck: 'SELECT kind, 0, count(*) FROM events GROUP BY kind' },
  { name: 'grouping sets over a subquery with a window in the select list', sql: 'SELECT c, n, count(*), rank() OVER (ORDER BY count(*) DESC, c, n) FROM (SELECT country AS c, name IS NULL AS n FROM users) t GROUP BY c, n WITH ROLLUP', duck: 'SELECT c, n, count(*), rank() OVER (ORDER BY count(*) DESC, c NULLS FIRST, n NULLS FIRST) FROM (SELECT country AS c, name IS NULL AS n FROM users) t GROUP BY ROLLUP (c, n)' },
];

compareSuite('grouping sets: Shoal against DuckDB', CASES, { extra: (env) => {
  test('grouping sets expand the rows before the partial aggregate, so only partial groups cross the shuffle', async () => {
    const rows = await env().shoal.query('EXPLAIN SELECT key % 3, count(*) FROM src GROUP BY key % 3, value WITH CUBE');
    const text = rows.map((r) => r[0]).join('\n');
    assert.match(text, /Aggregate\(partial\)[^\n]*\n\s+Expand 4 projection/);
    assert.match(text, /Aggregate\(final\)/);
  });
  test('a grouping set with an expression outside GROUP BY is rejected', async () => {
    await assert.rejects(env().shoal.query('SELECT key FROM src GROUP BY key GROUPING SETS ((key), (value))'), /a grouping set may only use expressions of the GROUP BY list/);
  });
} });
