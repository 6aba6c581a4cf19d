// User functions (issue 9) through the local runner: a scalar, an aggregate and a table
// function from test/fixtures/udf/functions.mjs in GROUP BY, JOIN and LATERAL VIEW
// queries, each compared with the same logic written in DuckDB SQL; a module changed
// between planning and execution is refused, and a throwing function fails the job with
// every table as it was; the same job with the warehouse on an S3 server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkerPool } from '../../lib/local/pool.js';
import { executePlan, runScript } from '../../lib/local/runner.js';
import { Catalog } from '../../lib/catalog/catalog.js';
import { planJob } from '../../lib/planner/plan-job.js';
import { LocalStore } from '../../lib/store/local-store.js';
import { blobKey } from '../../lib/udf/model.js';
import { inputsOf, type PlanNode } from '../../lib/plan/nodes.js';
import { FIXTURES, normRows, startDuckDB, startShoal, type Reference, SRC_SELECT } from '../support/engines.js';
import { readInvocations } from '../../lib/metrics/report.js';
import { filesUnder, snapshot } from '../support/warehouse.js';
import { MULTI_TASK, compareSuite } from './compare.js';

const MODULE = join(FIXTURES, 'udf', 'functions.mjs');
const FUNCTIONS = ['mask', 'bucket', 'sumsq', 'joined', 'words', 'unlucky']
  .map((f) => `CREATE TEMPORARY FUNCTION ${f} AS '${f}' USING FILE '${MODULE}';`).join('\n');
const kv1 = join(FIXTURES, 'hive', 'kv1.txt');
const srcDuck = SRC_SELECT;

// the SQL twins of the module's functions
const mask = (s: string) => `regexp_replace(${s}, '[0-9]', '#', 'g')`;
const words = (table: string) => `unnest(string_split(${table}.value, '_')) WITH ORDINALITY AS w(word, i)`;

