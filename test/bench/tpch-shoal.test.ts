// The 22 TPC-H queries at SF 0.01 on Shoal (the local runner, the real state machine)
// give the rows DuckDB gives for the same text over the same Parquet files.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTpch, type TpchManifest } from '../../bench/tpch/generate.js';
import { compareRows, DuckDBReference } from '../../bench/tpch/reference.js';
import { isOrderedQuery, loadQuery, QUERY_NUMBERS } from '../../bench/tpch/queries.js';
import { registerTpch } from '../../bench/tpch/register.js';
import { runScript } from '../../lib/local/runner.js';
import { WorkerPool } from '../../lib/local/pool.js';
import { Catalog } from '../../lib/catalog/catalog.js';
import { openStore } from '../../lib/store/open-store.js';

describe('TPC-H SF 0.01 on Shoal', () => {
  let root: string;
  let manifest: TpchManifest;
  let ref: DuckDBReference;
  let pool: WorkerPool;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'shoal-tpch-run-'));
    manifest = await generateTpch({ sf: 0.01, warehouseDir: root, force: true });
    await registerTpch(manifest, root);
    ref = await DuckDBReference.open(root);
    pool = new WorkerPool(2, 1);
  });
  after(async () => {
    ref?.close();
    await pool?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  test('registerTpch puts every table of the manifest in the catalog with its files', async () => {
    const s = await new Catalog(openStore(root)).load();
    const db = s.databases['tpch']!;
    assert.deepEqual(Object.keys(db.tables).sort(), manifest.tables.map((t) => t.name).sort());
    const lp = db.tables['lineitem_part']!;
    assert.deepEqual(lp.partitionColumns.map((c) => c.name), ['l_shipmonth']);
    assert.equal(Object.values(lp.partitions).reduce((n, p) => n + p.stats.rows, 0), manifest.tables.find((t) => t.name === 'lineitem_part')!.rowCount);
    assert.equal(db.tables['lineitem']!.stats?.rows, manifest.tables.find((t) => t.name === 'lineitem')!.rowCount);
  });

  for (const n of QUERY_NUMBERS) {
    test(`q${n} matches DuckDB`, async () => {
      const text = await loadQuery(n);
      const r = await runScript(`USE tpch;\n${text}`, { warehouse: root, pool });
      // TPC-H results are flat: no arrays or structs to compare.
      const rows = r.results[r.results.length - 1]!.rows.map((row) => row.map((v) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : v)));
      const expected = await ref.run(await loadQuery(n, 'duckdb'));
      assert.ok(expected.rows.length > 0);
      // Hive's avg over DECIMAL(15,2) is DECIMAL(19,6): rounded to 6 places where DuckDB keeps a double.
      const c = compareRows(rows, expected.rows, { ordered: isOrderedQuery(text), absTol: 1e-6, columns: expected.columns });
      assert.ok(c.ok, c.ok ? '' : c.message);
    });
  }
});
