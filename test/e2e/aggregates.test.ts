// Aggregate functions: Shoal's rows equal DuckDB's for the same question, with Hive's
// semantics spelled out in the DuckDB query where the two engines differ. The table `ev`
// holds the generated events in four files and every query runs with four scan tasks
// and eight shuffle partitions, so partial states really cross the shuffle.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Value } from '../../lib/local/results.js';
import { normRows, type Reference, type Shoal } from '../support/engines.js';
import { startLoaded } from './setup.js';

const MULTI_TASK = { 'shoal.adaptive.min-parallelism': '4', 'shoal.shuffle.partitions': '8' };

interface Case {
  readonly name: string;
  readonly sql: string;
  /** the same question for DuckDB, where its SQL or semantics differ from Hive's */
  readonly duck?: string;
}

/** Hive's percentile_approx over exact (value, count) bins, written with window functions. */
const approxRef = (value: string, group: string, q: number) => `
  WITH v AS (SELECT ${group} AS g, CAST(${value} AS DOUBLE) AS x FROM ev),
  groups AS (SELECT DISTINCT g FROM v),
  bins AS (SELECT g, x, count(*) AS y FROM v WHERE x IS NOT NULL GROUP BY g, x),
  c AS (SELECT g, x, y, sum(y) OVER (PARTITION BY g ORDER BY x) AS csum, sum(y) OVER (PARTITION BY g) AS total,
               lag(x) OVER (PARTITION BY g ORDER BY x) AS px FROM bins),
  pick AS (SELECT g, arg_min({'x': x, 'y': y, 'csum': csum, 'total': total, 'px': px}, x) AS b FROM c WHERE CAST(csum AS DOUBLE) / total >= ${q} GROUP BY g)
  SELECT groups.g, CASE WHEN b.px IS NULL THEN b.x ELSE b.px + (${q} * b.total - (b.csum - b.y)) * (b.x - b.px) / b.y END
  FROM groups LEFT JOIN pick ON groups.g IS NOT DISTINCT FROM pick.g`;

/** Hive's variance family: NULL over no rows, 0 over one row (also for the sample variants). */
const hiveVar = (fn: string, x: string) => `CASE WHEN count(${x}) = 1 THEN 0 ELSE ${fn}(${x}) END`;

