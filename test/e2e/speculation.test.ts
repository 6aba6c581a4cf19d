// Speculative execution, heartbeats and the no-progress abort (issue 6), through the real
// local runner: stragglers and hangs are made with the test hooks (lib/runtime/inject.ts),
// rows are compared with DuckDB, and what the losing attempts wrote is looked for in the
// warehouse. Intervals and timeouts are SET small so that each run takes a second or two.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Catalog } from '../../lib/catalog/catalog.js';
import { filesOf } from '../../lib/catalog/ddl.js';
import { readInvocations } from '../../lib/metrics/report.js';
import type { InvocationMetrics } from '../../lib/metrics/record.js';
import { doneKey, endedKey, readJson } from '../../lib/runtime/context.js';
import { progressPrefix, type AttemptProgress } from '../../lib/runtime/progress.js';
import { runTask } from '../../lib/runtime/run-task.js';
import type { MapOutput } from '../../lib/shuffle/shuffle.js';
import { FIXTURES, normRows, startDuckDB, startShoal, type Reference, type Shoal, type TestStore, SRC_SELECT } from '../support/engines.js';
import { snapshot } from '../support/warehouse.js';

const kv1 = join(FIXTURES, 'hive', 'kv1.txt');
const INSERT = 'INSERT OVERWRITE TABLE agg SELECT key, count(*), max(value) FROM src GROUP BY key';
const EXPECTED = 'SELECT key, count(*), max(value) FROM src GROUP BY key';
// Four tasks in each stage (stage 1 scans and writes the shuffle, stage 2 aggregates and
// writes the table), and a watcher that looks every 100 ms.
const FAST = {
  'shoal.adaptive.min-parallelism': '4',
  'shoal.speculation.min-runtime': '300ms',
  'shoal.speculation.interval': '100ms',
  'shoal.task.progress-interval': '100ms',
  'shoal.compaction.enabled': 'false',
};

async function attempts(sh: Shoal, queryId: string, stage: number): Promise<AttemptProgress[]> {
  const e = { queryId, warehouse: sh.warehouse, statement: 0, stage };
  return Promise.all((await sh.store.list(progressPrefix(e))).map((o) => readJson<AttemptProgress>(sh.store, o.key)));
}

const runTasks = (ms: readonly InvocationMetrics[], stage: number, task: number) => ms.filter((m) => m.fn === 'RunTask' && m.stage === stage && m.task === task);

