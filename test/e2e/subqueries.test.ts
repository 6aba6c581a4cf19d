// Subqueries in WHERE and HAVING, planned as joins, and INTERSECT / EXCEPT give DuckDB's
// rows for the same SQL.
// DuckDB follows SQL's three-valued NOT IN, which is also Hive's: a NULL in the subquery
// keeps no row, a NULL probe is kept only when the subquery is empty.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { normRows, type Reference, type Shoal } from '../support/engines.js';
import { startLoaded } from './setup.js';

interface Case { readonly name: string; readonly sql: string; readonly duck?: string; readonly ordered?: boolean; readonly manyTasks?: boolean }

const CASES: readonly Case[] = [
  { name: 'IN (subquery) keeps rows whose key the subquery yields', sql: 'SELECT key, value FROM src WHERE key IN (SELECT key FROM kv2 WHERE key < 100)', manyTasks: true },
  { name: 'NOT IN (subquery) without NULLs drops the matching rows', sql: 'SELECT key, value FROM src WHERE key NOT IN (SELECT key FROM kv2 WHERE key IS NOT NULL AND key > 50)', manyTasks: true },
  { name: 'NOT IN keeps no row when the subquery yields a NULL', sql: 'SELECT count(*) FROM users WHERE user_id NOT IN (SELECT user_id FROM events)', manyTasks: true },
  { name: 'NOT IN never keeps a NULL probe when the subquery has rows', sql: 'SELECT id, user_id FROM events WHERE user_id NOT IN (SELECT user_id FROM users WHERE user_id > 100)', manyTasks: true },
  { name: 'NOT IN over an empty subquery keeps every row, NULL probes too', sql: 'SELECT count(*), count(user_id) FROM events WHERE user_id NOT IN (SELECT user_id FROM users WHERE user_id > 10000)' },
  { name: 'NOT (x IN subquery) is NOT IN', sql: 'SELECT count(*) FROM events WHERE NOT (kind IN (SELECT kind FROM events WHERE id < 3))' },
  { name: 'IN compares a string column with an int subquery as doubles', sql: 'SELECT key, value FROM src1 WHERE key IN (SELECT key FROM src WHERE key < 300)', duck: 'SELECT key, value FROM src1 WHERE TRY_CAST(key AS DOUBLE) IN (SELECT CAST(key AS DOUBLE) FROM src WHERE key < 300)' },
  { name: 'IN (subquery) prunes and reads partitions of srcpart', sql: "SELECT ds, hr, count(*) FROM srcpart WHERE ds = '2008-04-08' AND key IN (SELECT key FROM src WHERE key < 50) GROUP BY ds, hr", duck: "SELECT ds, hr, count(*) FROM srcpart WHERE ds = '2008-04-08' AND CAST(key AS DOUBLE) IN (SELECT CAST(key AS DOUBLE) FROM src WHERE key < 50) GROUP BY ds, hr", manyTasks: true },
  { name: 'IN (subquery) reads a CTE of the enclosing query', sql: 'WITH big AS (SELECT user_id FROM events WHERE amount > 990) SELECT user_id, name FROM users WHERE user_id IN (SELECT user_id FROM big)' },
  { name: 'IN (subquery) with GROUP BY and HAVING inside', sql: 'SELECT key, value FROM src WHERE key IN (SELECT key FROM kv2 GROUP BY key HAVING count(*) > 2)', manyTasks: true },
  { name: 'correlated EXISTS becomes a semi join on the correlation key', sql: "SELECT u.user_id, u.country FROM users u WHERE EXISTS (SELECT 1 FROM events e WHERE e.user_id = u.user_id AND e.kind = 'buy')", manyTasks: true },
  { name: 'correlated NOT EXISTS becomes an anti join', sql: "SELECT u.user_id, u.country FROM users u WHERE NOT EXISTS (SELECT * FROM events e WHERE e.user_id = u.user_id AND e.kind = 'buy')", manyTasks: true },
  { name: 'EXISTS with an equality and a non-equality correlation (as TPC-H Q21)', sql: "SELECT e.id, e.user_id FROM events e WHERE e.id < 400 AND EXISTS (SELECT 1 FROM events e2 WHERE e2.user_id = e.user_id AND e2.id <> e.id AND e2.kind = 'click')", manyTasks: true },
  { name: 'NOT EXISTS with an equality and a non-equality correlation', sql: 'SELECT e.id, e.user_id FROM events e WHERE e.id < 400 AND NOT EXISTS (SELECT 1 FROM events e2 WHERE e2.user_id = e.user_id AND e2.id > e.id)', manyTasks: true },
  { name: 'EXISTS with only a non-equality correlation', sql: 'SELECT key FROM src WHERE key < 30 AND EXISTS (SELECT 1 FROM kv2 WHERE kv2.key > src.key + 470)', manyTasks: true },
  { name: 'uncorrelated EXISTS keeps all rows or none', sql: 'SELECT count(*) FROM src WHERE EXISTS (SELECT 1 FROM kv2 WHERE key > 400) AND NOT EXISTS (SELECT 1 FROM kv2 WHERE key > 100000)' },
  { name: 'correlated IN adds the correlation to the join keys', sql: 'SELECT e.id, e.kind FROM events e WHERE e.kind IN (SELECT e2.kind FROM events e2 WHERE e2.user_id = e.user_id AND e2.amount > 900)', manyTasks: true },
  { name: 'correlated NOT IN applies NULL semantics per outer row', sql: 'SELECT e.id, e.kind FROM events e WHERE e.id < 600 AND e.kind NOT IN (SELECT e2.kind FROM events e2 WHERE e2.user_id = e.user_id AND e2.amount > 500)', manyTasks: true },
  { name: 'uncorrelated scalar subquery in WHERE', sql: 'SELECT key, value FROM src WHERE key > (SELECT avg(key) FROM src) + 200', manyTasks: true },
  { name: 'scalar subquery in HAVING (as TPC-H Q11)', sql: 'SELECT key, count(*) FROM src GROUP BY key HAVING count(*) > (SELECT avg(c) FROM (SELECT count(*) AS c FROM src GROUP BY key) t)', manyTasks: true },
  { name: 'IN (subquery) in HAVING', sql: 'SELECT key, count(*) FROM src GROUP BY key HAVING key IN (SELECT key FROM kv2 WHERE key < 100)' },
  { name: 'an empty scalar subquery is NULL', sql: 'SELECT count(*) FROM src WHERE coalesce((SELECT key FROM kv2 WHERE key > 100000), 250) < key' },
  { name: 'correlated scalar subquery with an aggregate (as TPC-H Q17)', sql: 'SELECT e.id, e.amount FROM events e WHERE e.amount > (SELECT 1.5 * avg(e2.amount) FROM events e2 WHERE e2.user_id = e.user_id)', manyTasks: true },
  { name: 'correlated count(*) is 0, not NULL, for outer rows without inner rows', sql: "SELECT u.user_id FROM users u WHERE (SELECT count(*) FROM events e WHERE e.user_id = u.user_id AND e.kind = 'buy') = 0", manyTasks: true },
  { name: 'correlated scalar subquery without an aggregate', sql: "SELECT e.id, e.user_id FROM events e WHERE e.id < 500 AND (SELECT u.country FROM users u WHERE u.user_id = e.user_id) = 'DE'", manyTasks: true },
  { name: 'IN (subquery) with a correlated scalar subquery inside (as TPC-H Q20)', sql: 'SELECT user_id, name FROM users WHERE user_id IN (SELECT e.user_id FROM events e WHERE e.amount > (SELECT avg(e2.amount) * 1.8 FROM events e2 WHERE e2.kind = e.kind))', manyTasks: true },
  { name: 'several subqueries in one WHERE', sql: "SELECT u.user_id FROM users u WHERE u.user_id IN (SELECT user_id FROM events WHERE kind = 'view') AND NOT EXISTS (SELECT 1 FROM events e WHERE e.user_id = u.user_id AND e.amount > 999) AND u.user_id < (SELECT max(user_id) FROM events) - 20" },
  { name: 'EXISTS and NOT EXISTS over a global aggregate are true and false even without inner rows', sql: 'SELECT count(*) FROM users u WHERE EXISTS (SELECT count(*) FROM events e WHERE e.user_id = u.user_id) AND NOT (NOT EXISTS (SELECT max(amount) FROM events e WHERE e.user_id = u.user_id))' },
  { name: 'NOT IN a correlated global aggregate compares with NULL where there are no inner rows', sql: 'SELECT u.user_id FROM users u WHERE u.user_id > 150 AND u.user_id NOT IN (SELECT max(e.id) FROM events e WHERE e.user_id = u.user_id)', manyTasks: true },
  { name: 'IN a correlated count compares with 0 where there are no inner rows', sql: "SELECT u.user_id FROM users u WHERE 0 IN (SELECT count(*) FROM events e WHERE e.user_id = u.user_id AND e.kind = 'buy')" },
  { name: 'a correlated scalar subquery in the select list (Hive 3), 0 for a count without inner rows', sql: 'SELECT key, (SELECT count(*) FROM kv2 WHERE kv2.key = src.key) AS n, (SELECT max(value) FROM kv2 WHERE kv2.key = src.key) FROM src WHERE key < 60', manyTasks: true },
  { name: 'an uncorrelated scalar subquery in the select list of a grouped query', sql: 'SELECT key, count(*) * 100 / (SELECT count(*) FROM src) FROM src GROUP BY key' },
  { name: 'INTERSECT keeps the distinct rows found on both sides', sql: 'SELECT key FROM src WHERE key < 200 INTERSECT SELECT key FROM kv2', manyTasks: true },
  { name: 'INTERSECT DISTINCT matches NULL with NULL', sql: 'SELECT user_id, kind FROM events WHERE amount > 500 INTERSECT DISTINCT SELECT user_id, kind FROM events WHERE amount < 300 OR amount IS NULL', duck: 'SELECT user_id, kind FROM events WHERE amount > 500 INTERSECT SELECT user_id, kind FROM events WHERE amount < 300 OR amount IS NULL', manyTasks: true },
  { name: 'EXCEPT keeps the distinct left rows missing on the right, NULLs compared as equal', sql: 'SELECT user_id, kind FROM events EXCEPT SELECT user_id, kind FROM events WHERE amount > 100', manyTasks: true },
  { name: 'MINUS is EXCEPT', sql: 'SELECT key, value FROM src MINUS SELECT key, value FROM kv2', duck: 'SELECT key, value FROM src EXCEPT SELECT key, value FROM kv2' },
  { name: 'INTERSECT ALL keeps a row min(left, right) times (duplicates and NULLs)', sql: 'SELECT user_id, kind FROM events WHERE amount > 300 OR amount IS NULL INTERSECT ALL SELECT user_id, kind FROM events WHERE amount < 700 OR amount IS NULL', manyTasks: true },
  { name: 'EXCEPT ALL keeps a row left − right times', sql: 'SELECT key FROM src EXCEPT ALL SELECT key FROM kv2', manyTasks: true },
  { name: 'EXCEPT ALL of duplicates on both sides with NULLs', sql: 'SELECT user_id, kind FROM events EXCEPT ALL SELECT user_id, kind FROM events WHERE amount > 400' },
  { name: 'INTERSECT binds tighter than UNION ALL and widens types', sql: 'SELECT key FROM src WHERE key < 10 UNION ALL SELECT key FROM kv2 WHERE key < 50 INTERSECT SELECT amount FROM events', duck: 'SELECT CAST(key AS DOUBLE) FROM src WHERE key < 10 UNION ALL (SELECT CAST(key AS DOUBLE) FROM kv2 WHERE key < 50 INTERSECT SELECT amount FROM events)' },
];