const CASES: readonly Case[] = [
  { name: 'count(*), count(col) skipping NULLs and count(DISTINCT col) over the whole table', sql: 'SELECT count(*), count(user_id), count(DISTINCT user_id), count(DISTINCT kind) FROM ev' },
  { name: 'count(DISTINCT a, b) counts distinct tuples without a NULL (Hive), grouped', sql: 'SELECT kind, count(DISTINCT user_id, score) FROM ev GROUP BY kind',
    duck: 'SELECT kind, count(DISTINCT (user_id, score)) FILTER (WHERE user_id IS NOT NULL AND score IS NOT NULL) FROM ev GROUP BY kind' },
  { name: 'count(DISTINCT) beside count/sum/avg/min/max of other columns', sql: 'SELECT kind, count(DISTINCT user_id), count(*), count(amount), sum(amount), avg(score), min(id), max(amount) FROM ev GROUP BY kind' },
  { name: 'several DISTINCT argument lists with other aggregates, grouped (NULL group keys stay one group)', sql: 'SELECT kind, count(DISTINCT user_id), count(DISTINCT score), sum(DISTINCT id % 7), count(*), var_pop(amount), max(kind) FROM ev GROUP BY kind' },
  { name: 'several DISTINCT argument lists over the whole table', sql: 'SELECT count(DISTINCT user_id), count(DISTINCT kind), avg(amount), count(DISTINCT user_id, kind) FROM ev',
    duck: 'SELECT count(DISTINCT user_id), count(DISTINCT kind), avg(amount), count(DISTINCT (user_id, kind)) FILTER (WHERE user_id IS NOT NULL AND kind IS NOT NULL) FROM ev' },
  { name: 'sum(DISTINCT) and avg(DISTINCT) add each value once', sql: 'SELECT user_id % 5, sum(DISTINCT id % 50), avg(DISTINCT id % 50), count(DISTINCT id % 50) FROM ev GROUP BY user_id % 5' },
  { name: 'sum of INT is BIGINT, avg is DOUBLE, sum/avg of DECIMAL stay exact', sql: 'SELECT user_id, sum(id), avg(id), sum(score), avg(score) FROM ev GROUP BY user_id' },
  { name: 'min and max of strings and numbers ignore NULLs', sql: 'SELECT user_id % 7, min(kind), max(kind), min(amount), max(score) FROM ev GROUP BY user_id % 7' },
  { name: 'the population and sample variance family, 0 for a single row as in Hive', sql: 'SELECT user_id, stddev(amount), std(amount), stddev_pop(amount), stddev_samp(amount), variance(amount), var_pop(amount), var_samp(amount) FROM ev GROUP BY user_id',
    duck: `SELECT user_id, ${hiveVar('stddev_pop', 'amount')}, ${hiveVar('stddev_pop', 'amount')}, ${hiveVar('stddev_pop', 'amount')}, ${hiveVar('stddev_samp', 'amount')}, ${hiveVar('var_pop', 'amount')}, ${hiveVar('var_pop', 'amount')}, ${hiveVar('var_samp', 'amount')} FROM ev GROUP BY user_id` },
  { name: 'variance keeps its precision when the mean is large against the spread (merged states, not sums of squares)', sql: 'SELECT kind, var_pop(amount + 1000000000), stddev_samp(id + 1000000000) FROM ev GROUP BY kind',
    duck: 'SELECT kind, var_pop(amount + 1000000000), stddev_samp(id + 1000000000) FROM ev GROUP BY kind' },
  { name: 'covar_pop, covar_samp and corr skip pairs with a NULL; corr of fewer than two pairs is NULL (Hive)', sql: 'SELECT user_id % 13, covar_pop(amount, id), covar_samp(amount, score), corr(amount, id) FROM ev GROUP BY user_id % 13',
    duck: `SELECT user_id % 13, covar_pop(amount, id), covar_samp(amount, score),
      CASE WHEN count(*) FILTER (WHERE amount IS NOT NULL AND id IS NOT NULL) < 2 THEN NULL ELSE corr(amount, id) END FROM ev GROUP BY user_id % 13` },
  { name: 'corr per user: groups with one pair give NULL', sql: 'SELECT user_id, corr(amount, id) FROM ev WHERE id < 400 GROUP BY user_id',
    duck: 'SELECT user_id, CASE WHEN count(*) FILTER (WHERE amount IS NOT NULL AND id IS NOT NULL) < 2 THEN NULL ELSE corr(amount, id) END FROM ev WHERE id < 400 GROUP BY user_id' },
  { name: 'percentile is exact, interpolating at (n-1)p, for one p and for an array of them', sql: 'SELECT kind, percentile(user_id, 0.5), percentile(id, array(0, 0.25, 0.9, 1)) FROM ev GROUP BY kind',
    duck: 'SELECT kind, quantile_cont(user_id, 0.5), quantile_cont(id, [0, 0.25, 0.9, 1]) FROM ev GROUP BY kind' },
  { name: 'percentile over the whole table', sql: 'SELECT percentile(id, 0.37), percentile(CAST(amount AS BIGINT), 0.5) FROM ev',
    duck: 'SELECT quantile_cont(id, 0.37), quantile_cont(CAST(trunc(amount) AS BIGINT), 0.5) FROM ev' },
  { name: "percentile_approx reads Hive's histogram quantile off the (value, count) bins", sql: 'SELECT kind, percentile_approx(amount, 0.5) FROM ev GROUP BY kind', duck: approxRef('amount', 'kind', 0.5) },
  { name: 'percentile_approx of an integer column with an accuracy argument', sql: 'SELECT user_id % 3, percentile_approx(id, 0.3, 10000) FROM ev GROUP BY user_id % 3', duck: approxRef('id', 'user_id % 3', 0.3) },
  { name: 'percentile_approx with an array of percentiles returns an array', sql: 'SELECT percentile_approx(user_id, array(0.25, 0.75))[1] FROM ev', duck: `SELECT x FROM (${approxRef('user_id', '1', 0.75)}) t(g, x)` },
  { name: 'aggregates over no rows: count 0, sum NULL, collect_list [], variance and percentile NULL', sql: 'SELECT count(*), count(id), sum(id), avg(id), max(kind), collect_list(kind), var_pop(amount), percentile(id, 0.5), corr(id, amount) FROM ev WHERE id < 0',
    duck: 'SELECT 0::BIGINT, 0::BIGINT, NULL::BIGINT, NULL::DOUBLE, NULL::VARCHAR, []::VARCHAR[], NULL::DOUBLE, NULL::DOUBLE, NULL::DOUBLE' },
  { name: 'collect_list keeps duplicates and skips NULLs; collect_set keeps each value once', sql: 'SELECT user_id % 10, collect_list(kind), collect_set(kind), collect_set(user_id) FROM ev WHERE id < 600 GROUP BY user_id % 10',
    duck: `SELECT user_id % 10, list(kind) FILTER (WHERE kind IS NOT NULL), coalesce(list(DISTINCT kind) FILTER (WHERE kind IS NOT NULL), []), coalesce(list(DISTINCT user_id) FILTER (WHERE user_id IS NOT NULL), []) FROM ev WHERE id < 600 GROUP BY user_id % 10` },
  { name: 'max(struct) picks the row with the largest first field (the arg-max trick)', sql: 'SELECT g, max(s), max(s).b FROM st GROUP BY g', duck: 'SELECT g, max(s), max(s).b FROM st GROUP BY g' },
  { name: 'aggregates in HAVING and ORDER BY use the merged states', sql: 'SELECT kind, stddev_pop(amount) AS sd FROM ev GROUP BY kind HAVING count(DISTINCT user_id) > 10 AND percentile(id, 0.5) > 100 ORDER BY sd',
    duck: 'SELECT kind, stddev_pop(amount) AS sd FROM ev GROUP BY kind HAVING count(DISTINCT user_id) > 10 AND quantile_cont(id, 0.5) > 100 ORDER BY sd' },
];