compareSuite('user functions give what the same logic in SQL gives', [
  {
    name: 'a scalar function in GROUP BY',
    sql: `${FUNCTIONS} SELECT mask(value) AS m, count(*) AS n FROM src GROUP BY mask(value)`,
    duck: `SELECT ${mask('value')}, count(*) FROM src GROUP BY 1`,
    settings: MULTI_TASK,
  },
  {
    name: 'a scalar function over partition columns prunes partitions',
    sql: `${FUNCTIONS} SELECT ds, hr, count(*) AS n FROM srcpart WHERE mask(ds) = concat('####-##-#', '8') GROUP BY ds, hr`,
    duck: `SELECT ds, hr, count(*) FROM srcpart WHERE ${mask('ds')} = '####-##-#8' GROUP BY ds, hr`,
  },
  {
    name: 'a scalar function called with NULLs as a JOIN key',
    sql: `${FUNCTIONS} SELECT e.id, u.user_id FROM events e JOIN users u ON bucket(e.user_id, 50) = bucket(u.user_id, 50) WHERE e.id < 200`,
    duck: 'SELECT e.id, u.user_id FROM events e JOIN users u ON coalesce(e.user_id % 50, -1) = coalesce(u.user_id % 50, -1) WHERE e.id < 200',
    settings: MULTI_TASK,
  },
  {
    name: 'user aggregates beside built-ins, split across the shuffle',
    sql: `${FUNCTIONS} SELECT key % 10 AS k, sumsq(key) AS s, count(*) AS n, joined(value) AS j FROM src GROUP BY key % 10`,
    duck: `SELECT key % 10, CAST(sum(key * key) AS BIGINT), count(*), string_agg(value, ',' ORDER BY value) FROM src GROUP BY 1`,
    settings: MULTI_TASK,
  },
  {
    name: 'user aggregates over a JOIN, skipping NULL arguments',
    sql: `${FUNCTIONS} SELECT u.country, sumsq(e.user_id) AS s, joined(e.kind) AS j FROM events e JOIN users u ON e.user_id = u.user_id GROUP BY u.country`,
    duck: `SELECT u.country, CAST(sum(e.user_id * e.user_id) AS BIGINT), string_agg(e.kind, ',' ORDER BY e.kind) FROM events e JOIN users u ON e.user_id = u.user_id GROUP BY u.country`,
    settings: MULTI_TASK,
  },
  {
    name: 'a global user aggregate, over rows and over none',
    sql: `${FUNCTIONS} SELECT a.s, b.s FROM (SELECT sumsq(key) AS s FROM src) a CROSS JOIN (SELECT sumsq(key) AS s FROM src WHERE key < 0) b`,
    duck: 'SELECT CAST(sum(key * key) AS BIGINT), CAST(0 AS BIGINT) FROM src',
    settings: MULTI_TASK,
  },
  {
    name: 'DISTINCT user aggregates, alone and beside a plain one',
    sql: `${FUNCTIONS} SELECT key % 5 AS k, sumsq(DISTINCT key % 7) AS d, joined(DISTINCT value) AS j FROM src GROUP BY key % 5`,
    duck: `SELECT key % 5, CAST(sum(DISTINCT (key % 7) * (key % 7)) AS BIGINT), string_agg(DISTINCT value, ',' ORDER BY value) FROM src GROUP BY 1`,
    settings: MULTI_TASK,
  },
  {
    name: 'DISTINCT and plain user aggregates in one query',
    sql: `${FUNCTIONS} SELECT key % 5 AS k, sumsq(DISTINCT key % 7) AS d, sumsq(key) AS s, count(DISTINCT value) AS n FROM src GROUP BY key % 5`,
    duck: `SELECT key % 5, CAST(sum(DISTINCT (key % 7) * (key % 7)) AS BIGINT), CAST(sum(key * key) AS BIGINT), count(DISTINCT value) FROM src GROUP BY 1`,
    settings: MULTI_TASK,
  },
  {
    name: 'a user aggregate OVER a window frame',
    sql: `${FUNCTIONS} SELECT key, value, sumsq(key) OVER (PARTITION BY key % 10 ORDER BY key, value ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS s,
      joined(value) OVER (PARTITION BY key % 10) AS j FROM src WHERE key < 100`,
    duck: `SELECT key, value, CAST(sum(key * key) OVER (PARTITION BY key % 10 ORDER BY key, value ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS BIGINT),
      string_agg(value, ',' ORDER BY value) OVER (PARTITION BY key % 10) FROM src WHERE key < 100`,
    settings: MULTI_TASK,
  },
  {
    name: 'a table function in LATERAL VIEW',
    sql: `${FUNCTIONS} SELECT key, pos, word FROM src1 LATERAL VIEW words(value) w AS pos, word`,
    duck: `SELECT key, CAST(w.i - 1 AS INT), w.word FROM src1, ${words('src1')} WHERE src1.value <> ''`,
  },
  {
    name: 'a table function in LATERAL VIEW OUTER keeps the rows it yields nothing for',
    sql: `${FUNCTIONS} SELECT key, pos, word FROM src1 LATERAL VIEW OUTER words(value) w AS pos, word`,
    duck: `SELECT key, CAST(w.i - 1 AS INT), w.word FROM src1, ${words('src1')} WHERE src1.value <> ''
      UNION ALL SELECT key, NULL, NULL FROM src1 WHERE value IS NULL OR value = ''`,
  },
  {
    name: 'a table function alone in a select list',
    sql: `${FUNCTIONS} SELECT words(value) AS (pos, word) FROM src1`,
    duck: `SELECT CAST(w.i - 1 AS INT), w.word FROM src1, ${words('src1')} WHERE src1.value <> ''`,
  },
  {
    name: "a table function's rows grouped with all three kinds of function, and joined",
    sql: `${FUNCTIONS} SELECT mask(x.word) AS m, sumsq(x.key) AS s, count(*) AS n, max(b.key) AS b
      FROM (SELECT key, word FROM src LATERAL VIEW words(value) w AS pos, word) x JOIN src1 b ON x.key = CAST(b.key AS INT) GROUP BY mask(x.word)`,
    duck: `SELECT ${mask('x.word')}, CAST(sum(x.key * x.key) AS BIGINT), count(*), max(b.key)
      FROM (SELECT key, w.word FROM src, ${words('src')}) x JOIN src1 b ON x.key = TRY_CAST(b.key AS INT) GROUP BY 1`,
    settings: MULTI_TASK,
  },
], {
  extra: (env) => {
    test('a user aggregate is split into partial states before the shuffle and their merge after it', async () => {
      const { shoal } = env();
      const plan = await planJob(`${FUNCTIONS} SELECT key % 10, sumsq(key) FROM src GROUP BY key % 10`, { catalog: await new Catalog(shoal.store).load(), store: shoal.store });
      const steps: string[] = [];
      const visit = (n: PlanNode, stage: number) => {
        if (n.kind === 'aggregate') for (const a of n.aggs) if (a.udf) steps.push(`stage ${stage} ${n.phase} ${a.udfStep ?? 'whole'}`);
        inputsOf(n).forEach((i) => visit(i, stage));
      };
      for (const st of plan.statements) if (st.kind === 'dataflow') st.stages.forEach((s) => visit(s.fragment, s.id));
      assert.equal(steps.length, 2);
      assert.match(steps[0]!, /partial state$/);
      assert.match(steps[1]!, /final merge$/);
      assert.notEqual(steps[0]!.split(' ')[1], steps[1]!.split(' ')[1], 'the two steps run in different stages');
    });
  },
});