function suite(store: TestStore) {
  let sh: Shoal;
  let ref: Reference;
  before(async () => {
    sh = await startShoal({ store });
    ref = await startDuckDB();
    await ref.exec(`CREATE TABLE src AS ${SRC_SELECT}`);
    await sh.run(`CREATE TABLE src (key INT, value STRING); LOAD DATA LOCAL INPATH '${kv1}' INTO TABLE src;
      CREATE TABLE agg (key INT, n BIGINT, v STRING) STORED AS PARQUET;`);
  });
  after(async () => {
    await sh?.close();
  });

  const tableMatches = async (msg: string) => {
    assert.deepEqual(normRows(await sh.query('SELECT key, n, v FROM agg'), false), normRows(await ref.query(EXPECTED), false), msg);
    const t = (await new Catalog(sh.store).load()).databases.default!.tables.agg!;
    assert.deepEqual((await sh.keys('agg/')).sort(), filesOf(t).sort(), 'the table directory holds exactly the catalog\'s files: one set, no duplicate');
    assert.deepEqual(await sh.keys('_staging/'), []);
  };

  for (const stage of [1, 2]) {
    test(`a straggler in stage ${stage} (${stage === 1 ? 'shuffle' : 'table'} output) gets a shadow that wins; the straggler stops and its files are gone`, async () => {
      const start = Date.now();
      const r = await sh.run(INSERT, { settings: { ...FAST, 'shoal.test.slow-task': `${stage}:0:30000` }, keepJobFiles: true });
      assert.ok(Date.now() - start < 15_000, 'the job did not wait for its straggler');
      await tableMatches('rows equal DuckDB\'s');
      const ms = await readInvocations(sh.store, r.queryId);
      const task0 = runTasks(ms, stage, 0);
      assert.deepEqual(task0.map((m) => [m.kind, m.won]).sort(), [['primary', false], ['shadow', true]]);
      // (on a loaded machine another task may get a shadow too: still one output per task)
      for (const t of [1, 2, 3]) assert.equal(runTasks(ms, stage, t).filter((m) => m.won).length, 1, `task ${t}: one winner`);
      const records = (await attempts(sh, r.queryId, stage)).filter((a) => a.task === 0);
      const loser = records.find((a) => a.kind === 'primary')!;
      const winner = records.find((a) => a.kind === 'shadow')!;
      assert.equal(loser.state, 'lost');
      assert.equal(winner.state, 'won');
      const done = await readJson<{ attempt: string }>(sh.store, doneKey({ queryId: r.queryId, warehouse: sh.warehouse, statement: 0, stage }, 0));
      assert.equal(done.attempt, winner.attempt, 'the done key names the shadow\'s output');
      const left = (await sh.keys('')).filter((k) => k.includes(loser.attempt) && !k.includes('/progress/'));
      assert.deepEqual(left, [], 'nothing the straggler wrote is left');
      await sh.store.deletePrefix(`_jobs/${r.queryId}/`);
    });
  }

  test('with speculation disabled the straggler is waited for: the same rows, no shadow', async () => {
    const start = Date.now();
    const r = await sh.run(INSERT, { settings: { ...FAST, 'shoal.test.slow-task': '2:0:1500', 'shoal.speculation.enabled': 'false' }, keepJobFiles: true });
    assert.ok(Date.now() - start >= 1500);
    await tableMatches('rows equal DuckDB\'s');
    const ms = await readInvocations(sh.store, r.queryId);
    assert.deepEqual(ms.filter((m) => m.fn === 'RunTask' && m.kind !== 'primary'), []);
    assert.deepEqual(runTasks(ms, 2, 0).map((m) => m.won), [true]);
    await sh.store.deletePrefix(`_jobs/${r.queryId}/`);
  });

  test('a hung task (no heartbeat) is failed after the heartbeat timeout and retried', async () => {
    const start = Date.now();
    const r = await sh.run(INSERT, {
      settings: { ...FAST, 'shoal.test.hang-task': '2:1', 'shoal.task.heartbeat-timeout': '1s', 'shoal.speculation.enabled': 'false' },
      keepJobFiles: true,
    });
    assert.ok(Date.now() - start >= 1000, 'the retry came after the timeout');
    await tableMatches('rows equal DuckDB\'s');
    const task1 = runTasks(await readInvocations(sh.store, r.queryId), 2, 1);
    assert.deepEqual(task1.map((m) => [m.kind, m.won]).sort(), [['primary', false], ['primary', true]], 'the hung attempt and its retry');
    const hung = (await attempts(sh, r.queryId, 2)).filter((a) => a.task === 1 && a.state === 'lost');
    assert.equal(hung.length, 1);
    assert.deepEqual((await sh.keys('')).filter((k) => k.includes(hung[0]!.attempt) && !k.includes('/progress/')), []);
    await sh.store.deletePrefix(`_jobs/${r.queryId}/`);
  });

  // put-if-absent is atomic on the local store (and on S3), not on s3rver, which ignores If-None-Match
  if (store === 'local') test('two attempts publishing at once: exactly one wins, the done key names its output and the losers\' are gone', async () => {
    const r = await sh.run('SELECT key, count(*) FROM src GROUP BY key', { settings: { ...FAST, 'shoal.speculation.enabled': 'false' }, keepJobFiles: true });
    const e = { queryId: r.queryId, warehouse: sh.warehouse, statement: 0, stage: 1, task: 0 };
    // the task as if it had not finished, in a job still running
    await sh.store.delete([doneKey(e, 0), endedKey(r.queryId)]);
    const earlier = new Set((await attempts(sh, r.queryId, 1)).map((a) => a.attempt));
    const results = await Promise.all([0, 1, 2, 3].map(() => runTask(e)));
    assert.equal(results.filter((x) => x.won).length, 1);
    const done = await readJson<MapOutput>(sh.store, doneKey(e, 0));
    const shuffle = (await sh.keys(`_jobs/${r.queryId}/shuffle/`)).filter((k) => k.includes('-st1-t0-'));
    const finished = (await attempts(sh, r.queryId, 1)).filter((a) => a.task === 0 && !earlier.has(a.attempt));
    assert.deepEqual(finished.map((a) => a.state).sort(), ['lost', 'lost', 'lost', 'won']);
    const losers = shuffle.filter((k) => finished.some((a) => k.includes(a.attempt) && a.state === 'lost'));
    assert.deepEqual(losers, [], 'the losers\' shuffle objects are deleted');
    assert.ok(shuffle.includes(done.dataKey), 'the winner\'s is there');
    await sh.store.deletePrefix(`_jobs/${r.queryId}/`);
  });

  test('a hung job (heartbeats, no progress) is aborted and leaves every table as it was', async () => {
    const before = await snapshot(await sh.localDir(''));
    const jobs = new Set((await sh.keys('_jobs/')).map((k) => k.split('/')[1]));
    await assert.rejects(sh.run(INSERT, {
      settings: { ...FAST, 'shoal.test.stall-task': '2:0', 'shoal.task.heartbeat-timeout': '1s', 'shoal.job.no-progress-timeout': '3s' },
    }), /stage 2 advanced for [\d.]+ s \(shoal\.job\.no-progress-timeout=3\.0 s\): the job was aborted/);
    assert.deepEqual(await snapshot(await sh.localDir('')), before);
    assert.deepEqual(await sh.keys('_staging/'), []);
    assert.deepEqual((await sh.keys('_jobs/')).filter((k) => k.includes('/shuffle/') && !jobs.has(k.split('/')[1])), []);
  });
}

describe('speculation, heartbeats and aborts on the local runner', () => {
  suite('local');
});


describe('speculation on S3 (s3rver)', () => {
  let sh: Shoal;
  let ref: Reference;
  before(async () => {
    sh = await startShoal({ store: 's3' });
    ref = await startDuckDB();
    await ref.exec(`CREATE TABLE src AS ${SRC_SELECT}`);
    await sh.run(`CREATE TABLE src (key INT, value STRING); LOAD DATA LOCAL INPATH '${kv1}' INTO TABLE src;
      CREATE TABLE agg (key INT, n BIGINT, v STRING) STORED AS PARQUET;`);
  });
  after(async () => { await sh?.close(); });
  // s3rver ignores If-None-Match, so only runs in which the loser never publishes are
  // meaningful here: the straggler is stopped before it does.
  test('a straggler\'s shadow wins and the straggler\'s table files are deleted from the bucket', async () => {
    const r = await sh.run(INSERT, { settings: { ...FAST, 'shoal.test.slow-task': '2:0:30000' }, keepJobFiles: true });
    assert.deepEqual(normRows(await sh.query('SELECT key, n, v FROM agg'), false), normRows(await ref.query(EXPECTED), false));
    const loser = (await attempts(sh, r.queryId, 2)).find((a) => a.task === 0 && a.kind === 'primary')!;
    assert.equal(loser.state, 'lost');
    assert.deepEqual((await sh.keys('')).filter((k) => k.includes(loser.attempt) && !k.includes('/progress/')), []);
    assert.deepEqual(await sh.keys('_staging/'), []);
  });
});