/**
 * Rows compared as a multiset, numbers within a relative 1e-9: the two engines add
 * floating-point numbers in different orders (per task, then merged).
 */
function assertSameRows(got: Value[][], want: Value[][], message?: string): void {
  const key = (r: readonly Value[]) => JSON.stringify(r.map((v) => (typeof v === 'number' ? Number(v.toPrecision(5)) : v)));
  const g = sortLists(got).sort((a, b) => key(a).localeCompare(key(b)));
  const w = sortLists(want).sort((a, b) => key(a).localeCompare(key(b)));
  const close = (a: Value, b: Value): boolean => {
    if (typeof a === 'number' && typeof b === 'number') return a === b || (Number.isNaN(a) && Number.isNaN(b)) || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
    if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => close(x, b[i]!));
    return JSON.stringify(a) === JSON.stringify(b);
  };
  const same = g.length === w.length && g.every((r, i) => r.length === w[i]!.length && r.every((v, j) => close(v, w[i]![j]!)));
  if (!same) assert.deepEqual(normRows(g, true), normRows(w, true), message);
}

/** Lists compared as multisets: collect_list/collect_set promise no order (in Hive neither). */
function sortLists(rows: Value[][]): Value[][] {
  return rows.map((r) => r.map((v) => (Array.isArray(v) ? [...v].sort((a, b) => String(a).localeCompare(String(b))) : v)));
}

