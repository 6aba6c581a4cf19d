// Wide stages run as Distributed Maps on AWS; the local runner's definition differs from
// the AWS one only in those Maps' processor mode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { DISTRIBUTED_MAP_CONCURRENCY, MAP_CONCURRENCY, emitAsl, substitute } from '../../lib/asl/emit.js';
import { emptyCatalog } from '../../lib/catalog/model.js';
import { localDefinition } from '../../lib/local/local-definition.js';
import { planJob } from '../../lib/planner/plan-job.js';

const validator = createRequire(import.meta.url)('asl-validator') as (d: unknown, o?: unknown) => { isValid: boolean; errors: unknown[] };
const ARN = (n: string) => `arn:aws:lambda:us-east-1:123456789012:function:${n}`;
const ARNS = { PlanStage: ARN('p'), RunTask: ARN('r'), Compact: ARN('k'), Commit: ARN('c'), Cleanup: ARN('x'), Speculate: ARN('w') };

type S = Record<string, unknown>;
/** Every Map state by name, through Parallel branches. */
function maps(states: Record<string, S>, out: Record<string, S> = {}): Record<string, S> {
  for (const [n, s] of Object.entries(states)) {
    if (s.Type === 'Map') out[n] = s;
    for (const b of (s.Branches as { States: Record<string, S> }[] | undefined) ?? []) maps(b.States, out);
  }
  return out;
}
const modeOf = (m: S) => (m.ItemProcessor as { ProcessorConfig: { Mode: string } }).ProcessorConfig.Mode;

const SQL = `CREATE TABLE t (k INT, v STRING);
  SELECT k, count(*) AS n FROM t GROUP BY k ORDER BY n DESC LIMIT 3;`;

test('stages that can fan out past 40 tasks use a Distributed Map, single-task stages an inline one', async () => {
  const asl = emitAsl(await planJob(SQL, { catalog: emptyCatalog() }));
  const ms = maps((asl as { States: Record<string, S> }).States);
  const modes = Object.fromEntries(Object.entries(ms).map(([n, m]) => [n, modeOf(m)]));
  // scan + partial aggregate (up to max-parallelism tasks), final aggregate over 64 hash partitions, the single sorted output
  assert.deepEqual(modes, { S1Stage1Run: 'DISTRIBUTED', S1Stage2Run: 'DISTRIBUTED', S1Stage3Run: 'INLINE' });
  for (const m of Object.values(ms)) {
    assert.equal(m.MaxConcurrency, modeOf(m) === 'INLINE' ? MAP_CONCURRENCY : DISTRIBUTED_MAP_CONCURRENCY);
    assert.equal(m.ItemsPath, '$.plan.items', 'items are task numbers from plan-stage, not an S3 listing');
  }
  const r = validator(substitute(asl, ARNS));
  assert.deepEqual(r.errors, []);
});

test('with max-parallelism at 40 every stage fits an inline Map', async () => {
  const asl = emitAsl(await planJob(`SET shoal.adaptive.max-parallelism=40; ${SQL}`, { catalog: emptyCatalog() }));
  const ms = maps((asl as { States: Record<string, S> }).States);
  assert.ok(Object.keys(ms).length >= 3);
  for (const m of Object.values(ms)) assert.equal(modeOf(m), 'INLINE');
});

/** Paths where two JSON values differ. */
function diff(a: unknown, b: unknown, path = '$', out: string[] = []): string[] {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    if (a !== b) out.push(path);
    return out;
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) diff((a as S)[k], (b as S)[k], `${path}.${k}`, out);
  return out;
}

test('the local definition differs from the AWS one only in the Distributed Maps\' processor mode, the Task timeouts written out and the task tokens', async () => {
  const plan = await planJob(`CREATE TABLE a (k INT, v STRING); CREATE TABLE b (k INT, w STRING);
    INSERT OVERWRITE TABLE a SELECT a.k, b.w FROM a JOIN b ON a.k = b.k;`, { catalog: emptyCatalog() });
  const aws = substitute(emitAsl(plan), ARNS);
  const local = localDefinition(aws);
  const all = diff(aws, local);
  // Task states get AWS's default timeout spelled out (aws-local-stepfunctions would cut them at 60 s).
  const timeouts = all.filter((p) => p.endsWith('.TimeoutSeconds'));
  // `$$.Task.Token` is left to the runner's handler, which makes the tokens (lib/local/task-tokens.ts).
  const tokens = all.filter((p) => p.endsWith('.Parameters.Payload.taskToken.$'));
  const paths = all.filter((p) => !timeouts.includes(p) && !tokens.includes(p));
  assert.ok(timeouts.length > 0);
  assert.equal(tokens.length, 3, 'each stage\'s task state');
  const distributed = Object.values(maps((aws as { States: Record<string, S> }).States)).filter((m) => modeOf(m) === 'DISTRIBUTED');
  assert.ok(distributed.length >= 3, 'both join sides and the join stage are wide');
  assert.equal(paths.length, distributed.length * 2, paths.join('\n'));
  for (const p of paths) assert.match(p, /\.ItemProcessor\.ProcessorConfig\.(Mode|ExecutionType)$/);
  for (const m of Object.values(maps((local as { States: Record<string, S> }).States))) assert.equal(modeOf(m), 'INLINE');
  assert.deepEqual(validator(local).errors, []);
});

test('the rewrite drops fields only a Distributed Map may have and leaves inline Maps alone', () => {
  const inline = { Type: 'Map', ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'T', States: { T: { Type: 'Pass', End: true } } }, End: true };
  const asl = {
    StartAt: 'P',
    States: {
      P: { Type: 'Parallel', Next: 'I', Branches: [{ StartAt: 'D', States: { D: { ...inline, ItemReader: { Resource: 'arn:aws:states:::s3:getObject' }, ToleratedFailureCount: 0, Label: 'x', ItemProcessor: { ...inline.ItemProcessor, ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } } } } }] },
      I: inline,
    },
  };
  const local = localDefinition(asl) as typeof asl;
  const d = (local.States.P.Branches[0]!.States as Record<string, S>).D!;
  assert.deepEqual(d, inline);
  assert.deepEqual(local.States.I, inline);
  assert.equal(asl.States.P.Branches[0]!.States.D.ItemProcessor.ProcessorConfig.Mode, 'DISTRIBUTED', 'the input is not modified');
});
