// DISTRIBUTE BY, SORT BY and CLUSTER BY: the rows are the same multiset as Hive's; in an
// INSERT each task writes the keys hashed to it, sorted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { normRows } from '../support/engines.js';
import { compareSuite, MULTI_TASK, type Case } from './compare.js';

const CASES: readonly Case[] = [
  { name: 'DISTRIBUTE BY with SORT BY returns every row once', sql: 'SELECT key, value FROM src DISTRIBUTE BY key SORT BY key, value', duck: 'SELECT key, value FROM src', settings: MULTI_TASK },
  { name: 'CLUSTER BY returns every row once', sql: 'SELECT user_id, country FROM users CLUSTER BY country', duck: 'SELECT user_id, country FROM users', settings: MULTI_TASK },
  { name: 'SORT BY alone, descending, with NULLs', sql: 'SELECT id, amount FROM events WHERE id < 500 SORT BY amount DESC, id', duck: 'SELECT id, amount FROM events WHERE id < 500', settings: MULTI_TASK },
  { name: 'DISTRIBUTE BY an expression over output columns, inside a subquery feeding an aggregate', sql: 'SELECT k, count(*) FROM (SELECT key % 10 AS k, value FROM src DISTRIBUTE BY k) t GROUP BY k', duck: 'SELECT key % 10, count(*) FROM src GROUP BY key % 10', settings: MULTI_TASK },
  { name: 'SORT BY with one task orders the whole result, as a single reducer does in Hive', sql: 'SELECT key, value FROM src WHERE key < 50 SORT BY key DESC, value', duck: 'SELECT key, value FROM src WHERE key < 50 ORDER BY key DESC, value', ordered: true },
];

compareSuite('DISTRIBUTE BY, SORT BY, CLUSTER BY: Shoal against DuckDB', CASES, {
  extra(env) {
    test('INSERT … DISTRIBUTE BY … SORT BY writes each key into one file, sorted within the file', async () => {
      const { shoal, ref } = env();
      await shoal.run(`CREATE TABLE clustered (key INT, value STRING) STORED AS PARQUET;
        INSERT OVERWRITE TABLE clustered SELECT key, value FROM src DISTRIBUTE BY key SORT BY key, value;`,
      { settings: { ...MULTI_TASK, 'shoal.compaction.enabled': 'false' } });
      const dir = join(shoal.warehouse, 'clustered');
      const files = (await readdir(dir)).filter((f) => f.endsWith('.parquet')).map((f) => join(dir, f));
      assert.ok(files.length > 1, `expected several files, got ${files.length}`);
      const seen = new Map<number, string>();
      const all: unknown[][] = [];
      for (const f of files) {
        const rows = await ref.query(`SELECT key, value FROM read_parquet('${f}')`);
        const keys = rows.map((r) => Number(r[0]));
        assert.deepEqual(keys, [...keys].sort((a, b) => a - b), `${f} is not sorted by key`);
        for (const k of keys) {
          assert.ok(!seen.has(k) || seen.get(k) === f, `key ${k} is in two files`);
          seen.set(k, f);
        }
        all.push(...rows);
      }
      assert.deepEqual(normRows(all as never, false), normRows(await ref.query('SELECT key, value FROM src'), false));
    });
    test('INSERT OVERWRITE … PARTITION (dyn) … DISTRIBUTE BY the partition column writes every partition from one task', async () => {
      const { shoal, ref } = env();
      await shoal.run(`CREATE TABLE by_kind (id INT, amount DOUBLE) PARTITIONED BY (kind STRING) STORED AS PARQUET;
        INSERT OVERWRITE TABLE by_kind PARTITION (kind) SELECT id, amount, kind FROM events DISTRIBUTE BY kind SORT BY id;`,
      { settings: { ...MULTI_TASK, 'shoal.compaction.enabled': 'false' } });
      const got = await shoal.query('SELECT id, amount, kind FROM by_kind');
      assert.deepEqual(normRows(got, false), normRows(await ref.query('SELECT id, amount, kind FROM events'), false));
      for (const kind of ['view', 'click', 'buy']) {
        const files = (await readdir(join(shoal.warehouse, 'by_kind', `kind=${kind}`))).filter((f) => f.endsWith('.parquet'));
        assert.equal(files.length, 1, `partition kind=${kind} has ${files.length} files`);
      }
    });
    test('CLUSTER BY together with SORT BY is rejected', async () => {
      await assert.rejects(env().shoal.query('SELECT key FROM src CLUSTER BY key SORT BY key'), /CLUSTER BY cannot be combined with DISTRIBUTE BY or SORT BY/);
    });
  },
});
