// Table writes as Hive does them (static, dynamic and mixed partitions, appends, CTAS,
// Hive's partition directory names), compaction and per-partition statistics. Every
// expectation is computed by DuckDB: the same changes applied to a DuckDB table, and
// DuckDB reading the files Shoal left in the warehouse.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Catalog } from '../../lib/catalog/catalog.js';
import { LocalStore } from '../../lib/store/local-store.js';
import { FIXTURES, normRows, startDuckDB, startShoal, writeText, type Reference, type Shoal } from '../support/engines.js';
import { filesUnder, snapshot } from '../support/warehouse.js';

const kv1 = join(FIXTURES, 'hive', 'kv1.txt');
const srcText = `read_csv('${kv1}', delim='\u0001', header=false, quote='', escape='', columns={'a':'VARCHAR','b':'VARCHAR'}, auto_detect=false)`;

/** Parquet files of a partitioned table read by DuckDB, partition columns as text. */
const hiveRead = (wh: string, table: string, depth: number) =>
  `read_parquet('${wh}/${table}/${'*/'.repeat(depth)}*.parquet', hive_partitioning=true, hive_types_autocast=false)`;

async function partitionDirs(wh: string, table: string): Promise<string[]> {
  return (await readdir(join(wh, table))).filter((d) => d.includes('=')).sort();
}

async function filesPerPartition(wh: string, table: string): Promise<number[]> {
  const dirs = await partitionDirs(wh, table);
  return Promise.all(dirs.map(async (d) => (await readdir(join(wh, table, d))).length));
}

