// Hive's multi-insert: one FROM, several branches, planned as one job that reads the
// source once. Every table (and the rows a SELECT branch returns) is compared with DuckDB
// running each branch as its own query over the same data; the job report shows the
// source's bytes read once; a failure anywhere leaves every target table as it was.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import { Catalog } from '../../lib/catalog/catalog.js';
import type { RunResult } from '../../lib/local/runner.js';
import { FIXTURES, normRows, startDuckDB, startShoal, type Reference, type Shoal, SRC_SELECT } from '../support/engines.js';
import { filesUnder, snapshot } from '../support/warehouse.js';
import { compareSuite, MULTI_TASK } from './compare.js';

/** Bytes of the table's files (of the partitions whose path passes `keep`), as the catalog lists them. */
async function tableBytes(shoal: Shoal, table: string, keep: (path: string) => boolean = () => true): Promise<number> {
  const t = (await new Catalog(shoal.store).load()).databases.default!.tables[table]!;
  const files = [...t.files, ...Object.entries(t.partitions).filter(([p]) => keep(p)).flatMap(([, p]) => p.files)];
  return files.reduce((n, f) => n + f.size, 0);
}

/** The multi-insert's stages that read tables: bytes downloaded, and how many fan-outs ran such a read. */
function tableReads(r: RunResult): { bytes: number; fanOuts: number } {
  const st = r.plan.statements.find((s) => s.kind === 'dataflow' && s.sinks.length > 1)!;
  const reading = r.metrics.stages.filter((s) => s.statement === st.index && s.reads.includes('table') && s.tasks > 0);
  return { bytes: reading.reduce((n, s) => n + s.inputBytes, 0), fanOuts: reading.length };
}

