// Multi-insert: one FROM, several INSERT branches, each table checked against DuckDB.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normRows } from '../support/engines.js';
import { compareSuite, MULTI_TASK } from './compare.js';

compareSuite('multi-insert: Shoal against DuckDB', [], {
  extra(env) {
    test('FROM src INSERT OVERWRITE TABLE a … INSERT OVERWRITE TABLE b PARTITION … fills every target from the shared source', async () => {
      const { shoal, ref } = env();
      await shoal.run(`CREATE TABLE small (key INT, value STRING) STORED AS PARQUET;
        CREATE TABLE counts (k INT, c BIGINT) PARTITIONED BY (part STRING) STORED AS PARQUET;
        FROM src s
        INSERT OVERWRITE TABLE small SELECT s.key, s.value WHERE s.key < 100
        INSERT OVERWRITE TABLE counts PARTITION (part = 'x') SELECT s.key % 10, count(*) GROUP BY s.key % 10
        INSERT OVERWRITE TABLE counts PARTITION (part) SELECT key % 3, count(DISTINCT value), concat('p', key % 2) WHERE key > 200 GROUP BY key % 3, concat('p', key % 2);`,
      { settings: MULTI_TASK });
      const check = async (sql: string, duck: string) =>
        assert.deepEqual(normRows(await shoal.query(sql), false), normRows(await ref.query(duck), false));
      await check('SELECT key, value FROM small', 'SELECT key, value FROM src WHERE key < 100');
      await check("SELECT k, c FROM counts WHERE part = 'x'", 'SELECT key % 10, count(*) FROM src GROUP BY key % 10');
      await check("SELECT k, c, part FROM counts WHERE part <> 'x'", "SELECT key % 3, count(DISTINCT value), 'p' || (key % 2) FROM src WHERE key > 200 GROUP BY key % 3, 'p' || (key % 2)");
    });
  },
});