describe('table writes', () => {
  let shoal: Shoal;
  let ref: Reference;
  before(async () => {
    shoal = await startShoal();
    ref = await startDuckDB();
    await shoal.run(`CREATE TABLE src (key INT, value STRING); LOAD DATA LOCAL INPATH '${kv1}' INTO TABLE src;`);
    await ref.exec(`CREATE TABLE src AS SELECT TRY_CAST(a AS INTEGER) AS key, b AS value FROM ${srcText}`);
    // g: 20,000 generated rows
    const gen = join(shoal.warehouse, '..', `${basename(shoal.warehouse)}-g.txt`);
    await writeText(gen, Array.from({ length: 20000 }, (_, i) => [i, `v${(i * 7) % 1013}`]));
    await shoal.run(`CREATE TABLE g (id INT, v STRING); LOAD DATA LOCAL INPATH '${gen}' INTO TABLE g;`);
    await ref.exec(`CREATE TABLE g AS SELECT TRY_CAST(a AS INTEGER) AS id, b AS v FROM read_csv('${gen}', delim='\u0001', header=false, quote='', escape='', columns={'a':'VARCHAR','b':'VARCHAR'}, auto_detect=false)`);
    await rm(gen);
  });
  after(() => shoal?.close());

  test('INSERT OVERWRITE of static, dynamic and mixed partitions and INSERT INTO change exactly the partitions Hive would', async () => {
    await ref.exec(`CREATE TABLE t (key INT, value VARCHAR, dt VARCHAR, hr VARCHAR)`);
    await shoal.run(`CREATE TABLE t (key INT, value STRING) PARTITIONED BY (dt STRING, hr STRING) STORED AS PARQUET`);
    const steps: [string, string][] = [
      [`INSERT OVERWRITE TABLE t PARTITION (dt='2024-01-01', hr='00') SELECT key, value FROM src WHERE key < 100`,
        `DELETE FROM t WHERE dt = '2024-01-01' AND hr = '00'; INSERT INTO t SELECT key, value, '2024-01-01', '00' FROM src WHERE key < 100`],
      [`INSERT OVERWRITE TABLE t PARTITION (dt, hr) SELECT key, value, CASE WHEN key % 3 = 0 THEN '2024-01-01' ELSE '2024-01-02' END, CAST(key % 4 AS STRING) FROM src WHERE key >= 50`,
        `CREATE TEMP TABLE n AS SELECT key, value, CASE WHEN key % 3 = 0 THEN '2024-01-01' ELSE '2024-01-02' END AS dt, CAST(key % 4 AS VARCHAR) AS hr FROM src WHERE key >= 50;
         DELETE FROM t WHERE (dt, hr) IN (SELECT DISTINCT dt, hr FROM n); INSERT INTO t SELECT * FROM n; DROP TABLE n`],
      [`INSERT OVERWRITE TABLE t PARTITION (dt='2024-01-02', hr) SELECT key, value, CAST(key % 2 AS STRING) FROM src WHERE key < 30`,
        `CREATE TEMP TABLE n AS SELECT key, value, '2024-01-02' AS dt, CAST(key % 2 AS VARCHAR) AS hr FROM src WHERE key < 30;
         DELETE FROM t WHERE (dt, hr) IN (SELECT DISTINCT dt, hr FROM n); INSERT INTO t SELECT * FROM n; DROP TABLE n`],
      [`INSERT INTO TABLE t PARTITION (dt='2024-01-01', hr='00') SELECT key, value FROM src WHERE key < 10`,
        `INSERT INTO t SELECT key, value, '2024-01-01', '00' FROM src WHERE key < 10`],
      // A static overwrite that selects no rows empties its partition.
      [`INSERT OVERWRITE TABLE t PARTITION (dt='2024-01-02', hr='3') SELECT key, value FROM src WHERE key < 0`,
        `DELETE FROM t WHERE dt = '2024-01-02' AND hr = '3'`],
    ];
    for (const [hive, duck] of steps) {
      await shoal.run(hive);
      for (const s of duck.split(';')) if (s.trim()) await ref.exec(s);
      const want = normRows(await ref.query('SELECT key, value, dt, hr FROM t'), false);
      assert.deepEqual(normRows(await shoal.query('SELECT key, value, dt, hr FROM t'), false), want, hive);
      assert.deepEqual(normRows(await ref.query(`SELECT key, value, dt, hr FROM ${hiveRead(shoal.warehouse, 't', 2)}`), false), want, `files after: ${hive}`);
    }
  });

  test('unpartitioned tables: INSERT OVERWRITE replaces, INSERT INTO appends', async () => {
    await shoal.run(`CREATE TABLE u (key INT, value STRING) STORED AS PARQUET;
      INSERT INTO TABLE u SELECT key, value FROM src WHERE key < 50;
      INSERT OVERWRITE TABLE u SELECT key, value FROM src WHERE key BETWEEN 100 AND 200;
      INSERT INTO TABLE u SELECT key, value FROM src WHERE key < 20;`);
    const want = await ref.query('SELECT key, value FROM src WHERE key BETWEEN 100 AND 200 UNION ALL SELECT key, value FROM src WHERE key < 20');
    assert.deepEqual(normRows(await shoal.query('SELECT key, value FROM u'), false), normRows(want, false));
    assert.deepEqual(normRows(await ref.query(`SELECT key, value FROM read_parquet('${shoal.warehouse}/u/*.parquet')`), false), normRows(want, false));
  });

  test('partition directories are named as Hive names them: escaped special characters, NULL and empty in __HIVE_DEFAULT_PARTITION__', async () => {
    const cases = `CASE WHEN key < 10 THEN 'a/b' WHEN key < 20 THEN 'x:y' WHEN key < 30 THEN '50%' WHEN key < 40 THEN 'eq=1' WHEN key < 50 THEN NULL WHEN key < 60 THEN '' ELSE 'plain' END`;
    await shoal.run(`CREATE TABLE esc (key INT) PARTITIONED BY (p STRING) STORED AS PARQUET;
      INSERT OVERWRITE TABLE esc PARTITION (p) SELECT key, ${cases} FROM src WHERE key < 70;`);
    assert.deepEqual(await partitionDirs(shoal.warehouse, 'esc'), ['p=50%25', 'p=__HIVE_DEFAULT_PARTITION__', 'p=a%2Fb', 'p=eq%3D1', 'p=plain', 'p=x%3Ay']);
    // Hive reads the default partition back as NULL.
    const want = await ref.query(`SELECT key, NULLIF(${cases}, '') FROM src WHERE key < 70`);
    assert.deepEqual(normRows(await shoal.query('SELECT key, p FROM esc'), false), normRows(want, false));
    assert.deepEqual(normRows(await shoal.query(`SELECT count(*) FROM esc WHERE p = 'a/b'`), false), normRows(await ref.query('SELECT count(*) FROM src WHERE key < 10'), false));
  });

  test('CTAS with PARTITIONED BY writes a partitioned table; IF NOT EXISTS over an existing table changes nothing; without it the statement fails', async () => {
    await shoal.run(`CREATE TABLE ct PARTITIONED BY (k) STORED AS PARQUET AS SELECT value, key, CAST(key % 5 AS STRING) AS k FROM src WHERE key < 200`);
    const want = await ref.query('SELECT value, key, CAST(key % 5 AS VARCHAR) FROM src WHERE key < 200');
    assert.deepEqual(normRows(await shoal.query('SELECT value, key, k FROM ct'), false), normRows(want, false));
    assert.equal((await partitionDirs(shoal.warehouse, 'ct')).length, 5);
    const before = await snapshot(shoal.warehouse);
    await shoal.run(`CREATE TABLE IF NOT EXISTS ct PARTITIONED BY (k) STORED AS PARQUET AS SELECT value, key, 'z' AS k FROM src`);
    assert.deepEqual(await snapshot(shoal.warehouse), before);
    await assert.rejects(shoal.run(`CREATE TABLE ct AS SELECT value FROM src`), /table 'default.ct' already exists/);
  });

  test('the catalog records rows, bytes and files per partition, matching the files', async () => {
    const state = await new Catalog(new LocalStore(shoal.warehouse)).load();
    const t = state.databases.default!.tables.ct!;
    assert.equal(Object.keys(t.partitions).length, 5);
    for (const p of Object.values(t.partitions)) {
      const dir = join(shoal.warehouse, p.location);
      const names = await readdir(dir);
      const bytes = (await Promise.all(names.map((n) => stat(join(dir, n))))).reduce((a, s) => a + s.size, 0);
      const [[rows]] = await ref.query(`SELECT count(*) FROM read_parquet('${dir}/*.parquet')`) as [[number]];
      assert.deepEqual(p.stats, { rows, bytes, files: names.length }, p.location);
    }
  });

  test('without the sort exchange every writer task writes every partition; compaction merges them into one file each, keeping every row', async () => {
    const upstream = `SELECT value, CAST(key % 3 AS STRING) AS k FROM (SELECT key, value FROM src GROUP BY key, value) g`;
    const settings = { 'shoal.sink.dynamic-partition.sort': 'false', 'shoal.adaptive.min-parallelism': '4' };
    const want = normRows(await ref.query(`SELECT value, CAST(key % 3 AS VARCHAR) FROM (SELECT DISTINCT key, value FROM src)`), false);
    for (const format of ['PARQUET', 'TEXTFILE']) {
      const name = `sc_${format.toLowerCase()}`;
      await shoal.run(`CREATE TABLE ${name} (value STRING) PARTITIONED BY (k STRING) STORED AS ${format}`);
      await shoal.run(`INSERT OVERWRITE TABLE ${name} PARTITION (k) ${upstream}`, { settings: { ...settings, 'shoal.compaction.enabled': 'false' } });
      assert.deepEqual(await filesPerPartition(shoal.warehouse, name), [4, 4, 4], `${format}: 4 writer tasks × 3 partitions`);
      assert.deepEqual(normRows(await shoal.query(`SELECT value, k FROM ${name}`), false), want);
      await shoal.run(`INSERT OVERWRITE TABLE ${name} PARTITION (k) ${upstream}`, { settings });
      assert.deepEqual(await filesPerPartition(shoal.warehouse, name), [1, 1, 1], `${format}: compacted`);
      assert.deepEqual(normRows(await shoal.query(`SELECT value, k FROM ${name}`), false), want);
    }
    // With the exchange (the default) each partition is written by one task.
    await shoal.run(`INSERT OVERWRITE TABLE sc_parquet PARTITION (k) ${upstream}`, { settings: { 'shoal.adaptive.min-parallelism': '4', 'shoal.compaction.enabled': 'false' } });
    assert.deepEqual(await filesPerPartition(shoal.warehouse, 'sc_parquet'), [1, 1, 1]);
    assert.deepEqual(normRows(await shoal.query('SELECT value, k FROM sc_parquet'), false), want);
  });

  test('compaction leaves files at or above the small-file size alone and merges tiny row groups into large ones', async () => {
    const upstream = `SELECT id, v FROM (SELECT id, v FROM g GROUP BY id, v) x`;
    await shoal.run(`CREATE TABLE rg (id INT, v STRING) STORED AS PARQUET`);
    const base = { 'shoal.adaptive.min-parallelism': '4' };
    await shoal.run(`INSERT OVERWRITE TABLE rg ${upstream}`, { settings: { ...base, 'shoal.compaction.small-file-bytes': '1' } });
    const written = await filesUnder(shoal.warehouse, 'rg/');
    assert.equal(written.length, 4, 'no file is under 1 byte');
    const [[groupsBefore]] = await ref.query(`SELECT count(DISTINCT (file_name, row_group_id)) FROM parquet_metadata([${written.map((f) => `'${join(shoal.warehouse, f)}'`).join(', ')}])`) as [[number]];
    assert.ok(groupsBefore >= 4);
    await shoal.run(`INSERT OVERWRITE TABLE rg ${upstream}`, { settings: base });
    const files = await filesUnder(shoal.warehouse, 'rg/');
    assert.equal(files.length, 1);
    const [[rows, groups]] = await ref.query(`SELECT sum(row_group_num_rows), count(*) FROM parquet_metadata('${join(shoal.warehouse, files[0]!)}') WHERE column_id = 0`) as [[number, number]];
    const [[distinct]] = await ref.query('SELECT count(*) FROM (SELECT DISTINCT id, v FROM g)') as [[number]];
    assert.equal(rows, distinct);
    assert.equal(groups, 1, `${rows} rows fit in one row group of the default size`);
    assert.deepEqual(normRows(await shoal.query('SELECT id, v FROM rg'), false), normRows(await ref.query('SELECT DISTINCT id, v FROM g'), false));
  });

  test('a dynamic-partition job writes 1,000 partitions', async () => {
    const started = Date.now();
    await shoal.run(`CREATE TABLE wide (id INT, v STRING) PARTITIONED BY (p STRING) STORED AS PARQUET;
      INSERT OVERWRITE TABLE wide PARTITION (p) SELECT id, v, CAST(id % 1000 AS STRING) FROM g;`);
    const took = Date.now() - started;
    assert.equal((await partitionDirs(shoal.warehouse, 'wide')).length, 1000);
    const want = normRows(await ref.query(`SELECT CAST(id % 1000 AS VARCHAR), count(*), min(v), sum(id) FROM g GROUP BY 1`), false);
    assert.deepEqual(normRows(await shoal.query('SELECT p, count(*), min(v), sum(id) FROM wide GROUP BY p'), false), want);
    assert.deepEqual(normRows(await ref.query(`SELECT p, count(*), min(v), sum(id) FROM ${hiveRead(shoal.warehouse, 'wide', 1)} GROUP BY p`), false), want);
    assert.ok(took < 120_000, `1,000 partitions took ${took} ms`);
  });
});