compareSuite('multi-insert: Shoal against DuckDB', [], {
  extra(env) {
    const check = async (sql: string, duck: string, ordered = false) => {
      const { shoal, ref } = env();
      assert.deepEqual(normRows(await shoal.query(sql), ordered), normRows(await ref.query(duck), ordered), sql);
    };

    test('multi-insert reads src once for every kind of branch: OVERWRITE, INTO, static and dynamic partitions, GROUP BY, ORDER BY … LIMIT, and rows to the client', async () => {
      const { shoal, ref } = env();
      await shoal.run(`CREATE TABLE mi_small (key INT, value STRING) STORED AS PARQUET;
        CREATE TABLE mi_counts (k INT, c BIGINT) PARTITIONED BY (part STRING) STORED AS PARQUET;
        CREATE TABLE mi_top (key INT, value STRING);
        INSERT INTO TABLE mi_top SELECT key, value FROM src WHERE key = 0;`);
      const r = await shoal.run(`FROM src
        INSERT OVERWRITE TABLE mi_small SELECT key, value WHERE key < 100
        INSERT OVERWRITE TABLE mi_counts PARTITION (part = 'x') SELECT key % 10, count(*) GROUP BY key % 10
        INSERT OVERWRITE TABLE mi_counts PARTITION (part) SELECT key % 3, count(DISTINCT value), concat('p', key % 2) WHERE key > 200 GROUP BY key % 3, concat('p', key % 2)
        INSERT INTO TABLE mi_top SELECT key, value ORDER BY key DESC, value LIMIT 5
        SELECT key, concat(value, '!') AS v WHERE key BETWEEN 90 AND 110 ORDER BY key, v;`, { settings: MULTI_TASK });
      assert.deepEqual(normRows(r.results.at(-1)!.rows, true), normRows(await ref.query(`SELECT key, value || '!' AS v FROM src WHERE key BETWEEN 90 AND 110 ORDER BY key, v`), true));
      await check('SELECT key, value FROM mi_small', 'SELECT key, value FROM src WHERE key < 100');
      await check("SELECT k, c FROM mi_counts WHERE part = 'x'", 'SELECT key % 10, count(*) FROM src GROUP BY key % 10');
      await check("SELECT k, c, part FROM mi_counts WHERE part <> 'x'", "SELECT key % 3, count(DISTINCT value), 'p' || (key % 2) FROM src WHERE key > 200 GROUP BY key % 3, 'p' || (key % 2)");
      await check('SELECT key, value FROM mi_top', 'SELECT key, value FROM src WHERE key = 0 UNION ALL (SELECT key, value FROM src ORDER BY key DESC, value LIMIT 5)');
      // five branches, one fan-out over src's files: each byte downloaded once
      assert.deepEqual(tableReads(r), { bytes: await tableBytes(shoal, 'src'), fanOuts: 1 });
    });

    test('a WITH query joined with another table as the source: both tables are read once', async () => {
      const { shoal } = env();
      await shoal.run(`CREATE TABLE mi_j1 (k INT, v STRING) STORED AS PARQUET; CREATE TABLE mi_j2 (v STRING, c BIGINT);`);
      const r = await shoal.run(`WITH big AS (SELECT key, value FROM src WHERE key > 50)
        FROM big b JOIN src1 s ON b.value = s.value
        INSERT OVERWRITE TABLE mi_j1 SELECT b.key, s.key WHERE b.key < 300
        INSERT OVERWRITE TABLE mi_j2 SELECT b.value, count(*) GROUP BY b.value;`, { settings: MULTI_TASK });
      const big = 'WITH big AS (SELECT key, value FROM src WHERE key > 50)';
      await check('SELECT k, v FROM mi_j1', `${big} SELECT b.key, s.key FROM big b JOIN src1 s ON b.value = s.value WHERE b.key < 300`);
      await check('SELECT v, c FROM mi_j2', `${big} SELECT b.value, count(*) FROM big b JOIN src1 s ON b.value = s.value GROUP BY b.value`);
      assert.deepEqual(tableReads(r), { bytes: (await tableBytes(shoal, 'src')) + (await tableBytes(shoal, 'src1')), fanOuts: 2 });
    });

    test('a grouped subquery as the source: its scan and partial aggregate run once for both branches', async () => {
      const { shoal } = env();
      await shoal.run(`CREATE TABLE mi_s1 (key INT) STORED AS PARQUET; CREATE TABLE mi_s2 (c BIGINT, n BIGINT) STORED AS PARQUET;`);
      const r = await shoal.run(`FROM (SELECT key, count(*) AS c FROM src GROUP BY key) t
        INSERT OVERWRITE TABLE mi_s1 SELECT key WHERE c > 1
        INSERT OVERWRITE TABLE mi_s2 SELECT c, count(*) GROUP BY c;`, { settings: MULTI_TASK });
      const t = '(SELECT key, count(*) AS c FROM src GROUP BY key) t';
      await check('SELECT key FROM mi_s1', `SELECT key FROM ${t} WHERE c > 1`);
      await check('SELECT c, n FROM mi_s2', `SELECT c, count(*) FROM ${t} GROUP BY c`);
      assert.deepEqual(tableReads(r), { bytes: await tableBytes(shoal, 'src'), fanOuts: 1 });
    });

    test('each branch keeps only its own partitions of srcpart, and a file two branches need is read once', async () => {
      const { shoal } = env();
      await shoal.run(`CREATE TABLE mi_p1 (key STRING, value STRING) STORED AS PARQUET; CREATE TABLE mi_p2 (key STRING, hr STRING) STORED AS PARQUET;
        CREATE TABLE mi_p3 (key STRING, hr STRING) STORED AS PARQUET;`);
      const r = await shoal.run(`FROM srcpart
        INSERT OVERWRITE TABLE mi_p1 SELECT key, value WHERE ds = '2008-04-08' AND hr = '11'
        INSERT OVERWRITE TABLE mi_p2 SELECT key, hr WHERE ds = '2008-04-09' AND value LIKE 'val_1%'
        INSERT OVERWRITE TABLE mi_p3 SELECT key, ds WHERE hr = '11' AND value LIKE 'val_2%';`, { settings: MULTI_TASK });
      await check('SELECT key, value FROM mi_p1', "SELECT key, value FROM srcpart WHERE ds = '2008-04-08' AND hr = '11'");
      await check('SELECT key, hr FROM mi_p2', "SELECT key, hr FROM srcpart WHERE ds = '2008-04-09' AND value LIKE 'val_1%'");
      await check('SELECT key, hr FROM mi_p3', "SELECT key, ds FROM srcpart WHERE hr = '11' AND value LIKE 'val_2%'");
      // three of the four partitions are needed, 2008-04-09/hr=11 by two branches
      assert.deepEqual(tableReads(r), { bytes: await tableBytes(shoal, 'srcpart', (p) => p !== 'ds=2008-04-08/hr=12'), fanOuts: 1 });
    });

    test('branches writing one table apply in branch order: two static partitions, then dynamic ones overwriting and appending', async () => {
      const { shoal } = env();
      await shoal.run(`CREATE TABLE mi_same (key INT, value STRING) PARTITIONED BY (p STRING) STORED AS PARQUET;
        INSERT OVERWRITE TABLE mi_same PARTITION (p='old') SELECT key, value FROM src WHERE key < 10;
        INSERT OVERWRITE TABLE mi_same PARTITION (p='b') SELECT key, value FROM src WHERE key > 490;`);
      await shoal.run(`FROM src
        INSERT OVERWRITE TABLE mi_same PARTITION (p='a') SELECT key, value WHERE key < 50
        INSERT OVERWRITE TABLE mi_same PARTITION (p='b') SELECT key, value WHERE key >= 450
        INSERT OVERWRITE TABLE mi_same PARTITION (p) SELECT key, value, CASE WHEN key < 100 THEN 'b' ELSE 'c' END WHERE key < 200
        INSERT INTO TABLE mi_same PARTITION (p) SELECT key, value, 'c' WHERE key = 311;`, { settings: MULTI_TASK });
      // as if the branches ran one after the other: 'b' holds the dynamic branch's rows, 'c' both dynamic branches'
      await check('SELECT key, value, p FROM mi_same', `SELECT key, value, 'old' FROM src WHERE key < 10
        UNION ALL SELECT key, value, 'a' FROM src WHERE key < 50
        UNION ALL SELECT key, value, CASE WHEN key < 100 THEN 'b' ELSE 'c' END FROM src WHERE key < 200
        UNION ALL SELECT key, value, 'c' FROM src WHERE key = 311`);
    });
  },
});

