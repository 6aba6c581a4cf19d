// The local state machine keeps AWS's timeouts: a long task is not cut off after the
// 60 s that aws-local-stepfunctions would otherwise impose on every Task state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LONGEST_LOCAL_TIMEOUT_SECONDS, localDefinition } from '../../lib/local/local-definition.js';

type S = Record<string, unknown>;

function tasks(states: Record<string, S>, out: S[] = []): S[] {
  for (const s of Object.values(states)) {
    if (s.Type === 'Task') out.push(s);
    for (const b of (s.Branches as { States: Record<string, S> }[] | undefined) ?? []) tasks(b.States, out);
    const p = s.ItemProcessor as { States: Record<string, S> } | undefined;
    if (p) tasks(p.States, out);
  }
  return out;
}

test('every Task state, also inside Map processors and Parallel branches, gets the job\'s timeout unless it has its own', () => {
  const task = (extra: S = {}) => ({ Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:f', ...extra });
  const asl = {
    StartAt: 'A',
    TimeoutSeconds: 3600,
    States: {
      A: { ...task(), Next: 'P' },
      P: { Type: 'Parallel', Branches: [{ StartAt: 'B', States: { B: { ...task({ TimeoutSeconds: 30 }), End: true } } }], Next: 'M' },
      M: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'C', States: { C: { ...task(), End: true } } }, End: true },
    },
  };
  const local = tasks((localDefinition(asl) as { States: Record<string, S> }).States);
  assert.deepEqual(local.map((t) => t.TimeoutSeconds), [3600, 30, 3600]);
  const untimed = localDefinition({ ...asl, TimeoutSeconds: undefined }) as { States: Record<string, S> };
  assert.equal(tasks(untimed.States)[0]!.TimeoutSeconds, LONGEST_LOCAL_TIMEOUT_SECONDS, 'a job without a timeout: the longest a timer can wait');
  assert.equal(tasks(asl.States as Record<string, S>).filter((t) => t.TimeoutSeconds !== undefined).length, 1, 'the input is not changed');
});
