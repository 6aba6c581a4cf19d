// Window functions: Shoal against DuckDB, each case naming the Hive semantic it checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatError } from '../../lib/common/errors.js';
import { normRows } from '../support/engines.js';
import { compareSuite, MULTI_TASK, type Case } from './compare.js';

const CASES: readonly Case[] = [
  { name: 'row_number numbers rows within each PARTITION BY group (hash exchange on the key)', sql: 'SELECT key, value, row_number() OVER (PARTITION BY key ORDER BY value) FROM src', settings: MULTI_TASK },
  { name: 'rank and dense_rank give ties the same rank; rank leaves gaps', sql: 'SELECT kind, user_id, rank() OVER (PARTITION BY kind ORDER BY user_id), dense_rank() OVER (PARTITION BY kind ORDER BY user_id) FROM events', duck: 'SELECT kind, user_id, rank() OVER (PARTITION BY kind ORDER BY user_id NULLS FIRST), dense_rank() OVER (PARTITION BY kind ORDER BY user_id NULLS FIRST) FROM events', settings: MULTI_TASK },
  { name: 'NULLs sort first ascending inside a window, as Hive does', sql: 'SELECT id, amount, row_number() OVER (PARTITION BY kind ORDER BY amount, id) FROM events WHERE id < 300', duck: 'SELECT id, amount, row_number() OVER (PARTITION BY kind ORDER BY amount NULLS FIRST, id) FROM events WHERE id < 300' },
  { name: 'NULLs sort last descending inside a window, as Hive does', sql: 'SELECT id, amount, rank() OVER (PARTITION BY kind ORDER BY amount DESC) FROM events WHERE id < 300', duck: 'SELECT id, amount, rank() OVER (PARTITION BY kind ORDER BY amount DESC NULLS LAST) FROM events WHERE id < 300' },
  { name: 'percent_rank and cume_dist are DOUBLE fractions of the partition', sql: 'SELECT key, percent_rank() OVER (PARTITION BY key % 7 ORDER BY key), cume_dist() OVER (PARTITION BY key % 7 ORDER BY key DESC) FROM src', settings: MULTI_TASK },
  { name: 'ntile without PARTITION BY runs in a single task over all rows', sql: 'SELECT key, value, ntile(7) OVER (ORDER BY key, value) FROM src', settings: MULTI_TASK },
  { name: 'lag and lead default to an offset of 1 and NULL', sql: 'SELECT key, value, lag(key) OVER (PARTITION BY value ORDER BY key), lead(key) OVER (PARTITION BY value ORDER BY key) FROM src WHERE key < 100' },
  { name: 'lag and lead with an offset and a default value', sql: "SELECT user_id, country, lag(name, 2, 'none') OVER (PARTITION BY country ORDER BY user_id), lead(user_id, 3, -1) OVER (PARTITION BY country ORDER BY user_id) FROM users", settings: MULTI_TASK },
  { name: 'first_value and last_value use the default frame up to the current row (with peers)', sql: 'SELECT key, value, first_value(value) OVER (PARTITION BY key % 10 ORDER BY key), last_value(value) OVER (PARTITION BY key % 10 ORDER BY key) FROM src', duck: 'SELECT key, value, first_value(value) OVER (PARTITION BY key % 10 ORDER BY key), last_value(value) OVER (PARTITION BY key % 10 ORDER BY key) FROM src' },
  { name: "first_value and last_value with Hive's skip-nulls argument TRUE", sql: 'SELECT user_id, first_value(country, true) OVER (ORDER BY user_id), last_value(name, true) OVER (ORDER BY user_id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING), first_value(country, false) OVER (ORDER BY user_id DESC) FROM users', duck: 'SELECT user_id, first_value(country IGNORE NULLS) OVER (ORDER BY user_id), last_value(name IGNORE NULLS) OVER (ORDER BY user_id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING), first_value(country) OVER (ORDER BY user_id DESC) FROM users' },
  { name: 'aggregates without ORDER BY cover the whole partition', sql: 'SELECT id, kind, count(*) OVER (PARTITION BY kind), count(amount) OVER (PARTITION BY kind), sum(amount) OVER (PARTITION BY kind), min(amount) OVER (PARTITION BY kind), max(score) OVER (PARTITION BY kind) FROM events', settings: MULTI_TASK },
  { name: 'a running sum with ORDER BY includes the peers of the current row (RANGE default)', sql: 'SELECT key, sum(key) OVER (PARTITION BY key % 3 ORDER BY key), count(*) OVER (ORDER BY key) FROM src' },
  { name: 'sum of INT over a window is BIGINT and avg is DOUBLE', sql: 'SELECT key, sum(key) OVER (PARTITION BY value), avg(key) OVER (PARTITION BY key % 4) FROM src' },
  { name: 'ROWS BETWEEN n PRECEDING AND n FOLLOWING', sql: 'SELECT user_id, sum(user_id) OVER (PARTITION BY country ORDER BY user_id ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING), avg(user_id) OVER (ORDER BY user_id ROWS 3 PRECEDING) FROM users', duck: 'SELECT user_id, sum(user_id) OVER (PARTITION BY country ORDER BY user_id ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING), avg(user_id) OVER (ORDER BY user_id ROWS BETWEEN 3 PRECEDING AND CURRENT ROW) FROM users', settings: MULTI_TASK },
  { name: 'ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING', sql: 'SELECT user_id, max(name) OVER (ORDER BY user_id ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING), count(name) OVER (ORDER BY user_id DESC ROWS BETWEEN 5 FOLLOWING AND 10 FOLLOWING) FROM users' },
  { name: 'RANGE BETWEEN n PRECEDING AND CURRENT ROW over a numeric key', sql: 'SELECT key, count(*) OVER (ORDER BY key RANGE BETWEEN 10 PRECEDING AND CURRENT ROW), sum(key) OVER (PARTITION BY key % 2 ORDER BY key RANGE BETWEEN 5 PRECEDING AND 5 FOLLOWING) FROM src', settings: MULTI_TASK },
  { name: 'stddev and variance are the population forms in Hive', sql: 'SELECT kind, stddev(amount) OVER (PARTITION BY kind), variance(amount) OVER (PARTITION BY kind), std(amount) OVER (PARTITION BY kind), var_pop(score) OVER (PARTITION BY kind), stddev_pop(score) OVER (PARTITION BY kind) FROM events', duck: 'SELECT kind, stddev_pop(amount) OVER (PARTITION BY kind), var_pop(amount) OVER (PARTITION BY kind), stddev_pop(amount) OVER (PARTITION BY kind), var_pop(score) OVER (PARTITION BY kind), stddev_pop(score) OVER (PARTITION BY kind) FROM events' },
  { name: 'stddev_samp and var_samp over a window', sql: 'SELECT key, stddev_samp(key) OVER (PARTITION BY key % 5), var_samp(key) OVER (PARTITION BY key % 5) FROM src' },
  { name: 'stddev_samp and var_samp of a single value are 0 in Hive (NULL in DuckDB)', sql: 'SELECT key, stddev_samp(key) OVER (PARTITION BY key), var_samp(key) OVER (PARTITION BY key) FROM src WHERE key < 40', duck: 'SELECT key, CASE WHEN count(*) OVER (PARTITION BY key) = 1 THEN 0 ELSE stddev_samp(key) OVER (PARTITION BY key) END, CASE WHEN count(*) OVER (PARTITION BY key) = 1 THEN 0 ELSE var_samp(key) OVER (PARTITION BY key) END FROM src WHERE key < 40' },
  { name: 'collect_list and collect_set over a frame skip NULLs and give [] for a frame without values', sql: 'SELECT id, sort_array(collect_list(kind) OVER (PARTITION BY user_id ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)), sort_array(collect_set(kind) OVER (PARTITION BY user_id)) FROM events WHERE id >= 100',
    duck: 'SELECT id, coalesce(list_sort(list(kind) FILTER (WHERE kind IS NOT NULL) OVER (PARTITION BY user_id ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)), []), coalesce(list_sort(list(DISTINCT kind) FILTER (WHERE kind IS NOT NULL) OVER (PARTITION BY user_id)), []) FROM events WHERE id >= 100', settings: MULTI_TASK },
  { name: 'percentile over a window: exact, interpolated, one value or an array of them', sql: 'SELECT key, percentile(key, 0.5) OVER (PARTITION BY key % 7), percentile(key, array(0.25, 0.75)) OVER (PARTITION BY key % 3 ORDER BY key) FROM src',
    duck: 'SELECT key, quantile_cont(key, 0.5) OVER (PARTITION BY key % 7), quantile_cont(key, [0.25, 0.75]) OVER (PARTITION BY key % 3 ORDER BY key) FROM src', settings: MULTI_TASK },
  { name: 'covar_pop, covar_samp and corr over a window skip pairs with a NULL', sql: 'SELECT id, covar_pop(amount, score) OVER (PARTITION BY kind), covar_samp(amount, id) OVER (PARTITION BY kind ORDER BY id ROWS BETWEEN 10 PRECEDING AND CURRENT ROW), corr(amount, score) OVER (PARTITION BY user_id % 4) FROM events WHERE id >= 100 AND id < 1000',
    duck: 'SELECT id, covar_pop(amount, score) OVER (PARTITION BY kind), covar_samp(amount, id) OVER (PARTITION BY kind ORDER BY id ROWS BETWEEN 10 PRECEDING AND CURRENT ROW), corr(amount, score) OVER (PARTITION BY user_id % 4) FROM events WHERE id >= 100 AND id < 1000' },
  { name: 'count(DISTINCT) over a partition', sql: 'SELECT kind, count(DISTINCT user_id) OVER (PARTITION BY kind) FROM events', settings: MULTI_TASK },
  { name: 'named windows from the WINDOW clause, and a window refining a named one', sql: 'SELECT key, value, rank() OVER w, sum(key) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), count(*) OVER w2 FROM src WHERE key < 200 WINDOW w AS (PARTITION BY key % 10 ORDER BY key, value), w2 AS (PARTITION BY value)', duck: 'SELECT key, value, rank() OVER (PARTITION BY key % 10 ORDER BY key, value), sum(key) OVER (PARTITION BY key % 10 ORDER BY key, value ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), count(*) OVER (PARTITION BY value) FROM src WHERE key < 200' },
  { name: 'a window over the groups of GROUP BY ranks an aggregate', sql: 'SELECT key % 10, sum(key), rank() OVER (ORDER BY sum(key) DESC), sum(count(*)) OVER () FROM src GROUP BY key % 10', settings: MULTI_TASK },
  { name: 'top-N per group: filtering on row_number in an outer query', sql: 'SELECT kind, id, amount FROM (SELECT kind, id, amount, row_number() OVER (PARTITION BY kind ORDER BY amount DESC, id) AS rn FROM events) t WHERE rn <= 3', duck: 'SELECT kind, id, amount FROM (SELECT kind, id, amount, row_number() OVER (PARTITION BY kind ORDER BY amount DESC NULLS LAST, id) AS rn FROM events) t WHERE rn <= 3', settings: MULTI_TASK },
  { name: 'a window function in ORDER BY', sql: 'SELECT key, value FROM src WHERE key < 30 ORDER BY row_number() OVER (PARTITION BY key ORDER BY value), key, value', ordered: true },
  { name: 'a filter on the partition key moves below the window and keeps its rows', sql: "SELECT * FROM (SELECT ds, hr, key, count(*) OVER (PARTITION BY ds, hr) AS c FROM srcpart) t WHERE ds = '2008-04-08' AND key < 20", duck: "SELECT * FROM (SELECT ds, hr, key, count(*) OVER (PARTITION BY ds, hr) AS c FROM srcpart) t WHERE ds = '2008-04-08' AND CAST(key AS DOUBLE) < 20" },
  { name: 'a window over a join', sql: 'SELECT u.country, e.id, sum(e.amount) OVER (PARTITION BY u.country) FROM events e JOIN users u ON e.user_id = u.user_id WHERE e.id < 500', settings: MULTI_TASK },
];

