// TPC-H generator at SF 0.01: cardinalities, determinism, key integrity, the spec's value
// rules, and that all 22 benchmark queries run on the DuckDB reference.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTpch, type TpchManifest } from '../../bench/tpch/generate.js';
import { compareRows, DuckDBReference, runOnDuckDB } from '../../bench/tpch/reference.js';
import { isOrderedQuery, loadQuery, QUERY_NUMBERS } from '../../bench/tpch/queries.js';
import { betterBusinessBureau, scaleOf } from '../../bench/tpch/tables.js';

const SF = 0.01;
let root: string;
let whA: string;
let whB: string;
let manifest: TpchManifest;
let ref: DuckDBReference;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'shoal-tpch-'));
  whA = join(root, 'a');
  whB = join(root, 'b');
  manifest = await generateTpch({ sf: SF, warehouseDir: whA, force: true });
  await generateTpch({ sf: SF, warehouseDir: whB, force: true });
  ref = await DuckDBReference.open(whA);
});

after(async () => {
  ref?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

async function scalar(sql: string): Promise<unknown> {
  return (await ref.run(sql)).rows[0]![0];
}

/** Runs a query that counts violations of a rule and expects none. */
async function noViolations(what: string, sql: string): Promise<void> {
  assert.equal(await scalar(sql), 0, what);
}

const table = (name: string) => manifest.tables.find((t) => t.name === name)!;

test('table cardinalities follow the scale factor', async () => {
  const expected = { region: 5, nation: 25, supplier: 100, customer: 1500, part: 2000, partsupp: 8000, orders: 15000 };
  for (const [name, rows] of Object.entries(expected)) {
    assert.equal(table(name).rowCount, rows, `${name} in manifest`);
    assert.equal(await scalar(`select count(*) from ${name}`), rows, `${name} in files`);
  }
  // 1..7 lines per order, uniform: mean 4 per order, sd about 245 over 15000 orders.
  const lines = table('lineitem').rowCount;
  assert.ok(lines >= 57_000 && lines <= 63_000, `lineitem rows ${lines}`);
  assert.equal(await scalar('select count(*) from lineitem'), lines);
  assert.equal(table('lineitem_part').rowCount, lines);
  assert.equal(table('orders_part').rowCount, 15000);
});

test('two generations are identical', async () => {
  for (const t of manifest.tables.filter((x) => x.partitionColumns.length === 0)) {
    for (const f of t.files) {
      const [a, b] = await Promise.all([readFile(join(whA, f.key)), readFile(join(whB, f.key))]);
      assert.ok(a.equals(b), `${f.key} differs between runs`);
    }
  }
  for (const t of ['lineitem_part', 'orders_part']) {
    const other = `read_parquet('${join(whB, 'tpch.db', t, '*', '*.parquet')}', hive_partitioning = true, hive_types = {'${table(t).partitionColumns[0]!.name}': VARCHAR})`;
    await noViolations(`${t} rows`, `select count(*) from (select * from ${t} except all select * from ${other})`);
    await noViolations(`${t} rows`, `select count(*) from (select * from ${other} except all select * from ${t})`);
  }
});

test('a manifest for the same sf and version is reused', async () => {
  const again = await generateTpch({ sf: SF, warehouseDir: whA });
  assert.equal(again.generatedAt, manifest.generatedAt);
  const onDisk = JSON.parse(await readFile(join(whA, 'tpch.db', '_manifest.json'), 'utf8')) as TpchManifest;
  assert.deepEqual(onDisk, manifest);
});

test('manifest describes files, types and partitions', () => {
  const li = table('lineitem');
  assert.equal(li.location, 'tpch.db/lineitem');
  assert.deepEqual(li.files.map((f) => f.key), ['tpch.db/lineitem/part-00000.parquet']);
  assert.deepEqual(
    Object.fromEntries(li.columns.map((c) => [c.name, c.type])),
    {
      l_orderkey: 'bigint', l_partkey: 'int', l_suppkey: 'int', l_linenumber: 'int', l_quantity: 'decimal(15,2)',
      l_extendedprice: 'decimal(15,2)', l_discount: 'decimal(15,2)', l_tax: 'decimal(15,2)', l_returnflag: 'string',
      l_linestatus: 'string', l_shipdate: 'date', l_commitdate: 'date', l_receiptdate: 'date',
      l_shipinstruct: 'string', l_shipmode: 'string', l_comment: 'string',
    },
  );
  const lp = table('lineitem_part');
  assert.deepEqual(lp.partitionColumns, [{ name: 'l_shipmonth', type: 'string' }]);
  assert.deepEqual(lp.columns, li.columns);
  const parts = Object.entries(lp.partitions!);
  assert.ok(parts.length >= 80 && parts.length <= 84, `${parts.length} months`);
  for (const [path, p] of parts) {
    assert.match(path, /^l_shipmonth=\d{4}-\d{2}$/);
    assert.deepEqual(p.values, [path.slice('l_shipmonth='.length)]);
    assert.ok(p.files.every((f) => f.key.startsWith(`tpch.db/lineitem_part/${path}/part-`)));
  }
  assert.equal(parts.reduce((a, [, p]) => a + p.rows, 0), lp.rowCount);
  assert.ok(table('orders_part').partitions!['o_ordermonth=1992-01']);
  for (const t of manifest.tables) assert.equal(t.bytes, t.files.reduce((a, f) => a + f.size, 0), t.name);
});

test('partition columns live in the path, not in the files', async () => {
  const file = join(whA, table('lineitem_part').files[0]!.key);
  const names = (await ref.run(`select name from parquet_schema('${file}')`)).rows.map((r) => r[0]);
  assert.ok(!names.includes('l_shipmonth'));
  await noViolations('month matches shipdate', `select count(*) from lineitem_part where l_shipmonth <> strftime(l_shipdate, '%Y-%m')`);
  await noViolations('month matches orderdate', `select count(*) from orders_part where o_ordermonth <> strftime(o_orderdate, '%Y-%m')`);
});

test('keys join up', async () => {
  await noViolations('lineitem part/supplier pairs exist in partsupp',
    'select count(*) from lineitem anti join partsupp on l_partkey = ps_partkey and l_suppkey = ps_suppkey');
  await noViolations('customers with custkey % 3 = 0 never order', 'select count(*) from orders where o_custkey % 3 = 0');
  await noViolations('orders reference customers', 'select count(*) from orders anti join customer on o_custkey = c_custkey');
  await noViolations('lines reference orders', 'select count(*) from lineitem anti join orders on l_orderkey = o_orderkey');
  await noViolations('every order has lines', 'select count(*) from orders anti join lineitem on l_orderkey = o_orderkey');
  await noViolations('partsupp suppliers exist', 'select count(*) from partsupp anti join supplier on ps_suppkey = s_suppkey');
  await noViolations('four distinct suppliers per part',
    'select count(*) from (select ps_partkey from partsupp group by 1 having count(distinct ps_suppkey) <> 4)');
  await noViolations('nations and regions', 'select count(*) from nation anti join region on n_regionkey = r_regionkey');
  await noViolations('supplier nations', 'select count(*) from supplier anti join nation on s_nationkey = n_nationkey');
  await noViolations('customer nations', 'select count(*) from customer anti join nation on c_nationkey = n_nationkey');
  await noViolations('sparse orderkeys: first 8 of every 32', 'select count(*) from orders where (o_orderkey - 1) % 32 >= 8');
  await noViolations('line numbers run 1..n with n in 1..7',
    'select count(*) from (select l_orderkey from lineitem group by 1 having min(l_linenumber) <> 1 or max(l_linenumber) <> count(*) or count(*) > 7)');
  assert.equal(await scalar('select count(distinct o_orderkey) from orders'), 15000);
});

test('values follow the spec rules', async () => {
  await noViolations('quantity, discount, tax ranges', `select count(*) from lineitem where l_quantity not between 1 and 50
    or l_quantity <> floor(l_quantity) or l_discount not between 0 and 0.10 or l_tax not between 0 and 0.08`);
  await noViolations('order dates', `select count(*) from orders where o_orderdate not between date '1992-01-01' and date '1998-08-02'`);
  await noViolations('line dates', `select count(*) from lineitem join orders on l_orderkey = o_orderkey
    where l_shipdate - o_orderdate not between 1 and 121 or l_commitdate - o_orderdate not between 30 and 90
       or l_receiptdate - l_shipdate not between 1 and 30`);
  await noViolations('returnflag', `select count(*) from lineitem where
    (l_receiptdate <= date '1995-06-17' and l_returnflag not in ('R', 'A')) or (l_receiptdate > date '1995-06-17' and l_returnflag <> 'N')`);
  await noViolations('linestatus', `select count(*) from lineitem
    where l_linestatus <> case when l_shipdate > date '1995-06-17' then 'O' else 'F' end`);
  await noViolations('orderstatus', `select count(*) from orders join (
      select l_orderkey, case when bool_and(l_linestatus = 'F') then 'F' when bool_and(l_linestatus = 'O') then 'O' else 'P' end s
      from lineitem group by 1) on l_orderkey = o_orderkey where s <> o_orderstatus`);
  await noViolations('retail price formula', `select count(*) from part
    where p_retailprice * 100 <> 90000 + (p_partkey // 10) % 20001 + 100 * (p_partkey % 1000)`);
  await noViolations('extended price', 'select count(*) from lineitem join part on l_partkey = p_partkey where l_extendedprice <> l_quantity * p_retailprice');
  await noViolations('total price', `select count(*) from orders join (
      select l_orderkey, sum(round(l_extendedprice * (1 + l_tax) * (1 - l_discount), 2)) t from lineitem group by 1
    ) on l_orderkey = o_orderkey where t <> o_totalprice`);
  await noViolations('phones', `select count(*) from customer where not regexp_full_match(c_phone, '\\d{2}-\\d{3}-\\d{3}-\\d{4}')
    or cast(substring(c_phone, 1, 2) as int) <> c_nationkey + 10`);
  await noViolations('balances', 'select count(*) from supplier where s_acctbal not between -999.99 and 9999.99');
  await noViolations('comment lengths', `select
      (select count(*) from lineitem where length(l_comment) not between 10 and 43)
    + (select count(*) from orders where length(o_comment) not between 19 and 78)
    + (select count(*) from partsupp where length(ps_comment) not between 49 and 198)
    + (select count(*) from customer where length(c_comment) not between 29 and 116)`);
  await noViolations('part names are five distinct colours',
    `select count(*) from part where len(list_distinct(string_split(p_name, ' '))) <> 5`);
  await noViolations('brand follows manufacturer', `select count(*) from part where substring(p_brand, 7, 1) <> substring(p_mfgr, 14, 1)`);
  assert.equal(await scalar('select count(distinct p_type) from part'), 150);
  assert.equal(await scalar('select count(distinct p_container) from part'), 40);
  const flags = (await ref.run('select l_returnflag, l_linestatus, count(*) from lineitem group by all order by all')).rows;
  assert.deepEqual(flags.map((r) => `${r[0]}${r[1]}`), ['AF', 'NF', 'NO', 'RF']);
  const special = Number(await scalar(`select avg(case when o_comment like '%special%requests%' then 1 else 0 end) from orders`));
  assert.ok(special > 0.002 && special < 0.05, `Q13's words appear in ${special} of order comments`);
});

test('SF*5 suppliers each complain and recommend', () => {
  const marks = [...betterBusinessBureau(scaleOf(1)).values()];
  assert.equal(marks.filter((m) => m === 'Complaints').length, 5);
  assert.equal(marks.filter((m) => m === 'Recommends').length, 5);
});

test('all 22 queries run on DuckDB and return rows', async () => {
  // At SF 0.01 every query returns rows with this generator; none is legitimately empty.
  for (const n of QUERY_NUMBERS) {
    const text = await loadQuery(n, 'duckdb');
    const { rows } = await ref.run(text);
    assert.ok(rows.length > 0, `q${n} returned no rows`);
    if (!isOrderedQuery(text)) assert.equal(rows.length, 1, `q${n} is a single-row aggregate`);
  }
  const q1 = await runOnDuckDB(whA, await loadQuery(1));
  assert.deepEqual(q1.columns.slice(0, 3), ['l_returnflag', 'l_linestatus', 'sum_qty']);
  assert.deepEqual(q1.rows.map((r) => `${r[0]}${r[1]}`), ['AF', 'NF', 'NO', 'RF']);
  const q3 = await ref.run(await loadQuery(3));
  assert.match(String(q3.rows[0]![2]), /^\d{4}-\d{2}-\d{2}$/, 'dates come back as YYYY-MM-DD');
});

test('compareRows applies tolerance and reports the first difference', () => {
  const expected = [['A', 1.0, 10], ['B', 2.5, 20]];
  assert.deepEqual(compareRows([['A', 1.0000001, 10n], ['B', '2.50', 20]], expected, { ordered: true }), { ok: true });
  assert.deepEqual(compareRows([['B', 2.5, 20], ['A', 1, 10]], expected), { ok: true });
  const bad = compareRows([['A', 1, 10], ['B', 2.6, 20]], expected, { ordered: true });
  assert.equal(bad.ok, false);
  assert.ok(!bad.ok && bad.row === 1 && bad.column === 1, JSON.stringify(bad));
  assert.ok(compareRows([['B', 2.6, 20]], expected, { ordered: true, relTol: 0.05 }).ok === false);
  assert.ok(compareRows([['A', 1.009, 10], ['B', 2.51, 20]], expected, { relTol: 1e-2 }).ok);
  const short = compareRows([['A', 1, 10]], expected, { ordered: true });
  assert.ok(!short.ok && short.message.startsWith('1 rows, expected 2'));
  assert.equal(compareRows([['A', null, 10]], [['A', 0, 10]]).ok, false);
  assert.equal(compareRows([['13']], [['13.0']]).ok, false, 'strings compare as text');
});
