// Planning a multi-insert: one statement with a sink per branch, whose stages scanning the
// source share one fan-out (the source is read once), without ever making a stage wait
// for itself; and Hive's refusal of the same output twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyCatalog } from '../../lib/catalog/model.js';
import { formatError } from '../../lib/common/errors.js';
import type { DataflowPlan } from '../../lib/plan/job.js';
import { explainJobStatement } from '../../lib/planner/explain.js';
import { planJob } from '../../lib/planner/plan-job.js';
import { leadOf, waves } from '../../lib/stages/fragment.js';
import type { Stage } from '../../lib/stages/stage.js';

const TABLES = `CREATE TABLE a (k INT, v STRING); CREATE TABLE b (k INT, w STRING);
  CREATE TABLE t1 (k INT, v STRING); CREATE TABLE t2 (k INT, c BIGINT);
  CREATE TABLE tp (k INT) PARTITIONED BY (p STRING);`;

async function planLast(sql: string): Promise<DataflowPlan> {
  const plan = await planJob(`${TABLES} ${sql}`, { catalog: emptyCatalog() });
  const st = plan.statements[plan.statements.length - 1]!;
  assert.equal(st.kind, 'dataflow');
  return st as DataflowPlan;
}

const scans = (s: Stage): string[] => JSON.stringify(s.fragment).match(/"kind":"scan","table":\{"db":"default","name":"(\w+)"/g)?.map((m) => m.replace(/.*"name":"/, '').replace('"', '')) ?? [];

/** The tables each fan-out scans (a lead with the stages it also computes), and a check that the waves respect every input. */
function fanOuts(df: DataflowPlan): { scanned: string[][]; order: number[][] } {
  const order = waves(df.stages);
  const lead = leadOf(df.stages);
  const waveOf = new Map(order.flatMap((w, i) => w.map((id) => [id, i] as const)));
  const at = (id: number) => waveOf.get(lead.get(id) ?? id)!;
  for (const s of df.stages) for (const i of s.inputs) assert.ok(at(i) < at(s.id), `stage ${s.id} runs in wave ${at(s.id)}, its input ${i} in wave ${at(i)}`);
  const byId = new Map(df.stages.map((s) => [s.id, s]));
  const scanned = order.flat().map((id) => [byId.get(id)!, ...(byId.get(id)!.also ?? []).map((m) => byId.get(m)!)].flatMap(scans)).filter((t) => t.length);
  return { scanned, order };
}

test('a multi-insert is one statement with a sink per branch, whose scans of the source run as one fan-out', async () => {
  const df = await planLast(`FROM a
    INSERT OVERWRITE TABLE t1 SELECT k, v WHERE k < 10
    INSERT INTO TABLE t2 SELECT k, count(*) GROUP BY k
    INSERT OVERWRITE TABLE tp PARTITION (p) SELECT k, v
    SELECT k, v ORDER BY k LIMIT 3`);
  assert.deepEqual(df.sinks.map((s) => (s.kind === 'table' ? s.table : s.kind)), ['t1', 't2', 'tp', 'result']);
  assert.deepEqual(fanOuts(df).scanned, [['a', 'a', 'a', 'a']]);
  const lines = explainJobStatement(df);
  assert.match(lines[0]!, /^4 sinks, committed together: \[0\] insert overwrite default\.t1; \[1\] insert into default\.t2; \[2\] insert overwrite default\.tp dynamic partitions \(p\); \[3\] result \(k, v\)$/);
  assert.ok(lines.some((l) => /^Stage 1 => sink \[0\]: .*\(shared scan: its tasks also compute stages 2, \d+, \d+\)$/.test(l)), lines.join('\n'));
  // ORDER BY … LIMIT gets its own single-task stage after the shared scan
  assert.ok(lines.some((l) => /^Stage \d+ <- stage \d+ \[single\] => sink \[3\]: result/.test(l)), lines.join('\n'));
});

test('a join of the table with itself as the source reads it in one fan-out too', async () => {
  const df = await planLast(`FROM a x JOIN a y ON x.k = y.k
    INSERT OVERWRITE TABLE t1 SELECT x.k, y.v
    INSERT OVERWRITE TABLE t2 SELECT x.k, count(*) GROUP BY x.k`);
  assert.deepEqual(fanOuts(df).scanned, [['a', 'a', 'a', 'a']]);
});

test('a scan that depends on another scan of the same table through a broadcast keeps its own fan-out', async () => {
  const df = await planLast(`FROM a
    INSERT OVERWRITE TABLE t1 SELECT k, v WHERE k < 5
    INSERT OVERWRITE TABLE t2 SELECT k, 1 WHERE k > (SELECT avg(k) FROM a)`);
  const { scanned } = fanOuts(df);
  assert.deepEqual(scanned, [['a', 'a'], ['a']]);
});

test('the same unpartitioned table or the same static partition twice is refused, as Hive does', async () => {
  const twice = 'FROM a INSERT OVERWRITE TABLE t1 SELECT k, v INSERT INTO TABLE t1 SELECT k, v WHERE k > 1';
  const col = TABLES.split('\n').at(-1)!.length + 1 + twice.indexOf('INSERT INTO') + 1;
  await assert.rejects(planLast(twice), (e) => formatError(e) === `<input>:3:${col}: The same output cannot be present multiple times: default.t1`);
  await assert.rejects(planLast(`FROM a INSERT OVERWRITE TABLE tp PARTITION (p='x') SELECT k INSERT OVERWRITE TABLE tp PARTITION (p='x') SELECT k + 1`),
    /The same output cannot be present multiple times: default\.tp@p=x/);
  await assert.rejects(planLast(`FROM a SELECT k SELECT v`), /returns rows from one SELECT branch at most/);
  // different static partitions, and dynamic partitions, of one table are fine
  const df = await planLast(`FROM a INSERT OVERWRITE TABLE tp PARTITION (p='x') SELECT k INSERT OVERWRITE TABLE tp PARTITION (p='y') SELECT k
    INSERT OVERWRITE TABLE tp PARTITION (p) SELECT k, v INSERT INTO TABLE tp PARTITION (p) SELECT k, v`);
  assert.equal(df.sinks.length, 4);
});
