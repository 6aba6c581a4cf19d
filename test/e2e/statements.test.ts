// Every statement kind of the core, run as a user would, checked against DuckDB reading
// the Parquet files Shoal left in the warehouse.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FIXTURES, normRows, type Reference, type Shoal } from '../support/engines.js';
import { startWithSrc } from './setup.js';

const kv1 = join(FIXTURES, 'hive', 'kv1.txt');

describe('statements end to end', () => {
  let shoal: Shoal;
  let ref: Reference;
  before(async () => {
    ({ shoal, ref } = await startWithSrc());
  });
  after(() => shoal?.close());

  test('CREATE DATABASE, USE and a table in it land under db.db/', async () => {
    await shoal.run(`CREATE DATABASE IF NOT EXISTS sales; CREATE DATABASE IF NOT EXISTS sales; USE sales;
      CREATE TABLE t (k INT) STORED AS PARQUET; INSERT INTO TABLE t SELECT key FROM default.src WHERE key < 10;`);
    const rows = await shoal.query('SELECT count(*) FROM sales.t');
    assert.deepEqual(rows, [[10]]);
    const files = await ref.query(`SELECT count(*) FROM read_parquet('${await shoal.localDir('sales.db/t')}/*.parquet')`);
    assert.deepEqual(files, [[10]]);
  });

  test('INSERT OVERWRITE into a static partition writes Hive-layout Parquet that DuckDB reads', async () => {
    await shoal.run(`CREATE TABLE p (key INT, value STRING) PARTITIONED BY (ds STRING) STORED AS PARQUET;
      INSERT OVERWRITE TABLE p PARTITION (ds='2024-01-01') SELECT key, value FROM src WHERE key < 100;`);
    const got = await ref.query(`SELECT key, value, ds FROM read_parquet('${await shoal.localDir('p/ds=2024-01-01')}/*.parquet', hive_partitioning=true)`);
    const want = await ref.query(`SELECT key, value, '2024-01-01' FROM src WHERE key < 100`);
    assert.deepEqual(normRows(got, false), normRows(want, false));
  });

  test('INSERT OVERWRITE of a partition replaces only that partition', async () => {
    await shoal.run(`INSERT OVERWRITE TABLE p PARTITION (ds='2024-01-02') SELECT key, value FROM src WHERE key < 10;
      INSERT OVERWRITE TABLE p PARTITION (ds='2024-01-01') SELECT key, value FROM src WHERE key < 5;`);
    const rows = await shoal.query('SELECT ds, count(*) FROM p GROUP BY ds');
    assert.deepEqual(normRows(rows, false), normRows([['2024-01-01', 5], ['2024-01-02', 10]], false));
  });

  test('INSERT INTO appends to a partition', async () => {
    await shoal.run(`INSERT INTO TABLE p PARTITION (ds='2024-01-02') SELECT key, value FROM src WHERE key < 10;`);
    assert.deepEqual(await shoal.query(`SELECT count(*) FROM p WHERE ds = '2024-01-02'`), [[20]]);
  });

  test('INSERT OVERWRITE with dynamic partitions replaces exactly the partitions that receive rows', async () => {
    await shoal.run(`CREATE TABLE d (value STRING) PARTITIONED BY (k STRING) STORED AS PARQUET;
      INSERT OVERWRITE TABLE d PARTITION (k) SELECT value, CAST(key % 3 AS STRING) FROM src;
      INSERT OVERWRITE TABLE d PARTITION (k) SELECT 'new', '1' FROM src WHERE key = 0;`);
    const rows = await shoal.query('SELECT k, count(*), max(value) FROM d GROUP BY k');
    const want = await ref.query(`SELECT CAST(key % 3 AS VARCHAR) AS k, count(*), max(value) FROM src WHERE key % 3 <> 1 GROUP BY 1 UNION ALL SELECT '1', 3, 'new'`);
    assert.deepEqual(normRows(rows, false), normRows(want, false));
    assert.ok((await shoal.keys('d/k=0/')).length > 0);
  });

  test('a NULL dynamic partition value goes to __HIVE_DEFAULT_PARTITION__', async () => {
    await shoal.run(`CREATE TABLE n (v INT) PARTITIONED BY (p STRING) STORED AS PARQUET;
      INSERT OVERWRITE TABLE n PARTITION (p) SELECT key, CASE WHEN key < 10 THEN NULL ELSE 'x' END FROM src WHERE key < 20;`);
    assert.ok((await shoal.keys('n/p=__HIVE_DEFAULT_PARTITION__/')).length > 0);
    assert.deepEqual(normRows(await shoal.query('SELECT p, count(*) FROM n GROUP BY p'), false), normRows([[null, 10], ['x', 10]], false));
  });

  test('CREATE TABLE AS SELECT infers the schema and writes the rows', async () => {
    await shoal.run(`CREATE TABLE agg STORED AS PARQUET AS SELECT key, count(*) AS c, avg(key) AS a FROM src GROUP BY key;`);
    const got = await shoal.query('SELECT key, c, a FROM agg');
    const want = await ref.query('SELECT key, count(*), avg(key) FROM src GROUP BY key');
    assert.deepEqual(normRows(got, false), normRows(want, false));
    const r = await shoal.run('SELECT * FROM agg LIMIT 1');
    assert.deepEqual(r.results[0]!.columns.map((c) => `${c.name}:${c.type.kind === 'primitive' ? c.type.name : c.type.kind}`), ['key:int', 'c:bigint', 'a:double']);
  });

  test('CTAS fails clearly when the table exists', async () => {
    await assert.rejects(shoal.run('CREATE TABLE agg AS SELECT 1 AS x FROM src'), /table 'default.agg' already exists/);
  });

  test('a TEXTFILE table written by INSERT reads back the same', async () => {
    await shoal.run(`CREATE TABLE tx (key INT, value STRING) ROW FORMAT DELIMITED FIELDS TERMINATED BY ','; INSERT OVERWRITE TABLE tx SELECT key, value FROM src WHERE key < 50;`);
    assert.deepEqual(normRows(await shoal.query('SELECT key, value FROM tx'), false), normRows(await ref.query('SELECT key, value FROM src WHERE key < 50'), false));
  });

  test('DROP TABLE removes the table and its files; IF EXISTS tolerates a missing one', async () => {
    await shoal.run('CREATE TABLE gone STORED AS PARQUET AS SELECT key FROM src; DROP TABLE gone; DROP TABLE IF EXISTS gone;');
    assert.deepEqual(await shoal.keys('gone/'), []);
    await assert.rejects(shoal.query('SELECT * FROM gone'), /table 'default.gone' does not exist/);
  });

  test('SET and variables reach the plan', async () => {
    const r = await shoal.run('SET shoal.shuffle.partitions=3; SELECT key, count(*) FROM src WHERE key < ${hivevar:lim} GROUP BY key;', { vars: { lim: '5' } });
    assert.equal(r.results[0]!.rows.length, 3);
    const st = r.plan.statements.find((s) => s.kind === 'dataflow')!;
    assert.ok(st.kind === 'dataflow' && st.stages.some((s) => s.output.kind === 'hash' && s.output.partitions === 3));
  });

  test('EXPLAIN returns the stage DAG as rows', async () => {
    const r = await shoal.run('EXPLAIN SELECT key, count(*) FROM src GROUP BY key');
    const text = r.results[0]!.rows.map((x) => x[0]).join('\n');
    assert.match(text, /Aggregate\(partial\)/);
    assert.match(text, /Stage 2 <- stage 1/);
  });

  test('an external table with LOCATION reads files placed there', async () => {
    await shoal.run(`CREATE EXTERNAL TABLE ext (key INT, value STRING) LOCATION 'ext_data'; LOAD DATA LOCAL INPATH '${kv1}' INTO TABLE ext;`);
    assert.deepEqual(await shoal.query('SELECT count(*) FROM ext'), [[500]]);
    assert.ok((await shoal.keys('ext_data/')).length > 0);
  });
});
