// The emitted state machine is valid ASL and has the shape the design gives it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { emitAsl, substitute, watchWaits } from '../../lib/asl/emit.js';
import { emptyCatalog } from '../../lib/catalog/model.js';
import { planJob } from '../../lib/planner/plan-job.js';

const validator = createRequire(import.meta.url)('asl-validator') as (d: unknown, o?: unknown) => { isValid: boolean; errors: unknown[] };
const ARN = (n: string) => `arn:aws:lambda:us-east-1:123456789012:function:${n}`;

async function job(sql: string) {
  return planJob(sql, { catalog: emptyCatalog() });
}

test('a join job emits valid ASL with a Parallel wave for the two join sides', async () => {
  const plan = await job(`CREATE TABLE a (k INT, v STRING); CREATE TABLE b (k INT, w STRING);
    SELECT a.k, count(*) FROM a JOIN b ON a.k = b.k GROUP BY a.k;`);
  const asl = emitAsl(plan);
  const text = JSON.stringify(asl);
  assert.ok(!/arn:aws:lambda/.test(text), 'no function ARNs in the emitted file');
  assert.match(text, /\$\{RunTaskFunctionArn\}/);
  const filled = substitute(asl, { PlanStage: ARN('p'), RunTask: ARN('r'), Compact: ARN('m'), Commit: ARN('c'), Cleanup: ARN('x'), Speculate: ARN('w') });
  const r = validator(filled);
  assert.deepEqual(r.errors, []);
  assert.equal(r.isValid, true);
  const states = (asl as { States: Record<string, { Type: string; Branches?: unknown[] }> }).States;
  const waves = Object.entries(states).filter(([n, s]) => s.Type === 'Parallel' && n.includes('Wave'));
  assert.equal(waves.length, 1);
  assert.equal(waves[0]![1].Branches!.length, 2);
});

test('every Task retries transient errors and every top-level state routes failures to cleanup', async () => {
  const plan = await job('CREATE TABLE a (k INT); INSERT OVERWRITE TABLE a SELECT k FROM a;');
  const states = (emitAsl(plan) as { States: Record<string, Record<string, unknown>> }).States;
  for (const [name, s] of Object.entries(states)) {
    if (name.startsWith('Cleanup') || s.Type === 'Succeed' || s.Type === 'Fail') continue;
    assert.ok(Array.isArray(s.Catch), `${name} has a Catch`);
    assert.deepEqual((s.Catch as { ErrorEquals: string[]; Next: string }[]).at(-1), { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'CleanupAfterFailure' });
  }
  assert.equal(states.S1Stage1!.Type, 'Parallel');
  assert.ok(JSON.stringify(states).includes('Shoal.Transient'));
});

test('compaction runs between the last stage and the commit only for statements that write a table', async () => {
  const plan = await job(`CREATE TABLE a (k INT) PARTITIONED BY (d STRING);
    INSERT OVERWRITE TABLE a PARTITION (d) SELECT k, CAST(k AS STRING) FROM a;
    SELECT count(*) FROM a;`);
  const asl = emitAsl(plan);
  const states = (asl as { States: Record<string, Record<string, unknown>> }).States;
  assert.equal(states.S1Stage2!.Next, 'S1CompactPlan');
  assert.equal(states.S1CompactPlan!.Resource, '${CompactFunctionArn}');
  assert.deepEqual((states.S1CompactPlan!.Parameters as Record<string, unknown>).phase, 'plan');
  assert.equal(states.S1CompactRun!.Next, 'S1Commit');
  assert.ok(!Object.keys(states).some((n) => n.startsWith('S2Compact')), 'a query has no compaction');
  const r = validator(substitute(asl, { PlanStage: ARN('p'), RunTask: ARN('r'), Compact: ARN('m'), Commit: ARN('c'), Cleanup: ARN('x'), Speculate: ARN('w') }));
  assert.deepEqual(r.errors, []);
});

test('a multi-insert emits valid ASL: one plan and Map for the shared scan, none for the stages it computes, one compaction and one commit', async () => {
  const plan = await job(`CREATE TABLE a (k INT, v STRING); CREATE TABLE t1 (k INT); CREATE TABLE t2 (k INT, c BIGINT);
    FROM a INSERT OVERWRITE TABLE t1 SELECT k WHERE k < 5 INSERT INTO TABLE t2 SELECT k, count(*) GROUP BY k SELECT v ORDER BY v LIMIT 2;`);
  const st = plan.statements[3]!;
  assert.ok(st.kind === 'dataflow' && st.stages[0]!.also?.length === 2);
  const asl = emitAsl(plan);
  const states = (asl as { States: Record<string, Record<string, unknown>> }).States;
  // Map states at the top level and in Parallel branches: the shared scan (stage 1, also
  // computing 2 and 4), then the final aggregate (3) beside the ordered limit (5)
  const runs = [...JSON.stringify(states).matchAll(/"(S3Stage\d+Run)":/g)].map((m) => m[1]).sort();
  assert.deepEqual(runs, ['S3Stage1Run', 'S3Stage3Run', 'S3Stage5Run']);
  assert.deepEqual(Object.keys(states).filter((n) => n.startsWith('S3Compact') || n === 'S3Commit').sort(), ['S3Commit', 'S3CompactPlan', 'S3CompactRun']);
  const r = validator(substitute(asl, { PlanStage: ARN('p'), RunTask: ARN('r'), Compact: ARN('m'), Commit: ARN('c'), Cleanup: ARN('x'), Speculate: ARN('w') }));
  assert.deepEqual(r.errors, []);
});

test('a stage runs its Map beside a watcher: tasks wait for their token with a heartbeat, the Map branch ends the Parallel', async () => {
  const plan = await job(`CREATE TABLE a (k INT); SET shoal.task.heartbeat-timeout=2500ms; SET shoal.speculation.interval=300ms;
    SELECT k, count(*) FROM a GROUP BY k;`);
  const states = (emitAsl(plan) as { States: Record<string, Record<string, unknown>> }).States;
  const stage = states.S1Stage1 as { Type: string; Branches: { StartAt: string; States: Record<string, Record<string, unknown>> }[]; Catch: { ErrorEquals: string[]; Next: string }[]; Next: string };
  assert.equal(stage.Type, 'Parallel');
  const [tasks, watcher] = stage.Branches;
  const map = tasks!.States[tasks!.StartAt]!;
  assert.equal(map.Next, 'S1Stage1Complete');
  assert.equal(tasks!.States.S1Stage1Complete!.Error, 'Shoal.StageComplete');
  assert.deepEqual(stage.Catch[0], { ErrorEquals: ['Shoal.StageComplete'], ResultPath: null, Next: stage.Next });
  const task = (map.ItemProcessor as { States: Record<string, Record<string, unknown>> }).States.S1Stage1Task!;
  assert.equal(task.Resource, 'arn:aws:states:::lambda:invoke.waitForTaskToken');
  assert.equal(task.HeartbeatSeconds, 3, 'whole seconds, rounded up');
  assert.equal((task.Parameters as { Payload: Record<string, string> }).Payload['taskToken.$'], '$$.Task.Token');
  assert.ok((task.Retry as { ErrorEquals: string[] }[])[0]!.ErrorEquals.includes('States.HeartbeatTimeout'));
  assert.equal(watcher!.States[watcher!.StartAt]!.Seconds, 1);
  assert.equal(watcher!.States.S1Stage1Speculate!.Resource, '${SpeculateFunctionArn}');
  assert.deepEqual(watchWaits(plan).S1Stage1Wait, 300);
});
