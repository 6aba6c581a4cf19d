// shoal shadow: a partitioned job runs into the shadow database, production is left
// byte-for-byte as it was, and the shadow output is compared with production.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Catalog } from '../../lib/catalog/catalog.js';
import { runShadow } from '../../lib/compare/shadow.js';
import { startShoal, type Shoal } from '../support/engines.js';

let shoal: Shoal;
const JOB = `CREATE TABLE IF NOT EXISTS daily (item STRING, total BIGINT) PARTITIONED BY (ds STRING) STORED AS PARQUET;
INSERT OVERWRITE TABLE daily PARTITION (ds='\${ds}') SELECT item, sum(qty) FROM sales WHERE ds = '\${ds}' GROUP BY item;
CREATE TABLE top_item AS SELECT item FROM daily WHERE ds = '\${ds}' ORDER BY item LIMIT 1;
`;

before(async () => {
  shoal = await startShoal({ store: 'local' });
  await shoal.run(`CREATE TABLE sales (item STRING, qty BIGINT) PARTITIONED BY (ds STRING) STORED AS PARQUET;
INSERT INTO sales PARTITION (ds) VALUES ('a', 1, 'd1'), ('b', 2, 'd1'), ('a', 3, 'd1'), ('a', 5, 'd2'), ('c', 7, 'd2');`);
  // the production runs of the job, for two days
  await shoal.run(JOB, { vars: { ds: 'd1' } });
  await shoal.run(JOB.replace(/CREATE TABLE top_item.*\n/, ''), { vars: { ds: 'd2' } });
});
after(() => shoal.close());

async function snapshot(): Promise<{ tables: string; files: Record<string, string> }> {
  const state = await new Catalog(shoal.store).load();
  const files: Record<string, string> = {};
  for (const t of Object.values(state.databases['default']!.tables)) {
    const dir = await shoal.localDir(t.location);
    for (const f of await readdir(dir, { recursive: true, withFileTypes: true })) {
      if (f.isFile()) files[join(f.parentPath, f.name)] = createHash('sha256').update(await readFile(join(f.parentPath, f.name))).digest('hex');
    }
  }
  return { tables: JSON.stringify(state.databases['default']), files };
}

test('a shadow run of a partitioned job matches production on the partition it wrote and leaves production untouched', async () => {
  const prod = await snapshot();
  assert.ok(Object.keys(prod.files).length >= 3);
  const r = await runShadow(JOB, { warehouse: shoal.warehouse, shadowDb: 'shadow', vars: { ds: 'd1' }, workers: 1 });
  assert.deepEqual(await snapshot(), prod);
  const daily = r.reports.find((x) => x.tableA === 'shadow.daily')!;
  assert.equal(daily.tableB, 'default.daily');
  assert.equal(daily.match, true, JSON.stringify(daily.differences));
  // only the partition the job wrote is compared, though production has d2 as well
  assert.deepEqual(daily.partitions.matching, ['ds=d1']);
  assert.equal(r.reports.find((x) => x.tableA === 'shadow.top_item')!.match, true);
  // the shadow holds the job's output: the same rows as production's partition
  assert.deepEqual(await shoal.query(`SELECT item, total FROM shadow.daily WHERE ds = 'd1' ORDER BY item`),
    await shoal.query(`SELECT item, total FROM daily WHERE ds = 'd1' ORDER BY item`));
});

test('a changed job shows its difference in the shadow comparison, production stays as it was', async () => {
  const prod = await snapshot();
  const changed = JOB.replace('sum(qty)', 'sum(qty) + if(item = \'b\', 1, 0)');
  const r1 = await runShadow(changed, { warehouse: shoal.warehouse, shadowDb: 'shadow2', vars: { ds: 'd1' }, key: ['item'], workers: 1 });
  const d1 = r1.reports.find((x) => x.tableA === 'shadow2.daily')!;
  assert.deepEqual(d1.partitions.differing, ['ds=d1']);
  assert.deepEqual(d1.differences.map((d) => [d.column, d.stat, d.a, d.b]), [['total', 'sum', 7, 6], ['total', 'min', 3, 2], ['total', 'max', 4, 4], ['total', 'hash', 7, 6]].filter((x) => x[2] !== x[3]));
  assert.deepEqual(d1.sampleRows!['ds=d1']!.rows.map((row) => row.slice(1)), [['b', 'b', 3, 2]]);
  assert.deepEqual(await snapshot(), prod);
});
