// The job report: figures that agree with the plan and with what the tasks really read,
// gathered from the store (as on AWS, where every task is its own Lambda invocation).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { attributeWallTime } from '../../lib/metrics/attribution.js';
import type { JobMetrics } from '../../lib/metrics/report.js';
import { runScript, type RunResult } from '../../lib/local/runner.js';
import { WorkerPool } from '../../lib/local/pool.js';
import type { TaskList } from '../../lib/runtime/plan-stage.js';
import { tasksKey } from '../../lib/runtime/context.js';
import { openStore } from '../../lib/store/open-store.js';
import { Catalog } from '../../lib/catalog/catalog.js';
import type { Stage } from '../../lib/stages/stage.js';
import { FIXTURES, startDuckDB, startShoal, type Shoal } from '../support/engines.js';

describe('wall-time attribution', () => {
  test('shares overlapping spans equally and gives idle time to the state machine', () => {
    const t = attributeWallTime(0, 100, [
      { category: 'execute', start: 10, end: 50 },
      { category: 'download', start: 30, end: 60 },
      { category: 'commit', start: 80, end: 120 },
    ]);
    assert.equal(t.execute, 20 + 10);
    assert.equal(t.download, 10 + 10);
    assert.equal(t.commit, 20);
    assert.equal(t.stateMachine, 10 + 20);
    assert.equal(Object.values(t).reduce((a, b) => a + b, 0), 100);
  });

  test('with nothing running the whole window is orchestration', () => {
    const t = attributeWallTime(5, 25, []);
    assert.equal(t.stateMachine, 20);
  });
});

describe('job report of a local run', () => {
  let shoal: Shoal;
  let pool: WorkerPool;
  let run: RunResult;
  let m: JobMetrics;
  const settings = { 'shoal.adaptive.target-bytes-per-task': '1', 'shoal.shuffle.partitions': '8' };
  before(async () => {
    shoal = await startShoal();
    const kv = join(FIXTURES, 'hive');
    await shoal.run(`
      CREATE TABLE src (key INT, value STRING);
      LOAD DATA LOCAL INPATH '${kv}/kv1.txt' INTO TABLE src;
      CREATE TABLE p STORED AS PARQUET AS SELECT key, value FROM src;
      INSERT INTO TABLE p SELECT key, value FROM src WHERE key < 100;
      INSERT INTO TABLE p SELECT key + 1, value FROM src WHERE key >= 400;`);
    pool = new WorkerPool(2, 1);
    run = await runScript('SELECT key % 10 AS k, count(*) AS c, max(value) AS v FROM p GROUP BY key % 10 ORDER BY k', { warehouse: shoal.warehouse, pool, settings, keepJobFiles: true });
    m = run.metrics;
  });
  after(async () => {
    await pool?.close();
    await shoal?.close();
  });

  test('has one entry per planned stage, with the fan-out plan-stage chose', async () => {
    const st = run.plan.statements[0]!;
    assert.equal(st.kind, 'dataflow');
    if (st.kind !== 'dataflow') return;
    assert.deepEqual(m.stages.map((s) => s.id), st.stages.map((s) => s.id));
    const store = openStore(shoal.warehouse);
    for (const s of m.stages) {
      const list = JSON.parse(new TextDecoder().decode(await store.get(tasksKey({ queryId: run.queryId, warehouse: store.root, statement: 0, stage: s.id })))) as TaskList;
      assert.equal(s.tasks, list.tasks.length, `stage ${s.id}`);
      assert.equal(s.attempts, s.tasks, `stage ${s.id}: no retries in this run`);
      assert.ok(s.outputBytes > 0 && s.s3.put > 0 && s.durationMs > 0, `stage ${s.id}`);
      const planned: Stage = st.stages.find((x) => x.id === s.id)!;
      assert.equal(s.kind, planned.output.kind);
      assert.equal(s.partitions, planned.output.kind === 'hash' ? 8 : 1);
    }
    assert.equal(m.totals.invocations.RunTask.count, m.totals.tasks);
    assert.equal(m.totals.invocations.PlanStage.count, m.stages.length);
  });

  test('the scan reads every byte and row of the table, and the next stage every row the scan wrote', async () => {
    const p = (await new Catalog(openStore(shoal.warehouse)).load()).databases['default']!.tables['p']!;
    assert.equal(p.files.length, 3);
    const scan = m.stages.find((s) => s.reads.includes('table'))!;
    assert.equal(scan.tasks, 3, 'one task per file at a 1-byte target');
    assert.equal(scan.inputBytes, p.files.reduce((n, f) => n + f.size, 0));
    const ref = await startDuckDB();
    const [[rows]] = await ref.query(`SELECT count(*) FROM read_parquet([${p.files.map((f) => `'${join(shoal.warehouse, f.key)}'`).join(', ')}])`) as [[number]];
    assert.equal(scan.inputRows, rows);
    assert.ok(scan.s3.get >= scan.tasks);
    const st = run.plan.statements[0]!;
    const next = st.kind === 'dataflow' ? st.stages.find((s) => s.inputs.includes(scan.id))! : undefined;
    const agg = m.stages.find((s) => s.id === next?.id)!;
    assert.equal(agg.inputRows, scan.outputRows);
    const sink = m.stages[m.stages.length - 1]!;
    assert.equal(sink.kind, 'sink');
    assert.equal(sink.outputRows, run.results[0]!.rows.length);
    assert.equal(run.results[0]!.rows.length, 10);
    assert.ok(m.totals.shuffleBytes > 0 && m.totals.shuffleBytes < m.totals.outputBytes);
  });

  test('the time breakdown adds up to the wall time', () => {
    const parts = Object.values(m.time.wallMs).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(parts - m.wallMs) < 2, `${parts} vs ${m.wallMs}`);
    assert.ok(m.time.busyMs.execute > 0 && m.time.busyMs.taskStart > 0 && m.time.busyMs.download > 0 && m.time.busyMs.write > 0);
    assert.ok(m.time.busyMs.planning > 0 && m.time.busyMs.commit > 0 && m.time.busyMs.results > 0);
    assert.ok(m.time.busyMs.execute <= m.totals.invocations.RunTask.ms);
  });
});
