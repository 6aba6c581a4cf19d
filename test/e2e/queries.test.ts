// Shoal's rows equal DuckDB's rows for the same SQL on the same data. Each case names the
// Hive semantic it checks where the two engines' SQL differs.
import { compareSuite, MULTI_TASK, type Case } from './compare.js';

export const CASES: readonly Case[] = [
  { name: 'selects every row of src', sql: 'SELECT key, value FROM src' },
  { name: 'filters with a comparison', sql: 'SELECT key, value FROM src WHERE key < 100' },
  { name: 'compares a string column with a number as doubles', sql: "SELECT key, value FROM src1 WHERE key > 200", duck: 'SELECT key, value FROM src1 WHERE TRY_CAST(key AS DOUBLE) > 200' },
  { name: 'counts rows', sql: 'SELECT count(*) FROM src' },
  { name: 'counts distinct keys', sql: 'SELECT count(DISTINCT key) FROM src' },
  { name: 'groups with several aggregates', sql: 'SELECT key, count(*), sum(key), min(value), max(value) FROM src GROUP BY key' },
  { name: 'averages as DOUBLE', sql: 'SELECT key % 10, avg(key) FROM src GROUP BY key % 10' },
  { name: 'filters groups with HAVING', sql: 'SELECT key, count(*) AS c FROM src GROUP BY key HAVING count(*) > 2' },
  { name: 'orders by an aggregate descending and limits', sql: 'SELECT key, count(*) AS c FROM src GROUP BY key ORDER BY c DESC, key LIMIT 10', ordered: true },
  { name: 'orders ascending with NULLs first as Hive does', sql: 'SELECT user_id, id FROM events WHERE id < 50 ORDER BY user_id, id', duck: 'SELECT user_id, id FROM events WHERE id < 50 ORDER BY user_id NULLS FIRST, id NULLS FIRST', ordered: true },
  { name: 'orders descending with NULLs last as Hive does', sql: 'SELECT amount FROM events WHERE id < 40 ORDER BY amount DESC', duck: 'SELECT amount FROM events WHERE id < 40 ORDER BY amount DESC NULLS LAST', ordered: true },
  { name: 'selects distinct values', sql: 'SELECT DISTINCT value FROM src WHERE key < 50' },
  { name: 'limits without an order', sql: 'SELECT count(*) FROM (SELECT key FROM src LIMIT 7) t' },
  { name: 'inner-joins two tables', sql: 'SELECT a.key, a.value, b.value FROM src a JOIN kv2 b ON a.key = b.key' },
  { name: 'left-joins keeping unmatched rows', sql: 'SELECT e.id, e.user_id, u.country FROM events e LEFT JOIN users u ON e.user_id = u.user_id' },
  { name: 'right-joins keeping unmatched rows', sql: 'SELECT u.user_id, e.id FROM events e RIGHT OUTER JOIN users u ON e.user_id = u.user_id WHERE u.user_id > 150' },
  { name: 'full-outer-joins', sql: 'SELECT a.key, b.key FROM (SELECT DISTINCT key FROM src WHERE key < 30) a FULL OUTER JOIN (SELECT DISTINCT key FROM kv2 WHERE key < 30) b ON a.key = b.key' },
  { name: 'left-semi-joins', sql: 'SELECT a.key, a.value FROM src a LEFT SEMI JOIN kv2 b ON a.key = b.key', duck: 'SELECT a.key, a.value FROM src a SEMI JOIN kv2 b ON a.key = b.key' },
  { name: 'joins three tables', sql: 'SELECT a.key, b.value, c.value FROM src a JOIN kv2 b ON a.key = b.key JOIN src c ON b.key = c.key WHERE a.key < 20' },
  { name: 'joins a string key with an int key as doubles', sql: 'SELECT s1.key, s.value FROM src1 s1 JOIN src s ON s1.key = s.key', duck: 'SELECT s1.key, s.value FROM src1 s1 JOIN src s ON TRY_CAST(s1.key AS DOUBLE) = CAST(s.key AS DOUBLE)' },
  { name: 'joins on two keys with a residual condition', sql: 'SELECT a.key, b.value FROM src a JOIN src b ON a.key = b.key AND a.value = b.value AND a.key <> 0' },
  { name: 'joins a skewed key', sql: 'SELECT e.user_id, count(*) FROM events e JOIN users u ON e.user_id = u.user_id GROUP BY e.user_id' },
  { name: 'aggregates after a join', sql: 'SELECT u.country, count(*), sum(e.amount), avg(e.score) FROM events e JOIN users u ON e.user_id = u.user_id GROUP BY u.country' },
  { name: 'reads a subquery in FROM', sql: 'SELECT t.k, t.c FROM (SELECT key AS k, count(*) AS c FROM src GROUP BY key) t WHERE t.c > 1' },
  { name: 'unions all', sql: 'SELECT key, value FROM src WHERE key < 10 UNION ALL SELECT key, value FROM kv2 WHERE key < 10' },
  { name: 'unions all with a type widening', sql: 'SELECT key FROM src WHERE key < 5 UNION ALL SELECT amount FROM events WHERE id < 3' },
  { name: 'evaluates CASE with and without an operand', sql: "SELECT key, CASE WHEN key < 100 THEN 'low' WHEN key < 300 THEN 'mid' ELSE 'high' END, CASE key % 3 WHEN 0 THEN 'zero' ELSE 'other' END FROM src" },
  { name: 'CASTs strings to numbers, NULL when they do not parse', sql: "SELECT key, CAST(value AS INT), CAST(key AS STRING) FROM src1", duck: "SELECT key, CAST(NULL AS INT), key FROM src1" },
  { name: 'truncates DOUBLE to INT as Hive does', sql: 'SELECT id, CAST(amount AS INT) FROM events WHERE id < 100', duck: 'SELECT id, CAST(trunc(amount) AS INT) FROM events WHERE id < 100' },
  { name: 'tests IN lists', sql: 'SELECT key, value FROM src WHERE key IN (0, 10, 98, 1000)' },
  { name: 'tests NOT IN lists', sql: "SELECT kind, count(*) FROM events WHERE kind NOT IN ('view') GROUP BY kind" },
  { name: 'tests BETWEEN', sql: 'SELECT key FROM src WHERE key BETWEEN 100 AND 120' },
  { name: 'tests LIKE with % and _', sql: "SELECT value FROM src WHERE value LIKE 'val_1_'" },
  { name: 'tests NOT LIKE', sql: "SELECT count(*) FROM src WHERE value NOT LIKE '%1%'" },
  { name: 'tests IS NULL and IS NOT NULL', sql: 'SELECT count(*), count(user_id), sum(CASE WHEN amount IS NULL THEN 1 ELSE 0 END) FROM events WHERE user_id IS NOT NULL OR kind IS NULL' },
  { name: 'does arithmetic with DOUBLE division', sql: 'SELECT key, key / 3, key * 2 + 1, key - 7, key % 7 FROM src WHERE key < 50' },
  { name: 'divides by zero to NULL', sql: 'SELECT key, key / 0 FROM src WHERE key < 5', duck: 'SELECT key, CAST(NULL AS DOUBLE) FROM src WHERE key < 5' },
  { name: 'counts a column skipping NULLs', sql: 'SELECT count(amount), count(kind), count(*) FROM events' },
  { name: 'sums DECIMAL exactly', sql: 'SELECT kind, sum(score), min(score), max(score) FROM events GROUP BY kind' },
  { name: 'groups by NULL keys together', sql: 'SELECT kind, user_id IS NULL, count(*) FROM events GROUP BY kind, user_id IS NULL' },
  { name: 'counts distinct over several columns skipping NULL tuples', sql: 'SELECT count(DISTINCT user_id, kind) FROM events', duck: 'SELECT count(DISTINCT (user_id, kind)) FROM events WHERE user_id IS NOT NULL AND kind IS NOT NULL' },
  { name: 'prunes partitions of srcpart', sql: "SELECT ds, hr, count(*) FROM srcpart WHERE ds = '2008-04-08' AND hr = '12' GROUP BY ds, hr" },
  { name: 'reads every partition of srcpart', sql: 'SELECT ds, hr, count(*), sum(key) FROM srcpart GROUP BY ds, hr', duck: 'SELECT ds, hr, count(*), sum(CAST(key AS DOUBLE)) FROM srcpart GROUP BY ds, hr' },
  { name: 'filters on data and partition columns together', sql: "SELECT key, value, hr FROM srcpart WHERE ds = '2008-04-09' AND key < 10", duck: "SELECT key, value, hr FROM srcpart WHERE ds = '2008-04-09' AND CAST(key AS DOUBLE) < 10" },
  { name: 'runs functions: concat, upper, substr, length, coalesce', sql: "SELECT concat(value, '-', key), upper(value), substr(value, 5), length(value), coalesce(NULL, value) FROM src WHERE key < 20" },
  { name: 'gives NULL from concat with a NULL argument', sql: "SELECT user_id, concat('u', name) FROM users", duck: "SELECT user_id, 'u' || name FROM users" },
  { name: 'selects a global aggregate over no rows', sql: 'SELECT count(*), sum(key), max(value) FROM src WHERE key > 10000' },
  { name: 'orders by a column not selected', sql: 'SELECT value FROM src WHERE key < 30 ORDER BY key DESC, value', ordered: true },
  { name: 'orders by position', sql: 'SELECT key, value FROM src WHERE key < 30 ORDER BY 2, 1', ordered: true },
  { name: 'groups by an expression', sql: 'SELECT substr(value, 1, 5), count(*) FROM src GROUP BY substr(value, 1, 5)' },
  { name: 'uses the same table twice with aliases', sql: 'SELECT a.key, count(*) FROM src a JOIN src b ON a.key = b.key GROUP BY a.key' },
  { name: 'unions three branches with a subquery aggregate on top', sql: 'SELECT k, count(*) FROM (SELECT key AS k FROM src UNION ALL SELECT key FROM kv2 UNION ALL SELECT key FROM src WHERE key < 100) u GROUP BY k' },
  { name: 'comma-joins in a FROM order that crosses two tables a third connects, every column in FROM order', sql: 'SELECT * FROM users u, src a, events e WHERE e.user_id = u.user_id AND e.id = a.key AND a.key < 60' },
  { name: 'comma-joins with a cross product no order avoids', sql: "SELECT a.key, b.key, u.country FROM src a, kv2 b, users u WHERE a.key = u.user_id AND a.key < 15 AND b.key < 3" },
];

/** Small shuffle outputs are one combined file per map task; these write one file per partition instead. */
const PER_PARTITION_FILES: readonly Case[] = ['joins three tables', 'groups with several aggregates', 'full-outer-joins', 'counts distinct keys']
  .map((name) => CASES.find((c) => c.name === name)!)
  .map((c) => ({ ...c, name: `${c.name}, shuffled as one file per partition`, settings: { ...MULTI_TASK, 'shoal.shuffle.combined-max-bytes': '0' } }));

compareSuite('end-to-end: Shoal against DuckDB', [...CASES, ...PER_PARTITION_FILES]);
