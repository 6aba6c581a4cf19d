// The client's live view of a job (issue 6), read from the store: over a real run, and
// over attempt records written through the real store step by step (a shadow that wins,
// records landing after the done marker), with the display's lines for each picture.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { endLine, lineDisplay, progressTable, stageRow, startLine } from '../../lib/cli/progress-display.js';
import { WorkerPool } from '../../lib/local/pool.js';
import { runScript, type RunResult } from '../../lib/local/runner.js';
import { ProgressReader, type JobProgress } from '../../lib/local/watch-progress.js';
import { doneKey, readJson, tasksKey, type StageEvent } from '../../lib/runtime/context.js';
import type { TaskList } from '../../lib/runtime/plan-stage.js';
import { progressKey, type AttemptProgress } from '../../lib/runtime/progress.js';
import type { JobPlan } from '../../lib/plan/job.js';
import { FIXTURES, startShoal, type Shoal } from '../support/engines.js';

const SETUP = `CREATE TABLE src (key INT, value STRING);
  LOAD DATA LOCAL INPATH '${join(FIXTURES, 'hive', 'kv1.txt')}' INTO TABLE src;`;
const QUERY = 'SELECT key % 10 AS k, count(*) AS c FROM src GROUP BY key % 10';
const SETTINGS = { 'shoal.adaptive.target-bytes-per-task': '1', 'shoal.shuffle.partitions': '4' };

/** Every stage done, with the fan-out its task list holds and the report counts. */
async function assertAllDone(shoal: Shoal, run: RunResult, last: JobProgress): Promise<void> {
  const st = run.plan.statements[0]!;
  assert.equal(st.kind, 'dataflow');
  if (st.kind !== 'dataflow') return;
  assert.deepEqual(last.stages.map((s) => s.stage), st.stages.map((s) => s.id));
  for (const s of last.stages) {
    const list = await readJson<TaskList>(shoal.store, tasksKey({ queryId: run.queryId, warehouse: shoal.warehouse, statement: 0, stage: s.stage }));
    assert.equal(s.state, 'done', `stage ${s.stage}`);
    assert.equal(s.total, list.tasks.length);
    assert.equal(s.done, s.total);
    assert.equal(s.running, 0);
    assert.ok(s.startedAt! <= s.endedAt!);
    assert.equal(s.total, run.metrics.stages.find((m) => m.id === s.stage)!.tasks);
  }
  assert.ok(last.stages.some((s) => s.total > 1), 'a 1-byte target gives a stage several tasks');
}

test('on an S3 warehouse the same picture comes from LISTs and GETs', async () => {
  const shoal = await startShoal({ store: 's3' });
  try {
    await shoal.run(SETUP);
    const seen: JobProgress[] = [];
    const r = await runScript(QUERY, { warehouse: shoal.warehouse, workers: 1, keepJobFiles: true, settings: SETTINGS, progressIntervalMs: 50, onProgress: (p) => seen.push(p) });
    await assertAllDone(shoal, r, seen[seen.length - 1]!);
  } finally {
    await shoal.close();
  }
});

