// `shoal run --metrics FILE` leaves the job report beside the rows it prints.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { JobMetrics } from '../../lib/metrics/report.js';

const BIN = resolve(import.meta.dirname, '../../bin/shoal.mjs');

test('shoal run --metrics writes a JSON report with a stage per planned stage and S3 counts', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'shoal-cli-metrics-'));
  try {
    const sql = `CREATE TABLE t STORED AS PARQUET AS SELECT 1 AS a UNION ALL SELECT 2 AS a;
SELECT a % 2 AS k, count(*) AS n FROM t GROUP BY a % 2;`;
    const r = spawnSync(process.execPath, [BIN, 'run', '--workers', '1', '--format', 'json', '--metrics', 'm.json', '-e', sql], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim().split('\n').length, 2);
    const m = JSON.parse(await readFile(join(dir, 'm.json'), 'utf8')) as JobMetrics;
    assert.deepEqual(new Set(m.stages.map((s) => s.statement)), new Set([0, 1]));
    for (const s of m.stages) {
      assert.deepEqual(Object.keys(s.s3).sort(), ['bytesRead', 'bytesWritten', 'copy', 'delete', 'get', 'head', 'list', 'put']);
      assert.ok(s.tasks >= 1 && s.durationMs >= 0 && s.outputBytes > 0);
    }
    assert.equal(m.stages.filter((s) => s.kind === 'sink').length, 2);
    assert.ok(m.totals.s3.put > 0 && m.totals.s3.bytesWritten > 0 && m.wallMs > 0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