describe('a user function that cannot run fails the job and changes nothing', () => {
  let wh: string;
  let pool: WorkerPool;
  let ref: Reference;
  // the modules are content-addressed beside the tables: what the jobs must not touch is everything else
  const tables = () => snapshot(wh, ['_jobs/', 'blobs/']);

  before(async () => {
    wh = await mkdtemp(join(tmpdir(), 'shoal-udf-'));
    pool = new WorkerPool(2, 1);
    ref = await startDuckDB();
    await ref.exec(`CREATE TABLE src AS ${srcDuck}`);
    await runScript(`CREATE TABLE src (key INT, value STRING); LOAD DATA LOCAL INPATH '${kv1}' INTO TABLE src;
      CREATE TABLE t (key INT, value STRING) STORED AS PARQUET; INSERT OVERWRITE TABLE t SELECT key, value FROM src WHERE key < 100;`, { warehouse: wh, pool });
  });
  after(async () => {
    await pool?.close();
    if (wh) await rm(wh, { recursive: true, force: true });
  });

  test('an exception in a user function fails the job with the function, its message and the row; it is not retried', async () => {
    const store = new LocalStore(wh);
    const job = `${FUNCTIONS} INSERT OVERWRITE TABLE t SELECT unlucky(key), value FROM src`;
    const plan = await planJob(job, { catalog: await new Catalog(store).load(), store, settings: { 'shoal.adaptive.min-parallelism': '2' } });
    const before = await tables();
    await assert.rejects(executePlan(store, wh, plan, pool), /user function unlucky \(.*functions\.mjs#unlucky\) failed: 17 is unlucky \(arguments: \[17\]\)/);
    assert.deepEqual(await tables(), before);
    assert.deepEqual(await filesUnder(wh, '_staging/'), []);
    // a retry would be a second primary attempt of the same task (the other task may fail too: it stops when the job has ended)
    const attempts = (await readInvocations(store, plan.queryId)).filter((m) => m.fn === 'RunTask' && m.kind !== 'shadow').map((m) => `${m.stage}/${m.task}`);
    assert.ok(attempts.length > 0);
    assert.equal(new Set(attempts).size, attempts.length, `one attempt per task, not retried: ${attempts.join(', ')}`);
  });

  test('a module changed between planning and execution is refused, and runs again once restored', async () => {
    const store = new LocalStore(wh);
    // a module no worker has loaded yet: a container that already holds the planned module runs that, verified
    const fresh = join(wh, 'fresh.mjs');
    await writeFile(fresh, `${await readFile(MODULE, 'utf8')}\n// ${randomUUID()}\n`);
    const job = `${FUNCTIONS.replaceAll(MODULE, fresh)} INSERT OVERWRITE TABLE t SELECT bucket(key, 7), mask(value) FROM src`;
    const plan = await planJob(job, { catalog: await new Catalog(store).load(), store, settings: { 'shoal.udf.allowed-locations': wh } });
    const stmt = plan.statements.find((s) => s.kind === 'dataflow');
    const hash = stmt?.kind === 'dataflow' ? stmt.udfs?.[0]?.hash : undefined;
    assert.ok(hash, 'the plan lists the module by hash');
    const original = await store.get(blobKey(hash));
    await store.put(blobKey(hash), `${new TextDecoder().decode(original)}\nexport const extra = 1;\n`);
    const before = await tables();
    await assert.rejects(executePlan(store, wh, plan, pool), new RegExp(`the module at blobs/${hash}\\.mjs \\(from .*fresh\\.mjs\\) has sha256 [0-9a-f]{64}, the plan expects ${hash}`));
    assert.deepEqual(await tables(), before);
    await store.put(blobKey(hash), original);
    await executePlan(store, wh, { ...plan, queryId: `${plan.queryId}-again` }, pool);
    const r = await runScript('SELECT key, value FROM t', { warehouse: wh, pool });
    assert.deepEqual(normRows(r.results.at(-1)!.rows.map((x) => [...x]), false), normRows(await ref.query(`SELECT coalesce(key % 7, -1), ${mask('value')} FROM src`), false));
  });
});

test('user functions with the warehouse on an S3 server', async () => {
  const shoal = await startShoal({ store: 's3' });
  const ref = await startDuckDB();
  try {
    await shoal.run(`CREATE TABLE src (key INT, value STRING); LOAD DATA LOCAL INPATH '${kv1}' INTO TABLE src;`);
    await ref.exec(`CREATE TABLE src AS ${srcDuck}`);
    const got = await shoal.query(`${FUNCTIONS} SELECT mask(w.word) AS m, sumsq(key) AS s, count(*) AS n FROM src LATERAL VIEW words(value) w AS pos, word GROUP BY mask(w.word)`, MULTI_TASK);
    const want = await ref.query(`SELECT ${mask('w.word')}, CAST(sum(key * key) AS BIGINT), count(*) FROM src, ${words('src')} GROUP BY 1`);
    assert.deepEqual(normRows(got, false), normRows(want, false));
    assert.ok((await shoal.keys('blobs/')).some((k) => /^blobs\/[0-9a-f]{64}\.mjs$/.test(k)), 'the module is in the S3 warehouse');
  } finally {
    await shoal.close();
  }
});
