// shoal compare through the command line: exit 0 on match, 1 on a difference, 2 on an error; JSON report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BIN = resolve(import.meta.dirname, '../../bin/shoal.mjs');
const shoal = (args: string[], cwd: string) => spawnSync(process.execPath, [BIN, ...args, '--workers', '1'], { cwd, encoding: 'utf8' });

test('shoal compare exits 0 on a match, 1 on a difference (with a JSON report), 2 on an error', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'shoal-compare-'));
  try {
    await writeFile(join(dir, 'setup.sql'), `CREATE TABLE a (k INT, v STRING);
INSERT INTO a VALUES (1, 'x'), (2, 'y');
CREATE TABLE b AS SELECT * FROM a;
CREATE TABLE c AS SELECT k, if(k = 1, 'z', v) AS v FROM a;\n`);
    assert.equal(shoal(['run', 'setup.sql'], dir).status, 0);
    const same = shoal(['compare', 'a', 'b'], dir);
    assert.equal(same.status, 0, same.stderr);
    assert.match(same.stdout, /MATCH/);
    const diff = shoal(['compare', 'a', 'default.c', '--json', 'r.json', '--key', 'k'], dir);
    assert.equal(diff.status, 1, diff.stderr);
    const r = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8'));
    assert.equal(r.match, false);
    assert.deepEqual(r.differences.map((d: { column: string; stat: string }) => `${d.column}.${d.stat}`), ['v.min', 'v.max', 'v.hash']); // {x, y} vs {z, y}
    assert.deepEqual(r.sampleRows[''].rows, [[1, 1, 'x', 'z']]);
    const err = shoal(['compare', 'a', 'nosuch'], dir);
    assert.equal(err.status, 2);
    assert.match(err.stderr, /table not found: nosuch/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('shoal shadow --baseline-metrics prints the cost beside the original run\'s metrics', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'shoal-shadow-cost-'));
  try {
    await writeFile(join(dir, 'setup.sql'), `CREATE TABLE src (k INT, v STRING); INSERT INTO src VALUES (1, 'x'), (2, 'y'), (1, 'z');
CREATE TABLE out (k INT, n BIGINT);\n`);
    await writeFile(join(dir, 'job.sql'), `INSERT OVERWRITE TABLE out SELECT k, count(*) FROM src GROUP BY k;\n`);
    assert.equal(shoal(['run', 'setup.sql'], dir).status, 0);
    const orig = shoal(['run', 'job.sql', '--metrics', 'm.json'], dir);
    assert.equal(orig.status, 0, orig.stderr);
    const baseline = JSON.parse(await readFile(join(dir, 'm.json'), 'utf8'));
    const r = shoal(['shadow', 'job.sql', '--shadow-db', 'sh', '--baseline-metrics', 'm.json'], dir);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    // the same job on the same data: the same number of tasks and bytes read, a ratio of 1.00
    const line = (metric: string) => r.stdout.split('\n').find((l) => l.startsWith(`${metric}  `) || l.startsWith(`${metric} `))?.trim().split(/\s{2,}/);
    assert.deepEqual(line('tasks'), ['tasks', String(baseline.totals.tasks), String(baseline.totals.tasks), '1.00']);
    assert.equal(line('input bytes')![1], String(baseline.totals.inputBytes));
    assert.ok(line('S3 requests'), r.stdout);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
