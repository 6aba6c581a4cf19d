// The warehouse and the shuffle on S3: a representative part of the end-to-end suite
// (joins, aggregates across the shuffle, INSERT OVERWRITE of partitions, CTAS, a multi-insert) runs with
// SHOAL_TEST_STORE=s3, i.e. against an s3rver on 127.0.0.1 (or SHOAL_AWS_ENDPOINT, e.g.
// LocalStack), and `shoal run --warehouse s3://…` runs as a user would run it.
//
// s3rver has no conditional writes: it ignores If-None-Match, so the catalog's
// put-if-absent (and the done-marker that picks a task's winning attempt) is not atomic
// there. These runs have one writer at a time, so they do not depend on it; the atomic
// path is covered by the store contract against the local store (and on AWS S3).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { S3Store } from '../../lib/store/s3-store.js';
import { FIXTURES } from '../support/engines.js';
import { withS3 } from '../support/s3-server.js';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/shoal.mjs');

function runNode(args: string[], env: NodeJS.ProcessEnv, cwd = ROOT): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', rej);
    child.on('close', (code) => res({ code, stdout, stderr }));
  });
}

/** The part of the e2e suite that crosses the shuffle or writes partitions, by test name. */
const SUBSET = 'joins|aggregate|groups with several|counts distinct keys|unions three|prunes partitions|INSERT OVERWRITE|CREATE TABLE AS SELECT|multi-insert reads src once';

test('the e2e joins, shuffle aggregates and partition overwrites pass with warehouse and shuffle on S3', async () => {
  const env: NodeJS.ProcessEnv = { ...process.env, SHOAL_TEST_STORE: 's3' };
  delete env['NODE_TEST_CONTEXT']; // a test run of its own, reporting TAP to us
  const r = await runNode(['--import', 'tsx', '--test', '--test-reporter=tap', `--test-name-pattern=${SUBSET}`,
    'test/e2e/queries.test.ts', 'test/e2e/statements.test.ts', 'test/e2e/multi-insert.test.ts'], env);
  const count = (what: string) => Number(new RegExp(`^# ${what} (\\d+)$`, 'm').exec(r.stdout)?.[1] ?? NaN);
  assert.equal(r.code, 0, `the S3 run failed:\n${r.stdout.split('\n').filter((l) => /not ok|error|Error/.test(l)).join('\n')}\n${r.stderr}`);
  assert.equal(count('fail'), 0);
  assert.ok(count('pass') >= 15, `expected at least 15 matching e2e tests to run, ${count('pass')} passed`);
});

test('shoal run --warehouse s3://bucket/prefix runs a job end to end and leaves no job objects behind', async () => {
  await withS3(async (server) => {
    const dir = await mkdtemp(join(tmpdir(), 'shoal-cli-s3-'));
    const store = new S3Store({ ...server.connect, bucket: server.bucket, prefix: 'cli/wh' });
    try {
      await writeFile(join(dir, 'job.sql'), `CREATE TABLE src (key INT, value STRING);
LOAD DATA LOCAL INPATH '${join(FIXTURES, 'hive', 'kv1.txt')}' INTO TABLE src;
CREATE TABLE byday (key INT, c BIGINT) PARTITIONED BY (ds STRING) STORED AS PARQUET;
INSERT OVERWRITE TABLE byday PARTITION (ds='2024-01-01') SELECT key, count(*) FROM src GROUP BY key;
SELECT a.key, a.c, b.value FROM byday a JOIN src b ON a.key = b.key WHERE a.key < 5 ORDER BY a.key, b.value;\n`);
      const env = { ...process.env, SHOAL_AWS_ENDPOINT: server.endpoint };
      const r = await runNode([BIN, 'run', '-f', 'job.sql', '--format', 'json', '--warehouse', `s3://${server.bucket}/cli/wh`], env, dir);
      assert.equal(r.code, 0, r.stderr);
      const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      // kv1 holds key 0 three times, 2 and 4 once each
      assert.deepEqual(rows.map((x) => [x['key'], x['c']]), [[0, 3], [0, 3], [0, 3], [2, 1], [4, 1]]);
      const keys = (await store.list('')).map((o) => o.key);
      assert.ok(keys.some((k) => /^byday\/ds=2024-01-01\/.+\.parquet$/.test(k)), keys.join('\n'));
      assert.deepEqual(keys.filter((k) => k.startsWith('_jobs/') || k.startsWith('_staging/')), [], 'shuffle, staging and job objects are deleted');
    } finally {
      store.client.destroy();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
