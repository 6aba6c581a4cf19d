// The shoal command as a user runs it: rows on stdout, errors as FILE:LINE:COL with exit 1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FIXTURES } from '../support/engines.js';

const BIN = resolve(import.meta.dirname, '../../bin/shoal.mjs');
const shoal = (args: string[], cwd: string) => spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });

test('shoal run prints typed JSON rows with Hive column names and leaves Parquet in the warehouse', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'shoal-cli-'));
  try {
    await writeFile(join(dir, 'job.sql'), `CREATE TABLE src (key INT, value STRING);
LOAD DATA LOCAL INPATH '${join(FIXTURES, 'hive', 'kv1.txt')}' INTO TABLE src;
CREATE TABLE out STORED AS PARQUET AS SELECT key, count(*) AS c FROM src GROUP BY key;
SELECT a.key, b.key, a.c * 2, NULL FROM out a JOIN out b ON a.key = b.key WHERE a.key < 3 ORDER BY a.key;\n`);
    const r = shoal(['run', '-f', 'job.sql', '--format', 'json'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n').map((l) => JSON.parse(l)), [
      { 'a.key': 0, 'b.key': 0, _c2: 6, _c3: null },
      { 'a.key': 2, 'b.key': 2, _c2: 2, _c3: null },
    ]);
    await writeFile(join(dir, 'q.sql'), 'SELECT key, count(*) FROM out GROUP BY key;');
    const e = shoal(['explain', 'q.sql', '--asl'], dir);
    assert.equal(e.status, 0, e.stderr);
    assert.ok(JSON.parse(e.stdout).States);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('shoal run reports a SQL error as FILE:LINE:COL with exit code 1', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'shoal-cli-'));
  try {
    await writeFile(join(dir, 'bad.sql'), 'SELECT 1;\nSELECT FROM;\n');
    const r = shoal(['run', 'bad.sql'], dir);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^error: bad\.sql:2:8: /m);
    assert.equal(r.stdout, '');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('shoal run prints SHOW and DESCRIBE as Beeline does in tsv: a header, tab-separated cells, NULL spelled out', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'shoal-cli-'));
  try {
    await writeFile(join(dir, 'ddl.sql'), `CREATE TABLE p (key INT COMMENT 'the key', value STRING) PARTITIONED BY (ds STRING) STORED AS PARQUET;
ALTER TABLE p ADD PARTITION (ds='2024-01-02') PARTITION (ds='2024-01-01');
DESCRIBE p;
SHOW PARTITIONS p;\n`);
    const r = shoal(['run', 'ddl.sql', '--format', 'tsv'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, [
      'col_name\tdata_type\tcomment', 'key\tint\tthe key', 'value\tstring\t', 'ds\tstring\t',
      '\tNULL\tNULL', '# Partition Information\tNULL\tNULL', '# col_name\tdata_type\tcomment', 'ds\tstring\t',
      'partition', 'ds=2024-01-01', 'ds=2024-01-02', '',
    ].join('\n'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
