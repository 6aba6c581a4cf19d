// User-function modules from s3:// on the test S3 server: read through the store layer
// (SHOAL_AWS_ENDPOINT), only under the allowed prefixes, uploaded to a warehouse that is
// itself on S3, and run there by the local runner (rows checked against DuckDB).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyCatalog } from '../../lib/catalog/model.js';
import { formatError } from '../../lib/common/errors.js';
import { planJob } from '../../lib/planner/plan-job.js';
import { openStore } from '../../lib/store/open-store.js';
import { blobKey } from '../../lib/udf/model.js';
import { moduleHash } from '../../lib/udf/module.js';
import { normRows, startDuckDB, startShoal, type Shoal } from '../support/engines.js';

const MODULE = `export const meta = { args: ['string'], returns: 'string', nullOnNullInput: true };
export function shout(s) { return s.toUpperCase() + '!'; }
`;

let bucket: string;
let shoal: Shoal;
let dir: string;

before(async () => {
  // startShoal on 's3' starts its own server and points SHOAL_AWS_ENDPOINT at it (until close); the module lives in that bucket
  shoal = await startShoal({ store: 's3' });
  bucket = /^s3:\/\/([^/]+)\//.exec(shoal.warehouse)![1]!;
  await openStore(`s3://${bucket}/team/udfs`).put('strings.mjs', MODULE);
  dir = await mkdtemp(join(tmpdir(), 'shoal-udf-s3-'));
});

after(async () => {
  await shoal.close();
  await rm(dir, { recursive: true, force: true });
});

const allowed = () => ({ 'shoal.udf.allowed-locations': `s3://${bucket}/team/udfs` });
const plan = (sql: string, settings: Record<string, string> = allowed()) =>
  planJob(sql, { file: join(dir, 'job.sql'), catalog: emptyCatalog(), store: shoal.store, settings });

test('a module at an allowed s3:// prefix is read through the store layer and uploaded content-addressed into the S3 warehouse', async () => {
  const p = await plan(`CREATE FUNCTION shout AS 'shout' USING JAR 's3://${bucket}/team/udfs/strings.mjs'`);
  const st = p.statements[0]!;
  assert.ok(st.kind === 'ddl' && st.action.kind === 'createFunction');
  const hash = moduleHash(new TextEncoder().encode(MODULE));
  assert.deepEqual([st.action.fn.location, st.action.fn.hash], [`s3://${bucket}/team/udfs/strings.mjs`, hash]);
  assert.equal(new TextDecoder().decode(await shoal.store.get(blobKey(hash))), MODULE);
});

test('s3:// modules outside the allowed prefixes, at a look-alike prefix or missing are refused with the URI and the reason', async () => {
  const create = (uri: string) => `CREATE TEMPORARY FUNCTION shout AS 'shout' USING FILE '${uri}'`;
  const refused = async (sql: string, expected: RegExp, settings?: Record<string, string>) =>
    assert.rejects(plan(sql, settings), (e: unknown) => { assert.match(formatError(e), expected); return true; });
  await refused(create(`s3://${bucket}/team/udfs2/strings.mjs`), /:1:55: module s3:\/\/.*\/team\/udfs2\/strings\.mjs is not in an allowed location; allowed \(shoal\.udf\.allowed-locations\): s3:\/\/.*\/team\/udfs$/);
  await refused(create(`s3://${bucket}/team/udfs/strings.mjs`), /is not in an allowed location/, {});
  await refused(create(`s3://${bucket}/team/udfs/missing.mjs`), /:1:55: module s3:\/\/.*\/team\/udfs\/missing\.mjs cannot be read: /);
});

test('the local runner with the warehouse on S3 runs a function loaded from s3://, rows equal to the same logic in DuckDB', async () => {
  const uri = `s3://${bucket}/team/udfs/strings.mjs`;
  const r = await shoal.run(`CREATE TEMPORARY FUNCTION shout AS 'shout' USING FILE '${uri}';
    SELECT k, shout(v) FROM (SELECT 1 AS k, 'abc' AS v UNION ALL SELECT 2, NULL UNION ALL SELECT 3, 'Hé') t`, { settings: allowed(), file: join(dir, 'job.sql') });
  const duck = await startDuckDB();
  const expected = await duck.query("SELECT k, upper(v) || '!' FROM (VALUES (1, 'abc'), (2, NULL), (3, 'Hé')) t(k, v)");
  assert.deepEqual(normRows(r.results[0]!.rows, false), normRows(expected, false));
});
