// User functions as a user meets them on the command line: a permanent function created by
// one `shoal run` is there for the next one on the same warehouse until DROP FUNCTION; a
// job that fails at planning creates nothing; a module outside the allowed locations is
// refused with the statement's position.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { moduleHash } from '../../lib/udf/module.js';

const BIN = resolve(import.meta.dirname, '../../bin/shoal.mjs');
const shoal = (args: string[], cwd: string) => spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });
const json = (stdout: string) => stdout.trim().split('\n').filter((l) => l).map((l) => JSON.parse(l) as Record<string, unknown>);

const MODULE = `export const meta = { args: ['string'], returns: 'string', nullOnNullInput: true };
export function shout(s) { return s.toUpperCase() + '!'; }
`;

test('a permanent function survives across runs on one warehouse, shows in SHOW/DESCRIBE FUNCTION, and DROP FUNCTION removes it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'shoal-cli-udf-'));
  try {
    await mkdir(join(dir, 'jobs/udfs'), { recursive: true });
    await writeFile(join(dir, 'jobs/udfs/strings.mjs'), MODULE);
    // the module path is relative to the script's directory, not to the working directory
    await writeFile(join(dir, 'jobs/create.sql'), "CREATE FUNCTION shout AS 'shout' USING FILE 'udfs/strings.mjs';\n");
    const created = shoal(['run', 'jobs/create.sql'], dir);
    assert.equal(created.status, 0, created.stderr);
    const hash = moduleHash(new TextEncoder().encode(MODULE));
    assert.deepEqual(await readdir(join(dir, 'warehouse/blobs')), [`${hash}.mjs`]);

    await writeFile(join(dir, 'jobs/use.sql'), `SHOW FUNCTIONS LIKE '*shout*';
DESCRIBE FUNCTION EXTENDED shout;
EXPLAIN SELECT default.shout('a');\n`);
    const used = shoal(['run', 'jobs/use.sql', '--format', 'json'], dir);
    assert.equal(used.status, 0, used.stderr);
    const rows = json(used.stdout);
    assert.deepEqual(rows.slice(0, 8).map((r) => Object.values(r)[0]), [
      'default.shout',
      'default.shout(string) RETURNS string: a user function',
      'Function export:shout',
      'Function type:PERSISTENT',
      'Function kind:scalar',
      `Resource:${join(dir, 'jobs/udfs/strings.mjs')}`,
      `Resource sha256:${hash}`,
      'Null on null input:true',
    ]);
    assert.ok(rows.slice(8).some((r) => String(r.Explain).includes('default.shout(')), used.stdout);

    const dropped = shoal(['run', '-e', "DROP FUNCTION shout; SHOW FUNCTIONS LIKE '*shout*'", '--format', 'json'], dir);
    assert.equal(dropped.status, 0, dropped.stderr);
    assert.deepEqual(json(dropped.stdout), []);
    const gone = shoal(['run', '-e', "SELECT 1;\nSELECT shout('a')"], dir);
    assert.equal(gone.status, 1);
    assert.match(gone.stderr, /^error: <input>:2:8: unknown function 'shout'/m);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a job that fails at planning creates no function; a module outside the allowed locations is refused where it is named', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'shoal-cli-udf-'));
  const elsewhere = await mkdtemp(join(tmpdir(), 'shoal-cli-udf-elsewhere-'));
  try {
    await writeFile(join(dir, 'strings.mjs'), MODULE);
    await writeFile(join(elsewhere, 'strings.mjs'), MODULE);
    await writeFile(join(dir, 'bad.sql'), "CREATE FUNCTION shout AS 'shout' USING FILE 'strings.mjs';\nSELECT shout('a', 'b');\n");
    const bad = shoal(['run', 'bad.sql'], dir);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /^error: bad\.sql:2:8: default\.shout\(string\) takes 1 argument, but 2 were given \(declared by .*strings\.mjs\)$/m);
    const after = shoal(['run', '-e', "SHOW FUNCTIONS LIKE 'default.*'", '--format', 'json'], dir);
    assert.deepEqual(json(after.stdout), [], after.stderr);

    await writeFile(join(dir, 'far.sql'), `SELECT 1;\nCREATE TEMPORARY FUNCTION shout AS 'shout' USING FILE '${join(elsewhere, 'strings.mjs')}';\n`);
    const far = shoal(['run', 'far.sql'], dir);
    assert.equal(far.status, 1);
    assert.match(far.stderr, new RegExp(`^error: far\\.sql:2:55: module ${join(elsewhere, 'strings.mjs')} is not in an allowed location; allowed \\(shoal\\.udf\\.allowed-locations\\): ${dir}$`, 'm'));
    const allowed = shoal(['run', 'far.sql', '--set', `shoal.udf.allowed-locations=${elsewhere}`], dir);
    assert.equal(allowed.status, 0, allowed.stderr);
  } finally {
    await rm(dir, { recursive: true, force: true });
    await rm(elsewhere, { recursive: true, force: true });
  }
});
