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