describe('end-to-end: subqueries against DuckDB', () => {
  let shoal: Shoal;
  let ref: Reference;
  let close: () => Promise<void> = async () => undefined;
  before(async () => {
    ({ shoal, ref, close } = await startLoaded());
  });
  after(() => close());

  // Several tasks per stage: the two sides of each join arrive hashed across tasks or broadcast.
  const MANY_TASKS = { 'shoal.shuffle.partitions': '5', 'shoal.adaptive.min-parallelism': '3' };
  for (const c of CASES) {
    test(c.name, async () => {
      const want = normRows(await ref.query(c.duck ?? c.sql), !!c.ordered);
      assert.deepEqual(normRows(await shoal.query(c.sql), !!c.ordered), want);
      if (c.manyTasks) assert.deepEqual(normRows(await shoal.query(c.sql, MANY_TASKS), !!c.ordered), want, 'with several tasks per stage');
    });
  }

  test('a scalar subquery that returns more than one row fails the job', async () => {
    await assert.rejects(shoal.query('SELECT key FROM src WHERE key = (SELECT key FROM kv2 WHERE key < 10)'), /scalar subquery at line 1, column 33 returned more than one row/);
    await assert.rejects(shoal.query('SELECT u.user_id FROM users u WHERE (SELECT e.kind FROM events e WHERE e.user_id = u.user_id) = \'buy\'', MANY_TASKS), /returned more than one row/);
  });

  test('a failed scalar subquery leaves the target table as it was', async () => {
    await shoal.run('CREATE TABLE sq_target AS SELECT key FROM src WHERE key < 5');
    const before = await shoal.query('SELECT key FROM sq_target');
    await assert.rejects(shoal.run('INSERT OVERWRITE TABLE sq_target SELECT key FROM src WHERE key = (SELECT key FROM kv2)'), /more than one row/);
    assert.deepEqual(normRows(await shoal.query('SELECT key FROM sq_target'), false), normRows(before, false));
  });


  test('subqueries are rejected where they are not planned, with the position', async () => {
    await assert.rejects(shoal.query('SELECT key FROM src WHERE key = 1 OR EXISTS (SELECT 1 FROM kv2)'), (e: { message: string; pos?: { line: number; col: number } }) =>
      /must be a condition of its own, joined to the others by AND/.test(e.message) && e.pos?.line === 1 && e.pos.col === 38);
    await assert.rejects(shoal.query('SELECT key FROM src WHERE key IN (SELECT key, value FROM kv2)'), /IN subquery must return one column, but this one returns 2/);
    await assert.rejects(shoal.query('SELECT key IN (SELECT key FROM kv2) FROM src'), /IN and EXISTS subqueries are supported in WHERE and HAVING only, not in the select list/);
    await assert.rejects(shoal.query('SELECT key FROM src ORDER BY (SELECT max(key) FROM kv2)'), /subqueries are not supported in ORDER BY/);
    await assert.rejects(shoal.query('SELECT e.id FROM events e WHERE e.amount > (SELECT avg(amount) FROM events x WHERE x.user_id > e.user_id)'),
      /correlated condition under an aggregate must be '='/);
  });
});
