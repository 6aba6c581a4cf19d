// `shoal run` with stderr not a terminal (a CI log): one line per stage start and end on
// stderr, and stdout holding the rows and nothing else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { JobMetrics } from '../../lib/metrics/report.js';
import { FIXTURES, normRows, startDuckDB } from '../support/engines.js';

const BIN = resolve(import.meta.dirname, '../../bin/shoal.mjs');

test('shoal run logs each stage once when it starts and once when it ends, on stderr only', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'shoal-cli-progress-'));
  try {
    const kv1 = join(FIXTURES, 'hive', 'kv1.txt');
    await writeFile(join(dir, 'job.sql'), `CREATE TABLE src (key INT, value STRING);
LOAD DATA LOCAL INPATH '${kv1}' INTO TABLE src;
SELECT key % 7 AS k, count(*) AS c FROM src GROUP BY key % 7;\n`);
    const r = spawnSync(process.execPath, [BIN, 'run', 'job.sql', '--workers', '2', '--format', 'json', '--metrics', 'm.json', '--set', 'shoal.adaptive.target-bytes-per-task=1'], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);

    const ref = await startDuckDB();
    const expected = await ref.query(`SELECT column0 % 7, count(*) FROM read_csv('${kv1}', delim = '\u0001', header = false, columns = {'column0': 'INTEGER', 'column1': 'VARCHAR'}) GROUP BY 1`);
    const rows = r.stdout.trim().split('\n').map((l) => Object.values(JSON.parse(l) as Record<string, number>));
    assert.deepEqual(normRows(rows, false), normRows(expected, false), 'stdout is the rows, nothing else');

    const m = JSON.parse(await readFile(join(dir, 'm.json'), 'utf8')) as JobMetrics;
    const lines = r.stderr.trim().split('\n');
    const stageLines = lines.filter((l) => /^statement \d+, stage \d+: /.test(l));
    assert.equal(stageLines.length, 2 * m.stages.length, r.stderr);
    for (const s of m.stages) {
      const name = `statement ${s.statement + 1}, stage ${s.id}: `;
      const mine = stageLines.filter((l) => l.startsWith(name));
      assert.equal(mine.length, 2, name);
      assert.equal(mine[0], `${name}started, ${s.tasks} task${s.tasks === 1 ? '' : 's'}`);
      assert.match(mine[1]!, new RegExp(`^${name}done, ${s.tasks} tasks? in \\d+\\.\\d s`));
    }
    assert.ok(m.stages.some((s) => s.tasks > 1));
    assert.match(lines[lines.length - 1]!, /^job q\S+: 3 statement\(s\) in \d+\.\d s$/);
    assert.equal(lines.length, stageLines.length + 1, 'no other lines');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a straggler\'s shadow shows in the stage\'s end line and in the report\'s speculation counts', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'shoal-cli-progress-'));
  try {
    const kv1 = join(FIXTURES, 'hive', 'kv1.txt');
    const fast = ['shoal.adaptive.min-parallelism=4', 'shoal.speculation.min-runtime=300ms', 'shoal.speculation.interval=100ms', 'shoal.task.progress-interval=100ms', 'shoal.test.slow-task=2:1:30000'];
    const sql = `CREATE TABLE src (key INT, value STRING); LOAD DATA LOCAL INPATH '${kv1}' INTO TABLE src;
SELECT key, count(*) AS c FROM src GROUP BY key;`;
    const r = spawnSync(process.execPath, [BIN, 'run', '-e', sql, '--workers', '2', '--format', 'json', '--metrics', 'm.json', ...fast.flatMap((s) => ['--set', s])], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const m = JSON.parse(await readFile(join(dir, 'm.json'), 'utf8')) as JobMetrics;
    // On a loaded machine a task of normal speed can outrun min-runtime too: counts are at least the straggler's.
    const slow = m.stages.find((s) => s.id === 2)!.speculation;
    assert.ok(slow.shadows >= 1 && slow.shadowsWon >= 1, JSON.stringify(slow));
    const all = m.stages.map((s) => s.speculation);
    for (const k of Object.keys(slow) as (keyof typeof slow)[]) assert.equal(m.totals.speculation[k], all.reduce((n, x) => n + x[k], 0), k);
    const { shadows, lostAttempts, lostTaskMs, lostBytesWritten } = m.totals.speculation;
    assert.equal(lostAttempts, shadows, 'every speculated task has one winner and one loser');
    assert.equal(m.totals.attempts, m.totals.tasks + shadows + m.totals.failedInvocations);
    assert.ok(lostTaskMs >= 300, 'the straggler ran past min-runtime before its shadow was launched');
    assert.ok(lostBytesWritten > 0, 'the straggler uploaded its output before it lost');
    // what the display read from the attempts' progress records agrees with the report's invocation records
    for (const s of m.stages) {
      const line = r.stderr.split('\n').find((l) => l.startsWith(`statement 3, stage ${s.id}: done, `))!;
      const spec = s.speculation.shadows ? `; ${s.speculation.shadows} shadow${s.speculation.shadows === 1 ? '' : 's'} launched, ${s.speculation.shadowsWon} won` : '';
      assert.match(line, new RegExp(`^statement 3, stage ${s.id}: done, ${s.tasks} tasks? in \\d+\\.\\d s, [\\d,]+ rows?, \\S+ \\S+ read${spec}$`));
    }
    const [[keys]] = await (await startDuckDB()).query(`SELECT count(DISTINCT column0) FROM read_csv('${kv1}', delim = '\u0001', header = false, columns = {'column0': 'INTEGER', 'column1': 'VARCHAR'})`);
    assert.equal(r.stdout.trim().split('\n').length, keys, 'one row per distinct key, nothing else');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