describe('progress read from the store', () => {
  let shoal: Shoal;
  let pool: WorkerPool;
  let run: RunResult;
  const seen: JobProgress[] = [];
  before(async () => {
    shoal = await startShoal({ store: 'local' });
    await shoal.run(SETUP);
    pool = new WorkerPool(2, 1);
    run = await runScript(QUERY, { warehouse: shoal.warehouse, pool, keepJobFiles: true, progressIntervalMs: 20, settings: SETTINGS, onProgress: (p) => seen.push(p) });
  });
  after(async () => {
    await pool?.close();
    await shoal?.close();
  });

  test('a real run: the last picture has every stage done with the fan-out plan-stage wrote, and done counts never go back', async () => {
    const last = seen[seen.length - 1]!;
    await assertAllDone(shoal, run, last);
    for (let i = 1; i < seen.length; i++) {
      for (const s of seen[i]!.stages) assert.ok(s.done >= seen[i - 1]!.stages.find((x) => x.stage === s.stage)!.done);
    }
    const lines: string[] = [];
    const d = lineDisplay((l) => lines.push(l));
    for (const p of seen) d.update(p);
    assert.deepEqual(lines, last.stages.flatMap((s) => [startLine(s), endLine(s)]), 'one start and one end line per stage, in order');
  });

  test('a multi-insert: the stages that run in the shared scan\'s tasks are followed through it, and every fan-out ends done', async () => {
    const pictures: JobProgress[] = [];
    const r = await runScript(`CREATE TABLE mi_a (key INT) STORED AS PARQUET; CREATE TABLE mi_b (k INT, c BIGINT) STORED AS PARQUET;
      FROM src INSERT OVERWRITE TABLE mi_a SELECT key WHERE key < 10 INSERT OVERWRITE TABLE mi_b SELECT key % 3, count(*) GROUP BY key % 3`, {
      warehouse: shoal.warehouse, pool, progressIntervalMs: 20, settings: { 'shoal.shuffle.partitions': '4' }, onProgress: (x) => pictures.push(x),
    });
    const st = r.plan.statements.find((x) => x.kind === 'dataflow')!;
    assert.ok(st.kind === 'dataflow' && st.stages[0]!.also?.length === 1);
    const last = pictures[pictures.length - 1]!;
    assert.deepEqual(last.stages.map((s) => [s.stage, s.state]), st.stages.filter((s) => s.id !== st.stages[0]!.also![0]).map((s) => [s.id, 'done']));
  });

  test('attempt records written through the store: running tasks, rows and bytes, a shadow that wins', async () => {
    const plan: JobPlan = { ...run.plan, queryId: `${run.queryId}-replay` };
    const st = plan.statements[0]!;
    if (st.kind !== 'dataflow') return;
    const first = st.stages.find((s) => s.inputs.length === 0)!;
    const e: StageEvent = { queryId: plan.queryId, warehouse: shoal.warehouse, statement: 0, stage: first.id };
    const store = shoal.store;
    const reader = new ProgressReader(store, plan);
    const stage = (p: JobProgress) => p.stages.find((s) => s.stage === first.id)!;
    const record = (r: Omit<AttemptProgress, 'startedAt' | 'updatedAt' | 'advancedAt'>, at: number) =>
      store.put(progressKey(e, r.task, r.attempt), JSON.stringify({ ...r, startedAt: 1_000, updatedAt: at, advancedAt: at }));

    let p = await reader.poll();
    assert.equal(stage(p).state, 'waiting');
    assert.equal(stageRow(stage(p), 0), `stage ${String(first.id).padStart(2)}  waiting`);

    await store.put(tasksKey(e), JSON.stringify({ stage: first.id, tasks: [0, 1, 2].map((index) => ({ index })), inputs: {} } satisfies TaskList));
    await record({ task: 0, attempt: 'a0', kind: 'primary', rows: 100, bytes: 4096, state: 'running' }, 1_100);
    await record({ task: 1, attempt: 'a1', kind: 'primary', rows: 40, bytes: 1024, state: 'running' }, 1_100);
    p = await reader.poll();
    assert.deepEqual({ ...stage(p), startedAt: undefined }, {
      statement: 0, stage: first.id, state: 'running', total: 3, done: 0, running: 2, attempts: 2, rows: 140, bytes: 5120,
      shadows: 0, shadowsWon: 0, startedAt: undefined, endedAt: undefined,
    });

    // task 0 finishes; task 1 gets a shadow that overtakes its primary
    await record({ task: 0, attempt: 'a0', kind: 'primary', rows: 150, bytes: 6144, state: 'won' }, 1_200);
    await store.put(doneKey(e, 0), JSON.stringify({ task: 0, attempt: 'a0' }));
    await record({ task: 1, attempt: 's1', kind: 'shadow', rows: 60, bytes: 2048, state: 'running' }, 1_200);
    p = await reader.poll();
    assert.deepEqual([stage(p).done, stage(p).running, stage(p).rows, stage(p).bytes, stage(p).shadows, stage(p).shadowsWon], [1, 1, 150 + 60, 6144 + 2048, 1, 0]);
    assert.match(stageRow(stage(p), stage(p).startedAt! + 2500), new RegExp(`^stage ${String(first.id).padStart(2)}  running  1/3 done, 1 running  210 rows  8\\.00 KiB  2\\.5 s; 1 shadow launched, 0 won$`));

    // the shadow publishes first; its record still says running (the done marker is the arbiter)
    await store.put(doneKey(e, 1), JSON.stringify({ task: 1, attempt: 's1' }));
    await record({ task: 2, attempt: 'a2', kind: 'primary', rows: 1, bytes: 10, state: 'won' }, 1_300);
    await store.put(doneKey(e, 2), JSON.stringify({ task: 2, attempt: 'a2' }));
    p = await reader.poll();
    const done = stage(p);
    assert.deepEqual([done.state, done.done, done.running, done.shadows, done.shadowsWon, done.rows], ['done', 3, 0, 1, 1, 150 + 60 + 1]);
    assert.equal(done.attempts, 4);
    assert.ok(done.endedAt! >= done.startedAt!);
    assert.equal(endLine(done), `statement 1, stage ${first.id}: done, 3 tasks in ${((done.endedAt! - done.startedAt!) / 1000).toFixed(1)} s, 211 rows, 8.01 KiB read; 1 shadow launched, 1 won`);

    // the shadow's final record lands after its done marker: the next poll still reads it
    await record({ task: 1, attempt: 's1', kind: 'shadow', rows: 70, bytes: 2100, state: 'won' }, 1_400);
    p = await reader.poll();
    assert.deepEqual([stage(p).rows, stage(p).bytes], [150 + 70 + 1, 6144 + 2100 + 10]);
    assert.ok(progressTable(p, Date.now()).startsWith(`statement 1 of ${plan.statements.length}\n  stage`));
  });
});
