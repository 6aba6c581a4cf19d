// Catalog and utility statements run as a user would: after each one, the catalog and
// the files on disk are checked, and the rows Shoal reads are compared with DuckDB
// reading the same files. Each test names the Hive behaviour it checks. Failing
// statements must leave the catalog version and the files exactly as they were.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { Catalog } from '../../lib/catalog/catalog.js';
import type { CatalogState, TableMeta } from '../../lib/catalog/model.js';
import { openStore } from '../../lib/store/open-store.js';
import { FIXTURES, normRows, type Reference, type Shoal } from '../support/engines.js';
import { startWithSrc } from './setup.js';

const kv1 = join(FIXTURES, 'hive', 'kv1.txt');

describe('catalog and utility statements', () => {
  let shoal: Shoal;
  let ref: Reference;
  const catalog = (): Promise<CatalogState> => new Catalog(openStore(shoal.warehouse)).load();
  const table = async (name: string, db = 'default'): Promise<TableMeta> => (await catalog()).databases[db]!.tables[name]!;
  /** every file under the warehouse except the catalog's and the jobs' own */
  const dataFiles = async (): Promise<string[]> => {
    const out: string[] = [];
    const walk = async (dir: string) => {
      for (const e of await readdir(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) await walk(p);
        else out.push(relative(shoal.warehouse, p));
      }
    };
    await walk(shoal.warehouse);
    return out.filter((f) => !f.startsWith('_')).sort();
  };
  /** runs a failing statement and checks that nothing changed */
  const failsCleanly = async (sql: string, message: RegExp) => {
    const [v, files] = [(await catalog()).version, await dataFiles()];
    await assert.rejects(shoal.run(sql), message);
    assert.equal((await catalog()).version, v, 'the catalog did not move');
    assert.deepEqual(await dataFiles(), files, 'no file was added or removed');
  };
  const rowsOf = async (sql: string) => (await shoal.run(sql)).results.at(-1)!.rows.map((r) => [...r]);

  before(async () => {
    ({ shoal, ref } = await startWithSrc());
  });
  after(() => shoal?.close());

  test('INSERT INTO … VALUES appends typed rows (Hive converts each value to the column type)', async () => {
    await shoal.run(`CREATE TABLE iv (k INT, v STRING, d DOUBLE) STORED AS PARQUET;
      INSERT INTO iv VALUES (1, 'one', 1.5), (2, NULL, 2);
      INSERT INTO TABLE iv VALUES (3, 'three', NULL);`);
    assert.deepEqual(normRows(await shoal.query('SELECT k, v, d FROM iv'), false), normRows([[1, 'one', 1.5], [2, null, 2], [3, 'three', null]], false));
    const got = await ref.query(`SELECT k, v, d FROM read_parquet('${shoal.warehouse}/iv/*.parquet')`);
    assert.deepEqual(normRows(got, false), normRows([[1, 'one', 1.5], [2, null, 2], [3, 'three', null]], false));
  });

  test('ALTER TABLE ADD PARTITION registers a directory with the files another tool wrote; IF NOT EXISTS skips an existing one', async () => {
    await shoal.run(`CREATE EXTERNAL TABLE logs (key INT, value STRING) PARTITIONED BY (ds STRING) STORED AS PARQUET LOCATION 'ext/logs';`);
    await mkdir(join(shoal.warehouse, 'ext/logs/ds=2024-01-01'), { recursive: true });
    await ref.exec(`COPY (SELECT key, value FROM src WHERE key < 100) TO '${shoal.warehouse}/ext/logs/ds=2024-01-01/part-0.parquet' (FORMAT parquet)`);
    await mkdir(join(shoal.warehouse, 'elsewhere'), { recursive: true });
    await ref.exec(`COPY (SELECT key, value FROM src WHERE key >= 400) TO '${shoal.warehouse}/elsewhere/x.parquet' (FORMAT parquet)`);
    const v = (await catalog()).version;
    await shoal.run(`ALTER TABLE logs ADD PARTITION (ds='2024-01-01') PARTITION (ds='2024-01-02') LOCATION 'elsewhere';`);
    assert.equal((await catalog()).version, v + 1, 'one catalog version for the statement');
    const t = await table('logs');
    assert.deepEqual(Object.keys(t.partitions).sort(), ['ds=2024-01-01', 'ds=2024-01-02']);
    assert.equal(t.partitions['ds=2024-01-02']!.location, 'elsewhere');
    const got = await shoal.query('SELECT ds, count(*), sum(key) FROM logs GROUP BY ds');
    const want = await ref.query(`SELECT '2024-01-01', count(*), sum(key) FROM src WHERE key < 100 UNION ALL SELECT '2024-01-02', count(*), sum(key) FROM src WHERE key >= 400`);
    assert.deepEqual(normRows(got, false), normRows(want, false));
    await shoal.run(`ALTER TABLE logs ADD IF NOT EXISTS PARTITION (ds='2024-01-01');`);
    await failsCleanly(`ALTER TABLE logs ADD PARTITION (ds='2024-01-01');`, /partition ds=2024-01-01 of 'default.logs' already exists/);
    await failsCleanly(`ALTER TABLE logs ADD PARTITION (dt='x');`, /'dt' is not a partition column of 'default.logs'/);
  });

  test('ALTER TABLE DROP PARTITION deletes a managed table\'s files after the catalog switch, keeps an external table\'s, and takes comparisons', async () => {
    await shoal.run(`CREATE TABLE dp (key INT) PARTITIONED BY (ds STRING, hr INT) STORED AS PARQUET;
      INSERT OVERWRITE TABLE dp PARTITION (ds, hr) SELECT key, IF(key < 250, 'a', 'b'), key % 3 FROM src;`);
    assert.equal(Object.keys((await table('dp')).partitions).length, 6);
    // hr is an INT partition column: Hive compares it as a number
    await shoal.run(`ALTER TABLE dp DROP PARTITION (ds='a', hr>=1);`);
    assert.deepEqual(Object.keys((await table('dp')).partitions).sort(), ['ds=a/hr=0', 'ds=b/hr=0', 'ds=b/hr=1', 'ds=b/hr=2']);
    assert.equal(existsSync(join(shoal.warehouse, 'dp/ds=a/hr=1')) && (await readdir(join(shoal.warehouse, 'dp/ds=a/hr=1'))).length > 0, false);
    const got = await shoal.query('SELECT count(*) FROM dp');
    assert.deepEqual(got, await ref.query(`SELECT count(*) FROM src WHERE NOT (key < 250 AND key % 3 >= 1)`));
    await shoal.run(`ALTER TABLE dp DROP IF EXISTS PARTITION (ds='zzz', hr=0);`);
    await failsCleanly(`ALTER TABLE dp DROP PARTITION (ds='zzz', hr=0);`, /no partition of 'default.dp' matches/);
    // external: the partition leaves the catalog, its files stay
    await shoal.run(`ALTER TABLE logs DROP PARTITION (ds='2024-01-01');`);
    assert.ok(existsSync(join(shoal.warehouse, 'ext/logs/ds=2024-01-01/part-0.parquet')));
    assert.deepEqual(Object.keys((await table('logs')).partitions), ['ds=2024-01-02']);
  });

  test('MSCK REPAIR TABLE adds partition directories found under the location; SYNC PARTITIONS also forgets vanished ones', async () => {
    await shoal.run(`MSCK REPAIR TABLE logs;`);
    assert.deepEqual(Object.keys((await table('logs')).partitions).sort(), ['ds=2024-01-01', 'ds=2024-01-02']);
    // a Hive-layout directory tree written by DuckDB, with a marker file Hive ignores
    await ref.exec(`COPY (SELECT key, value, CAST(key % 4 AS VARCHAR) AS k FROM src) TO '${shoal.warehouse}/ext/bulk' (FORMAT parquet, PARTITION_BY (k))`);
    await writeFile(join(shoal.warehouse, 'ext/bulk/_SUCCESS'), '');
    await shoal.run(`CREATE EXTERNAL TABLE bulk (key INT, value STRING) PARTITIONED BY (k STRING) STORED AS PARQUET LOCATION 'ext/bulk'; MSCK REPAIR TABLE bulk;`);
    assert.equal(Object.keys((await table('bulk')).partitions).length, 4);
    const got = await shoal.query('SELECT k, count(*), max(value) FROM bulk GROUP BY k');
    assert.deepEqual(normRows(got, false), normRows(await ref.query(`SELECT CAST(key % 4 AS VARCHAR), count(*), max(value) FROM src GROUP BY 1`), false));
    await shoal.run(`ALTER TABLE bulk ADD PARTITION (k='9') LOCATION 'ext/nowhere'; MSCK REPAIR TABLE bulk SYNC PARTITIONS;`);
    assert.equal(Object.keys((await table('bulk')).partitions).length, 4);
  });

  test('CREATE EXTERNAL TABLE … LOCATION reads the files already there (Parquet and text)', async () => {
    await mkdir(join(shoal.warehouse, 'ext/pq'), { recursive: true });
    await ref.exec(`COPY (SELECT key, value FROM src WHERE key % 2 = 0) TO '${shoal.warehouse}/ext/pq/a.parquet' (FORMAT parquet)`);
    await mkdir(join(shoal.warehouse, 'ext/txt'), { recursive: true });
    await copyFile(kv1, join(shoal.warehouse, 'ext/txt/kv1.txt'));
    await shoal.run(`CREATE EXTERNAL TABLE pq (key INT, value STRING) STORED AS PARQUET LOCATION 'ext/pq';
      CREATE EXTERNAL TABLE txt (key INT, value STRING) LOCATION 'ext/txt';`);
    assert.deepEqual(await shoal.query('SELECT count(*), sum(key) FROM pq'), await ref.query('SELECT count(*), sum(key) FROM src WHERE key % 2 = 0'));
    assert.deepEqual(await shoal.query('SELECT count(*), sum(key) FROM txt'), await ref.query('SELECT count(*), sum(key) FROM src'));
  });

  test('ALTER TABLE RENAME TO moves a managed table\'s directory and keeps an external table\'s location', async () => {
    await shoal.run(`CREATE TABLE old_name (key INT) PARTITIONED BY (p STRING) STORED AS PARQUET;
      INSERT OVERWRITE TABLE old_name PARTITION (p='x') SELECT key FROM src WHERE key < 50;
      CREATE DATABASE IF NOT EXISTS other;
      ALTER TABLE old_name RENAME TO other.new_name;`);
    const c = await catalog();
    assert.equal(c.databases.default!.tables.old_name, undefined);
    const t = c.databases.other!.tables.new_name!;
    assert.equal(t.location, 'other.db/new_name');
    assert.ok(t.partitions['p=x']!.files.every((f) => f.key.startsWith('other.db/new_name/p=x/') && existsSync(join(shoal.warehouse, f.key))));
    assert.equal(existsSync(join(shoal.warehouse, 'old_name/p=x')) && (await readdir(join(shoal.warehouse, 'old_name/p=x'))).length > 0, false);
    assert.deepEqual(await shoal.query('SELECT count(*) FROM other.new_name'), await ref.query('SELECT count(*) FROM src WHERE key < 50'));
    await shoal.run(`ALTER TABLE pq RENAME TO pq2;`);
    assert.equal((await table('pq2')).location, 'ext/pq');
    await failsCleanly(`ALTER TABLE pq2 RENAME TO src;`, /table 'default.src' already exists/);
  });

  test('ALTER TABLE ADD COLUMNS: rows written before read NULL in the new column (Parquet and text); REPLACE COLUMNS redefines them', async () => {
    await shoal.run(`CREATE TABLE ac (key INT) STORED AS PARQUET; INSERT INTO ac SELECT key FROM src WHERE key < 10;
      CREATE TABLE act (key INT, value STRING); INSERT INTO act SELECT key, value FROM src WHERE key < 10;
      ALTER TABLE ac ADD COLUMNS (extra STRING COMMENT 'added', n DOUBLE);
      ALTER TABLE act ADD COLUMNS (extra STRING);
      INSERT INTO ac SELECT key, value, 1.5 FROM src WHERE key >= 490;`);
    const got = await shoal.query('SELECT key, extra, n FROM ac');
    assert.deepEqual(normRows(got, false), normRows(await ref.query(`SELECT key, NULL, NULL FROM src WHERE key < 10 UNION ALL SELECT key, value, 1.5 FROM src WHERE key >= 490`), false));
    assert.deepEqual(normRows(await shoal.query('SELECT key, value, extra FROM act'), false), normRows(await ref.query('SELECT key, value, NULL FROM src WHERE key < 10'), false));
    assert.deepEqual((await table('ac')).columns.map((c) => `${c.name}:${c.comment ?? ''}`), ['key:', 'extra:added', 'n:']);
    await failsCleanly(`ALTER TABLE ac ADD COLUMNS (key STRING);`, /column 'key' already exists/);
    await shoal.run(`ALTER TABLE act REPLACE COLUMNS (key INT, value STRING);`);
    assert.deepEqual((await table('act')).columns.map((c) => c.name), ['key', 'value']);
  });

  test('ALTER TABLE SET TBLPROPERTIES merges properties (SHOW TBLPROPERTIES lists them)', async () => {
    await shoal.run(`ALTER TABLE ac SET TBLPROPERTIES ('owner.team'='data', 'comment'='x');`);
    const rows = await rowsOf('SHOW TBLPROPERTIES ac');
    assert.ok(rows.some((r) => r[0] === 'owner.team' && r[1] === 'data'));
    assert.equal((await table('ac')).properties['comment'], 'x');
  });

  test('TRUNCATE TABLE empties a managed table or one partition and deletes the files; external tables are refused (Hive)', async () => {
    await shoal.run(`CREATE TABLE tr (key INT) STORED AS PARQUET; INSERT INTO tr SELECT key FROM src;`);
    const before = (await table('tr')).files.map((f) => f.key);
    await shoal.run(`TRUNCATE TABLE tr;`);
    assert.deepEqual(await shoal.query('SELECT count(*) FROM tr'), [[0]]);
    assert.ok(before.every((k) => !existsSync(join(shoal.warehouse, k))));
    await shoal.run(`TRUNCATE TABLE dp PARTITION (ds='b', hr=1);`);
    const t = await table('dp');
    assert.equal(t.partitions['ds=b/hr=1']!.files.length, 0, 'the partition stays, empty');
    assert.ok(t.partitions['ds=b/hr=2']!.files.length > 0);
    await failsCleanly(`TRUNCATE TABLE logs;`, /cannot truncate 'default.logs': it is an external table/);
  });

  test('ANALYZE TABLE … COMPUTE STATISTICS stores rows, bytes and files per partition and for the table', async () => {
    await shoal.run(`ANALYZE TABLE dp PARTITION (ds='b', hr=2) COMPUTE STATISTICS; ANALYZE TABLE src COMPUTE STATISTICS;`);
    const dp = await table('dp');
    const [want] = await ref.query(`SELECT count(*) FROM src WHERE key >= 250 AND key % 3 = 2`);
    assert.equal(dp.partitions['ds=b/hr=2']!.stats.rows, want![0]);
    const src = await table('src');
    assert.deepEqual(src.stats, { rows: 500, bytes: src.files.reduce((n, f) => n + f.size, 0), files: src.files.length });
    // NOSCAN: files and bytes from the catalog's records, rows as Shoal wrote them, no file read
    await shoal.run(`INSERT INTO tr SELECT key FROM src WHERE key < 30; ANALYZE TABLE tr COMPUTE STATISTICS NOSCAN;`);
    const tr = await table('tr');
    const [[written]] = await ref.query('SELECT count(*) FROM src WHERE key < 30') as [[number]];
    assert.deepEqual(tr.stats, { rows: written, bytes: tr.files.reduce((n, f) => n + f.size, 0), files: tr.files.length });
    const formatted = await rowsOf('DESCRIBE FORMATTED src');
    assert.ok(formatted.some((r) => r[0] === '' && r[1] === 'numRows' && r[2] === '500'));
    // a partition column without a value (Hive's dynamic spec) analyzes every matching partition
    await shoal.run(`ANALYZE TABLE dp PARTITION (ds='b', hr) COMPUTE STATISTICS`);
    const dp2 = await table('dp');
    for (const [name, part] of Object.entries(dp2.partitions).filter(([n]) => n.startsWith('ds=b/'))) {
      const hr = name.split('hr=')[1]!;
      // hr=1 was truncated above
      const [[rows]] = await ref.query(`SELECT count(*) FROM src WHERE key >= 250 AND key % 3 = ${Number(hr)} AND ${hr} <> 1`) as [[number]];
      assert.equal(part.stats.rows, rows, name);
    }
  });

  test('DROP VIEW and CREATE OR REPLACE VIEW replace only views', async () => {
    await shoal.run(`CREATE VIEW v1 AS SELECT key FROM src WHERE key < 5; CREATE OR REPLACE VIEW v1 AS SELECT value, key FROM src WHERE key < 3;`);
    assert.deepEqual(normRows(await shoal.query('SELECT * FROM v1'), false), normRows(await ref.query('SELECT value, key FROM src WHERE key < 3'), false));
    await failsCleanly(`CREATE OR REPLACE VIEW src AS SELECT 1;`, /'default.src' is a table, not a view/);
    await failsCleanly(`DROP VIEW src;`, /'default.src' is a table, not a view; use DROP TABLE/);
    await shoal.run(`DROP VIEW v1; DROP VIEW IF EXISTS v1;`);
    assert.equal((await table('v1')), undefined);
  });

  test('SHOW DATABASES, TABLES [LIKE], PARTITIONS, COLUMNS and CREATE TABLE print what Hive prints', async () => {
    assert.deepEqual(await rowsOf('SHOW DATABASES'), [['default'], ['other']]);
    const r = await shoal.run(`SHOW TABLES LIKE 'd*|tr'`);
    assert.deepEqual(r.results[0]!.columns.map((c) => c.name), ['tab_name']);
    assert.deepEqual(r.results[0]!.rows, [['dp'], ['tr']]);
    assert.deepEqual(await rowsOf('SHOW TABLES IN other'), [['new_name']]);
    assert.deepEqual(await rowsOf(`SHOW PARTITIONS dp PARTITION (ds='b')`), [['ds=b/hr=0'], ['ds=b/hr=1'], ['ds=b/hr=2']]);
    assert.deepEqual(await rowsOf('SHOW COLUMNS IN dp'), [['key'], ['ds'], ['hr']]);
    const create = (await rowsOf('SHOW CREATE TABLE dp')).map((x) => x[0]).join('\n');
    assert.match(create, /^CREATE TABLE `default`.`dp`\(\n {2}`key` int\)\nPARTITIONED BY \(\n {2}`ds` string,\n {2}`hr` int\)\nSTORED AS PARQUET\nLOCATION\n/);
    // the statement it prints creates the same table again
    await shoal.run(create.replace('`dp`', '`dp_copy`').replace(/LOCATION\n.*/, ''));
    assert.deepEqual((await table('dp_copy')).partitionColumns, (await table('dp')).partitionColumns);
  });

  test('SHOW PARTITIONS sees the partitions that the script\'s earlier INSERT wrote (read when its turn comes)', async () => {
    const rows = await rowsOf(`CREATE TABLE sp (v INT) PARTITIONED BY (d STRING); INSERT OVERWRITE TABLE sp PARTITION (d) SELECT key, value FROM src WHERE key < 3; SHOW PARTITIONS sp;`);
    assert.deepEqual(rows, [['d=val_0'], ['d=val_2']]);
  });

  test('DESCRIBE lists columns then the partition section; DESCRIBE FORMATTED and EXTENDED add the details', async () => {
    const r = await shoal.run(`DESCRIBE dp`);
    assert.deepEqual(r.results[0]!.columns.map((c) => c.name), ['col_name', 'data_type', 'comment']);
    assert.deepEqual(r.results[0]!.rows, [
      ['key', 'int', ''], ['ds', 'string', ''], ['hr', 'int', ''],
      ['', null, null], ['# Partition Information', null, null], ['# col_name', 'data_type', 'comment'], ['ds', 'string', ''], ['hr', 'int', ''],
    ]);
    assert.deepEqual(await rowsOf('DESCRIBE ac extra'), [['extra', 'string', 'added']]);
    const f = await rowsOf('DESCRIBE FORMATTED logs');
    assert.deepEqual(f[0], ['# col_name', 'data_type', 'comment']);
    assert.ok(f.some((x) => x[0] === 'Table Type:' && x[1] === 'EXTERNAL_TABLE'));
    assert.ok(f.some((x) => x[0] === 'Location:' && String(x[1]).endsWith('/ext/logs')));
    assert.ok(f.some((x) => x[0] === 'InputFormat:' && x[1] === 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'));
    const e = await rowsOf('DESCRIBE EXTENDED src');
    assert.match(String(e.at(-1)![1]), /^Table\(tableName:src, dbName:default, .*tableType:MANAGED_TABLE/);
    await failsCleanly('DESCRIBE nosuch', /table 'default.nosuch' does not exist/);
  });

  test('ORDER BY positions refer to select items (hive.orderby.position.alias, on by default); GROUP BY positions only with hive.groupby.position.alias', async () => {
    const ordered = await shoal.query('SELECT value, key FROM src WHERE key < 20 ORDER BY 2 DESC, 1');
    assert.deepEqual(normRows(ordered, true), normRows(await ref.query('SELECT value, key FROM src WHERE key < 20 ORDER BY 2 DESC, 1'), true));
    const grouped = await shoal.query('SET hive.groupby.position.alias=true; SELECT key % 5, count(*) FROM src GROUP BY 1');
    assert.deepEqual(normRows(grouped, false), normRows(await ref.query('SELECT key % 5, count(*) FROM src GROUP BY 1'), false));
    // off (Hive's default): GROUP BY 1 groups by the constant 1, so key % 5 is not grouped
    await assert.rejects(shoal.query('SELECT key % 5, count(*) FROM src GROUP BY 1'), /neither in GROUP BY nor inside an aggregate/);
    await assert.rejects(shoal.query('SET hive.groupby.position.alias=true; SELECT key, count(*) FROM src GROUP BY 2'), /GROUP BY position 2 refers to an aggregate/);
  });
});