describe('aggregates end to end: Shoal against DuckDB', () => {
  let shoal: Shoal;
  let ref: Reference;
  let genDir: string;
  let close: () => Promise<void> = async () => undefined;
  before(async () => {
    ({ shoal, ref, genDir, close } = await startLoaded());
    // ev: the events in four files, so four tasks run the partial aggregation.
    await ref.exec(`CREATE TABLE ev AS SELECT * FROM events`);
    await ref.exec(`CREATE TABLE st AS SELECT id % 7 AS g, {'a': (id * 37) % 101, 'b': 'v' || id} AS s FROM events WHERE id < 500`);
    const structFile = join(genDir, 'st.parquet');
    await ref.exec(`COPY (SELECT g, s FROM st) TO '${structFile}' (FORMAT parquet)`);
    await shoal.run(`CREATE TABLE ev (id INT, user_id INT, kind STRING, amount DOUBLE, score DECIMAL(10,2)) STORED AS PARQUET;
      ${[0, 1, 2, 3].map((i) => `INSERT INTO TABLE ev SELECT * FROM events WHERE id % 4 = ${i};`).join('\n')}
      CREATE TABLE st (g INT, s STRUCT<a:INT, b:STRING>) STORED AS PARQUET;
      LOAD DATA LOCAL INPATH '${structFile}' INTO TABLE st;`);
  });
  after(() => close());

  for (const c of CASES) {
    test(c.name, async () => {
      const got = await shoal.query(c.sql, MULTI_TASK);
      const want = await ref.query(c.duck ?? c.sql);
      assertSameRows(got, want);
    });
  }

  test('the same aggregates computed whole (two-phase off) give the same rows', async () => {
    const off = { ...MULTI_TASK, 'shoal.aggregate.two-phase': 'false' };
    for (const c of CASES.filter((x) => /variance|corr per user|percentile_approx reads|collect_list keeps|DISTINCT\) beside/.test(x.name))) {
      const got = await shoal.query(c.sql, off);
      const want = await ref.query(c.duck ?? c.sql);
      assertSameRows(got, want, c.name);
    }
  });

  test('every aggregate splits into a partial stage and a final stage after a hash shuffle', async () => {
    const r = await shoal.run(`SELECT kind, count(DISTINCT user_id), var_samp(amount), corr(id, amount), percentile(id, 0.5), percentile_approx(amount, 0.5), collect_set(kind) FROM ev GROUP BY kind`, { settings: MULTI_TASK });
    const st = r.plan.statements[0]!;
    assert.ok(st.kind === 'dataflow');
    const partial = st.stages.filter((s) => JSON.stringify(s.fragment).includes('"phase":"partial"'));
    const final = st.stages.filter((s) => JSON.stringify(s.fragment).includes('"phase":"final"'));
    assert.ok(partial.length >= 2 && final.length >= 2, 'the DISTINCT step and the aggregate step each split');
    for (const s of partial) assert.equal(s.output.kind, 'hash');
    assert.ok(!st.stages.some((s) => JSON.stringify(s.fragment).includes('"phase":"single"')));
  });

  test('several DISTINCT argument lists leave no aggregation whole', async () => {
    const r = await shoal.run(`SELECT count(DISTINCT user_id), count(DISTINCT kind), sum(amount) FROM ev`, { settings: MULTI_TASK });
    const st = r.plan.statements[0]!;
    assert.ok(st.kind === 'dataflow');
    assert.ok(!st.stages.some((s) => JSON.stringify(s.fragment).includes('"phase":"single"')));
  });

  test('a global count(DISTINCT) is hashed on the distinct value, not gathered into one task', async () => {
    const r = await shoal.run('EXPLAIN SELECT count(DISTINCT user_id) FROM ev', { settings: MULTI_TASK });
    const text = r.results[0]!.rows.map((x) => x[0]).join('\n');
    assert.match(text, /Stage 1 => hash\(#\w+\) into 8 partitions/);
  });

  test('percentile rejects a DOUBLE column and a percentile outside [0, 1] (as Hive)', async () => {
    await assert.rejects(shoal.query('SELECT percentile(amount, 0.5) FROM ev'), /percentile\(\) works on integer columns only/);
    await assert.rejects(shoal.query('SELECT percentile(id, 1.5) FROM ev'), /between 0 and 1/);
    await assert.rejects(shoal.query('SELECT percentile(id, id / 10) FROM ev'), /constant number/);
    await assert.rejects(shoal.query('SELECT stddev(kind, id) FROM ev'), /stddev\(\) takes 1 argument/);
  });
});
