// A job that fails at any point leaves every table byte for byte as it was (same files,
// same catalog), a CTAS table absent, and nothing under staging or shuffle; running it
// again then works. Failures are injected with `shoal.test.inject-failure`.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { Catalog } from '../../lib/catalog/catalog.js';
import { filesOf } from '../../lib/catalog/ddl.js';
import { WorkerPool } from '../../lib/local/pool.js';
import { runScript } from '../../lib/local/runner.js';
import { runTask } from '../../lib/runtime/run-task.js';
import { LocalStore } from '../../lib/store/local-store.js';
import { FIXTURES, normRows, startDuckDB, type Reference, SRC_SELECT } from '../support/engines.js';
import { filesUnder, snapshot } from '../support/warehouse.js';

const kv1 = join(FIXTURES, 'hive', 'kv1.txt');
// Three writer tasks, each writing every partition: the writers, the compaction and the commit all have work.
const SETTINGS = { 'shoal.sink.dynamic-partition.sort': 'false', 'shoal.adaptive.min-parallelism': '3' };
const grouped = 'SELECT key, value FROM src GROUP BY key, value';

const KINDS = {
  'INSERT OVERWRITE of a static partition': {
    hive: `INSERT OVERWRITE TABLE fs PARTITION (ds='2024-01-01') SELECT key, value FROM (${grouped}) g`,
    check: ['SELECT key, value, ds FROM fs', `SELECT DISTINCT key, value, '2024-01-01' FROM src UNION ALL SELECT key, value, '2024-01-02' FROM src WHERE key < 20`],
  },
  'INSERT OVERWRITE with dynamic partitions': {
    hive: `INSERT OVERWRITE TABLE fd PARTITION (k) SELECT value, CAST(key % 3 AS STRING) FROM (${grouped}) g`,
    check: ['SELECT value, k FROM fd', `SELECT value, CAST(key % 3 AS VARCHAR) FROM (SELECT DISTINCT key, value FROM src) UNION ALL SELECT value, '7' FROM src WHERE key < 10`],
  },
  'CREATE TABLE AS SELECT': {
    hive: `CREATE TABLE fc STORED AS PARQUET AS SELECT key, value FROM (${grouped}) g`,
    check: ['SELECT key, value FROM fc', 'SELECT DISTINCT key, value FROM src'],
  },
} as const;

describe('failures leave tables as they were', () => {
  let wh: string;
  let pool: WorkerPool;
  let ref: Reference;
  const run = (sql: string, settings: Record<string, string> = {}) => runScript(sql, { warehouse: wh, pool, settings, keepJobFiles: true });
  const query = async (sql: string) => { const r = await runScript(sql, { warehouse: wh, pool }); return r.results.at(-1)!.rows.map((x) => [...x]); };

  before(async () => {
    wh = await mkdtemp(join(tmpdir(), 'shoal-faults-'));
    pool = new WorkerPool(2, 1);
    ref = await startDuckDB();
    await ref.exec(`CREATE TABLE src AS ${SRC_SELECT}`);
    await runScript(`CREATE TABLE src (key INT, value STRING); LOAD DATA LOCAL INPATH '${kv1}' INTO TABLE src;
      CREATE TABLE fs (key INT, value STRING) PARTITIONED BY (ds STRING) STORED AS PARQUET;
      INSERT OVERWRITE TABLE fs PARTITION (ds='2024-01-01') SELECT key, value FROM src WHERE key < 50;
      INSERT OVERWRITE TABLE fs PARTITION (ds='2024-01-02') SELECT key, value FROM src WHERE key < 20;
      CREATE TABLE fd (value STRING) PARTITIONED BY (k STRING) STORED AS PARQUET;
      INSERT OVERWRITE TABLE fd PARTITION (k) SELECT value, CAST(key % 2 AS STRING) FROM src;
      INSERT OVERWRITE TABLE fd PARTITION (k) SELECT value, '7' FROM src WHERE key < 10;`, { warehouse: wh, pool });
  });
  after(async () => {
    await pool?.close();
    if (wh) await rm(wh, { recursive: true, force: true });
  });

  for (const point of ['task', 'compact', 'before-commit', 'during-commit']) {
    for (const [kind, { hive }] of Object.entries(KINDS)) {
      test(`${kind}: a failure at '${point}' changes no file and no catalog entry and leaves no staging or shuffle`, async () => {
        const before = await snapshot(wh);
        await assert.rejects(run(hive, { ...SETTINGS, 'shoal.test.inject-failure': point }), new RegExp(`injected failure at '${point}'`));
        assert.deepEqual(await snapshot(wh), before);
        assert.deepEqual(await filesUnder(wh, '_staging/'), []);
        assert.deepEqual((await filesUnder(wh, '_jobs/')).filter((k) => k.includes('/shuffle/')), []);
        await rm(join(wh, '_jobs'), { recursive: true, force: true });
      });
    }
  }

  test('after the failures, each statement runs and gives what DuckDB computes', async () => {
    assert.equal((await new Catalog(new LocalStore(wh)).load()).databases.default!.tables.fc, undefined, 'the CTAS table is absent');
    for (const [kind, { hive, check }] of Object.entries(KINDS)) {
      await run(hive, SETTINGS);
      assert.deepEqual(normRows(await query(check[0]), false), normRows(await ref.query(check[1]), false), kind);
    }
    assert.deepEqual(await filesUnder(wh, '_staging/'), []);
  });

  test('a writer attempt that dies after uploading is retried; only the winning attempt\'s files are committed', async () => {
    await run(`INSERT OVERWRITE TABLE fd PARTITION (k) SELECT value, CAST(key % 5 AS STRING) FROM (${grouped}) g`, { ...SETTINGS, 'shoal.test.inject-failure': 'task-transient', 'shoal.compaction.enabled': 'false' });
    const want = await ref.query(`SELECT value, CAST(key % 5 AS VARCHAR) FROM (SELECT DISTINCT key, value FROM src) UNION ALL SELECT value, '7' FROM src WHERE key < 10`);
    assert.deepEqual(normRows(await query('SELECT value, k FROM fd'), false), normRows(want, false));
    const t = (await new Catalog(new LocalStore(wh)).load()).databases.default!.tables.fd!;
    assert.deepEqual((await filesUnder(wh, 'fd/')).sort(), filesOf(t).sort(), 'the table directory holds exactly the catalog\'s files');
    assert.equal((await filesUnder(wh, 'fd/k=0/')).length, 3, 'one file per writer task');
    assert.deepEqual(await filesUnder(wh, '_staging/'), []);
  });

  test('a writer attempt still running after its job ended removes what it uploaded', async () => {
    const r = await run(`INSERT OVERWRITE TABLE fd PARTITION (k) SELECT value, '8' FROM src WHERE key < 5`, { 'shoal.sink.dynamic-partition.sort': 'false' });
    const st = r.plan.statements[0]!;
    assert.ok(st.kind === 'dataflow');
    const before = await snapshot(wh);
    // The job is over (its cleanup ran); a late attempt of its sink task runs now.
    await assert.rejects(runTask({ queryId: r.queryId, warehouse: wh, statement: 0, stage: st.stages.at(-1)!.id, task: 0 }), /has already ended; this late attempt removed its output/);
    assert.deepEqual(await filesUnder(wh, '_staging/'), []);
    assert.deepEqual(await snapshot(wh), before);
  });
});
