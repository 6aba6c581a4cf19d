// The job report's speculation figures, over invocation records made by the real
// Recorder around real store calls: shadows launched and won, the time-saved lower
// bound, and what the losing attempts spent.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Recorder, type InvocationMetrics } from '../../lib/metrics/record.js';
import { speculationOf } from '../../lib/metrics/report.js';
import type { AttemptKind } from '../../lib/runtime/progress.js';
import { openStore } from '../../lib/store/open-store.js';
import type { ObjectStore } from '../../lib/store/object-store.js';

let dir: string;
let store: ObjectStore;
const INPUT = 'input.bin';
const SIZE = 3000;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shoal-spec-metrics-'));
  store = openStore(dir);
  await store.put(INPUT, new Uint8Array(SIZE));
});
after(() => rm(dir, { recursive: true, force: true }));

/** An attempt that reads the input, writes `out` bytes, and ends after `ms`. */
async function attempt(task: number, kind: AttemptKind, won: boolean | undefined, ok: boolean, ms: number, out = 0): Promise<InvocationMetrics> {
  // a fresh store per attempt: a Recorder counts the difference of its store's counters
  const s = openStore(dir);
  const rec = new Recorder(s, 'taskStart');
  rec.won = won;
  const metered = rec.meter(s);
  rec.lap('download');
  await metered.get(INPUT);
  rec.lap('execute');
  await sleep(ms);
  if (out) await metered.put(`out-${task}-${kind}-${rec.id}`, new Uint8Array(out));
  return rec.finish('RunTask', { statement: 0, stage: 1, task, kind }, ok);
}

test('shadows launched and won, time saved at least the primary\'s overrun, and the losers\' task time and bytes', async () => {
  const plain = await attempt(0, 'primary', true, true, 1);
  const failed = await attempt(1, 'primary', undefined, false, 1);
  const retried = await attempt(1, 'primary', true, true, 1);
  // task 2: the shadow wins while the primary still runs, which stops 40 ms later
  const slowPrimary = attempt(2, 'primary', false, true, 120, 500);
  await sleep(20);
  const shadow2 = await attempt(2, 'shadow', true, true, 20, 700);
  const primary2 = await slowPrimary;
  // task 3: the primary wins against its shadow
  const shadow3Run = attempt(3, 'shadow', false, true, 60);
  const primary3 = await attempt(3, 'primary', true, true, 1);
  const shadow3 = await shadow3Run;

  const s = speculationOf([plain, failed, retried, primary2, shadow2, primary3, shadow3]);
  assert.equal(s.shadows, 2);
  assert.equal(s.shadowsWon, 1);
  assert.ok(primary2.end > shadow2.end, 'the primary ended after the shadow won');
  assert.equal(s.timeSavedMs, primary2.end - shadow2.end);
  assert.equal(s.lostAttempts, 2, 'task 2\'s primary and task 3\'s shadow; a failed attempt of an unspeculated task is not speculation\'s cost');
  assert.equal(s.lostTaskMs, (primary2.end - primary2.start) + (shadow3.end - shadow3.start));
  assert.ok(s.lostTaskMs >= 120 + 60);
  assert.equal(s.lostBytesRead, 2 * SIZE);
  assert.equal(s.lostBytesWritten, 500);
});

test('without shadows every figure is zero, whatever retries happened', async () => {
  const s = speculationOf([await attempt(0, 'primary', undefined, false, 1), await attempt(0, 'primary', true, true, 1)]);
  assert.deepEqual(s, { shadows: 0, shadowsWon: 0, timeSavedMs: 0, lostAttempts: 0, lostTaskMs: 0, lostBytesRead: 0, lostBytesWritten: 0 });
});