const kv1 = join(FIXTURES, 'hive', 'kv1.txt');
// Three tasks per stage, each writing every partition: writers, compaction and commit all have work.
const FAULTY = { 'shoal.sink.dynamic-partition.sort': 'false', 'shoal.adaptive.min-parallelism': '3' };
const JOB = `FROM src
  INSERT OVERWRITE TABLE fa SELECT key, value WHERE key >= 30
  INSERT OVERWRITE TABLE fb PARTITION (ds='1') SELECT key, count(*) WHERE key > 100 GROUP BY key
  INSERT OVERWRITE TABLE fc PARTITION (k) SELECT value, CAST(key % 3 AS STRING) WHERE key < 300`;

describe('a failed multi-insert leaves every table as it was', () => {
  let shoal: Shoal;
  let ref: Reference;
  before(async () => {
    shoal = await startShoal({ store: 'local' });
    ref = await startDuckDB();
    await ref.exec(`CREATE TABLE src AS ${SRC_SELECT}`);
    await shoal.run(`CREATE TABLE src (key INT, value STRING); LOAD DATA LOCAL INPATH '${kv1}' INTO TABLE src;
      CREATE TABLE fa (key INT, value STRING) STORED AS PARQUET;
      INSERT OVERWRITE TABLE fa SELECT key, value FROM src WHERE key < 30;
      CREATE TABLE fb (key INT, c BIGINT) PARTITIONED BY (ds STRING) STORED AS PARQUET;
      INSERT OVERWRITE TABLE fb PARTITION (ds='1') SELECT key, count(*) FROM src GROUP BY key;
      CREATE TABLE fc (value STRING) PARTITIONED BY (k STRING) STORED AS PARQUET;
      INSERT OVERWRITE TABLE fc PARTITION (k) SELECT value, CAST(key % 2 + 1 AS STRING) FROM src;`);
  });
  after(() => shoal?.close());

  for (const point of ['task', 'compact', 'before-commit', 'during-commit']) {
    test(`a failure at '${point}' (the last branch's writer, for 'task') changes no file of any target and leaves no staging or shuffle`, async () => {
      const before = await snapshot(shoal.warehouse);
      await assert.rejects(shoal.run(JOB, { settings: { ...FAULTY, 'shoal.test.inject-failure': point }, keepJobFiles: true }), new RegExp(`injected failure at '${point}'`));
      assert.deepEqual(await snapshot(shoal.warehouse), before);
      assert.deepEqual(await filesUnder(shoal.warehouse, '_staging/'), []);
      assert.deepEqual((await filesUnder(shoal.warehouse, '_jobs/')).filter((k) => k.includes('/shuffle/')), []);
      await rm(join(shoal.warehouse, '_jobs'), { recursive: true, force: true });
    });
  }

  test('after the failures, the job runs and every branch gives what DuckDB computes', async () => {
    await shoal.run(JOB, { settings: FAULTY });
    const check = async (sql: string, duck: string) => assert.deepEqual(normRows(await shoal.query(sql), false), normRows(await ref.query(duck), false), sql);
    await check('SELECT key, value FROM fa', 'SELECT key, value FROM src WHERE key >= 30');
    await check('SELECT key, c, ds FROM fb', "SELECT key, count(*), '1' FROM src WHERE key > 100 GROUP BY key");
    // partitions 0, 1 and 2 are overwritten; the old rows of 2 (odd keys) are gone, none of the old partitions stays
    await check('SELECT value, k FROM fc', 'SELECT value, CAST(key % 3 AS VARCHAR) FROM src WHERE key < 300');
  });
});