compareSuite('window functions: Shoal against DuckDB', CASES, { extra: (env) => {
  test('a window with PARTITION BY hashes on its keys; without, it gathers into one task', async () => {
    const rows = await env().shoal.query('EXPLAIN SELECT key, rank() OVER (PARTITION BY value ORDER BY key), count(*) OVER () FROM src');
    const text = rows.map((r) => r[0]).join('\n');
    assert.match(text, /=> hash\(#c\d+\)[^\n]*\n[^\n]*Scan default\.src/);
    assert.match(text, /=> single\n\s+Window \[partition by/);
  });
  test('CREATE TABLE AS SELECT with a window function writes the same rows as the query', async () => {
    const { shoal, ref } = env();
    await shoal.run('CREATE TABLE ranked STORED AS PARQUET AS SELECT key, value, dense_rank() OVER (PARTITION BY key % 10 ORDER BY key) AS r FROM src', { settings: MULTI_TASK });
    const want = await ref.query('SELECT key, value, dense_rank() OVER (PARTITION BY key % 10 ORDER BY key) FROM src');
    assert.deepEqual(normRows(await env().shoal.query('SELECT key, value, r FROM ranked'), false), normRows(want, false));
  });
  test('window functions are rejected in WHERE with a clear message', async () => {
    await assert.rejects(env().shoal.query('SELECT key FROM src WHERE rank() OVER (ORDER BY key) = 1'), /window function rank\(\) is not allowed in WHERE/);
  });
  test('an unknown named window is reported with its position', async () => {
    await assert.rejects(env().shoal.query('SELECT rank() OVER w FROM src'), (e: Error) => formatError(e) === "<input>:1:20: unknown window 'w'; define it in a WINDOW clause");
  });
} });
