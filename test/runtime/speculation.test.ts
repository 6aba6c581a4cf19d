// The watcher's decisions (which task gets a shadow, when a stage stands still), the
// duration settings they read, and the local task tokens' heartbeat timeout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TaskTokens } from '../../lib/local/task-tokens.js';
import { durationSetting } from '../../lib/planner/settings.js';
import type { AttemptProgress } from '../../lib/runtime/progress.js';
import { speculationPolicy, standingStillFor, stragglers, type StageView } from '../../lib/runtime/speculate.js';

const NOW = 1_000_000;
const rec = (task: number, state: AttemptProgress['state'], ranMs: number, extra: Partial<AttemptProgress> = {}): AttemptProgress => ({
  task, attempt: `a${task}${extra.kind ?? ''}`, kind: 'primary', startedAt: NOW - ranMs, updatedAt: state === 'running' ? NOW : NOW - ranMs + 1000,
  advancedAt: NOW, rows: 0, bytes: 0, state, taskToken: `token-${task}`, ...extra,
});
const policy = speculationPolicy({ 'shoal.speculation.min-runtime': '2s' });
const view = (records: AttemptProgress[], extra: Partial<StageView> = {}): StageView => ({
  total: 4, done: new Set(records.filter((r) => r.state === 'won').map((r) => r.task)), records, shadowed: new Set(), now: NOW, ...extra,
});
// three tasks finished in 1 s each; task 3 has been running for `ms`
const stage = (ms: number) => [rec(0, 'won', 1000), rec(1, 'won', 1000), rec(2, 'won', 1000), rec(3, 'running', ms)];

test('durations: ms, s, min and bare seconds', () => {
  assert.deepEqual(['500ms', '10s', '2min', '1.5s', '3'].map((v) => durationSetting({ k: v }, 'k')), [500, 10_000, 120_000, 1500, 3000]);
  assert.throws(() => durationSetting({ k: 'soon' }, 'k'), /k=soon is not a duration/);
  assert.deepEqual(speculationPolicy({}), { enabled: true, minFinishedRatio: 0.75, multiplier: 1.5, minRuntimeMs: 10_000 });
});

test('a running task past multiplier × the median and min-runtime gets one shadow with its primary\'s token', () => {
  assert.deepEqual(stragglers(view(stage(1900)), policy), [], 'under min-runtime (2 s) although past 1.5 × 1 s');
  assert.deepEqual(stragglers(view(stage(2100)), policy).map((r) => [r.task, r.taskToken]), [[3, 'token-3']]);
  assert.deepEqual(stragglers(view(stage(1400)), { ...policy, minRuntimeMs: 0 }), [], 'under 1.5 × the median');
  assert.deepEqual(stragglers(view(stage(2100), { shadowed: new Set([3]) }), policy), [], 'one shadow per task');
  assert.deepEqual(stragglers(view([...stage(2100), rec(3, 'running', 100, { kind: 'shadow' })]), policy), []);
  assert.deepEqual(stragglers(view(stage(5000)), { ...policy, enabled: false }), [], 'disabled');
});

test('no shadow before min-finished-ratio of the tasks finished', () => {
  const half = [rec(0, 'won', 1000), rec(1, 'won', 1000), rec(2, 'running', 9000), rec(3, 'running', 9000)];
  assert.deepEqual(stragglers(view(half), policy), [], '2 of 4 < 0.75');
  assert.deepEqual(stragglers(view(half), { ...policy, minFinishedRatio: 0.5 }).map((r) => r.task), [2, 3]);
});

test('a retried task is judged by its latest primary', () => {
  const retried = [...stage(9000).slice(0, 3), rec(3, 'failed', 9000), rec(3, 'running', 500, { attempt: 'retry' })];
  assert.deepEqual(stragglers(view(retried), policy), []);
});

test('a stage stands still since its last advance, or since it was planned', () => {
  assert.equal(standingStillFor([rec(0, 'running', 5000, { advancedAt: NOW - 3000 }), rec(1, 'won', 2000, { advancedAt: NOW - 4000 })], NOW - 10_000, NOW), 3000);
  assert.equal(standingStillFor([], NOW - 10_000, NOW), 10_000);
});

test('local task tokens: the first success completes the task, later calls are refused; no heartbeat fails it', async () => {
  const tokens = new TaskTokens();
  let token = '';
  const ok = tokens.wait(200, async (t, started) => { token = t; started(); });
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(await tokens.heartbeat(token), true);
  assert.equal(await tokens.success(token, { won: true }), true);
  assert.deepEqual(await ok, { won: true });
  assert.equal(await tokens.success(token, {}), false, 'a used token is no longer live');
  const start = Date.now();
  const beats: string[] = [];
  const hung = tokens.wait(150, async (t, started) => { beats.push(t); started(); });
  await assert.rejects(hung, { name: 'States.HeartbeatTimeout' });
  assert.ok(Date.now() - start >= 150);
  assert.equal(await tokens.heartbeat(beats[0]!), false);
  const failing = tokens.wait(1000, async () => { throw Object.assign(new Error('boom'), { name: 'Shoal.TaskError' }); });
  await assert.rejects(failing, { name: 'Shoal.TaskError', message: 'boom' });
});
