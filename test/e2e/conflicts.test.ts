// Two jobs running at once against one warehouse (each with its own workers, as two
// Step Functions executions would be): writing the same partition, one commits and the
// other fails with a conflict and changes nothing; run again, it commits. Jobs writing
// different partitions of one table both commit.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Catalog } from '../../lib/catalog/catalog.js';
import { filesOf } from '../../lib/catalog/ddl.js';
import { WorkerPool } from '../../lib/local/pool.js';
import { runScript } from '../../lib/local/runner.js';
import { commitStatement } from '../../lib/runtime/commit.js';
import { LocalStore } from '../../lib/store/local-store.js';
import { FIXTURES, normRows, startDuckDB, type Reference } from '../support/engines.js';
import { filesUnder, snapshot } from '../support/warehouse.js';

const kv1 = join(FIXTURES, 'hive', 'kv1.txt');
const job = (ds: string, tag: string) => `INSERT OVERWRITE TABLE c PARTITION (ds='${ds}') SELECT key, '${tag}' FROM src GROUP BY key`;

describe('concurrent commits', () => {
  let wh: string;
  let pools: WorkerPool[];
  let ref: Reference;
  const run = (sql: string, i = 0, keepJobFiles = false) => runScript(sql, { warehouse: wh, pool: pools[i]!, keepJobFiles });
  const rowsOf = async (sql: string) => (await run(sql)).results.at(-1)!.rows.map((x) => [...x]);

  before(async () => {
    wh = await mkdtemp(join(tmpdir(), 'shoal-conflicts-'));
    pools = [new WorkerPool(1, 1), new WorkerPool(1, 1)];
    ref = await startDuckDB();
    await ref.exec(`CREATE TABLE src AS SELECT TRY_CAST(a AS INTEGER) AS key FROM read_csv('${kv1}', delim='\u0001', header=false, quote='', escape='', columns={'a':'VARCHAR','b':'VARCHAR'}, auto_detect=false)`);
    await run(`CREATE TABLE src (key INT, value STRING); LOAD DATA LOCAL INPATH '${kv1}' INTO TABLE src;
      CREATE TABLE c (key INT, tag STRING) PARTITIONED BY (ds STRING) STORED AS PARQUET;`);
    // Both pools warm (DuckDB opened), so that neither job finishes before the other has begun.
    await run('SELECT count(*) FROM src', 1);
  });
  after(async () => {
    await Promise.all((pools ?? []).map((p) => p.close()));
    if (wh) await rm(wh, { recursive: true, force: true });
  });

  test('two jobs overwriting the same partition at once: one commits, the other fails with a conflict and changes nothing; its retry commits', async () => {
    const results = await Promise.allSettled([run(job('x', 'a'), 0), run(job('x', 'b'), 1)]);
    const won = results.findIndex((r) => r.status === 'fulfilled');
    const lost = results.findIndex((r) => r.status === 'rejected');
    assert.ok(won >= 0 && lost >= 0, `one job wins, one loses: ${results.map((r) => r.status).join(', ')}`);
    assert.match(String((results[lost] as PromiseRejectedResult).reason.message), /conflict: partition ds=x of table 'default\.c' was written by another job while this one ran; nothing was committed; run the job again/);
    const winner = ['a', 'b'][won]!;
    const loser = ['a', 'b'][lost]!;
    const expect = async (tag: string) => normRows(await ref.query(`SELECT DISTINCT key, '${tag}', 'x' FROM src`), false);
    assert.deepEqual(normRows(await rowsOf('SELECT key, tag, ds FROM c'), false), await expect(winner));
    const t = (await new Catalog(new LocalStore(wh)).load()).databases.default!.tables.c!;
    assert.deepEqual((await filesUnder(wh, 'c/')).sort(), filesOf(t).sort(), 'the loser left no file in the table');
    await run(job('x', loser));
    assert.deepEqual(normRows(await rowsOf('SELECT key, tag, ds FROM c'), false), await expect(loser));
  });

  test('two jobs writing different partitions of one table at once both commit', async () => {
    const results = await Promise.allSettled([run(job('y', 'a'), 0), run(job('z', 'b'), 1)]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'fulfilled']);
    const want = await ref.query(`SELECT DISTINCT key, 'a', 'y' FROM src UNION ALL SELECT DISTINCT key, 'b', 'z' FROM src`);
    assert.deepEqual(normRows(await rowsOf(`SELECT key, tag, ds FROM c WHERE ds <> 'x'`), false), normRows(want, false));
  });

  test('a commit retried after its catalog write landed recognises its own change and changes nothing more', async () => {
    const r = await run(job('w', 'a'), 0, true);
    const before = await snapshot(wh);
    const version = (await new Catalog(new LocalStore(wh)).load()).version;
    await commitStatement({ queryId: r.queryId, warehouse: wh, statement: 0 });
    assert.equal((await new Catalog(new LocalStore(wh)).load()).version, version);
    assert.deepEqual(await snapshot(wh), before);
  });
});
