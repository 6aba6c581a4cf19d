// The benchmark runner at a tiny scale: the report's shape, a planted wrong reference
// reported as a failure (not a slow result), the extra sections, the chart and the table.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ratioChart } from '../../bench/chart.js';
import { athenaUsd, PRICES } from '../../bench/cost.js';
import { formatReport } from '../../bench/format.js';
import type { BenchReport } from '../../bench/report.js';
import { runBench } from '../../bench/runner.js';
import type { BenchSection, SectionContext } from '../../bench/sections/section.js';
import { shuffleRequests } from '../../bench/sections/shuffle-requests.js';
import { tpchNumbersMatch } from '../../bench/tpch/tolerance.js';

describe('TPC-H answer tolerance', () => {
  test('counts match exactly, sums within $100 and 1%, averages within 1% or equal at 1/100', () => {
    assert.equal(tpchNumbersMatch(1478493, 1478493), true);
    assert.equal(tpchNumbersMatch(1478493, 1478494), false);
    assert.equal(tpchNumbersMatch(56586554.4, 56586554.4 + 99.5), true);
    assert.equal(tpchNumbersMatch(56586554.4, 56586554.4 + 101), false);
    assert.equal(tpchNumbersMatch(25.522006, 25.522006 * 1.009), true);
    assert.equal(tpchNumbersMatch(25.522006, 25.522006 * 1.011), false);
    assert.equal(tpchNumbersMatch(0.0012, 0.0031), true);
  });

  test('Athena bills at least 10 MB per query and per started MB above', () => {
    assert.equal(athenaUsd(0), athenaUsd(PRICES.athenaMinimumBytes));
    assert.ok(athenaUsd(PRICES.athenaMinimumBytes + 1) > athenaUsd(PRICES.athenaMinimumBytes));
    assert.equal(athenaUsd(2 ** 40), PRICES.athenaPerTiB);
  });
});

describe('npm run bench at SF 0.01', () => {
  let dir: string;
  let report: BenchReport;
  let seen: SectionContext | undefined;
  const probe: BenchSection = {
    name: 'probe',
    title: 'sees the queries and can run jobs',
    async run(ctx) {
      seen = ctx;
      const r = await ctx.run('USE tpch; SELECT count(*) FROM nation');
      return { lines: ['nation rows'], data: { nations: r.results[r.results.length - 1]!.rows[0]![0] } };
    },
  };
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'shoal-bench-'));
    report = await runBench({
      sf: 0.01, queries: [1, 6, 14], quick: true, dataDir: dir, workers: 2,
      sections: [shuffleRequests, probe],
      // q6's reference is off by 2% (beyond TPC-H's 1%), q14's by 0.01% (within it).
      expected: (q, duck) => (q === 6 || q === 14
        ? { columns: duck.columns, rows: duck.rows.map((r) => r.map((v) => (typeof v === 'number' ? v * (q === 6 ? 1.02 : 1.0001) : v))) }
        : duck),
    });
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('a wrong reference answer is reported as a failure and the run goes on', () => {
    assert.deepEqual(report.results.map((r) => [r.query, r.status]), [[1, 'ok'], [6, 'mismatch'], [14, 'ok']]);
    const q6 = report.results[1]!;
    assert.match(q6.message ?? '', /row 0 column revenue/);
    assert.equal(report.summary.passed, 2);
    assert.equal(report.summary.failed, 1);
    assert.match(formatReport(report), /FAILED q6 \(mismatch\)/);
    assert.match(ratioChart(report), /wrong answer/);
  });

  test('every passing query has times, its ratio, job figures and a cost estimate', () => {
    for (const r of report.results.filter((x) => x.status === 'ok')) {
      assert.ok(r.shoalMs! > 0 && r.duckdbMs! > 0, `q${r.query}`);
      assert.equal(r.ratio, r.shoalMs! / r.duckdbMs!);
      assert.equal(r.shoalRunsMs.length, 1);
      assert.equal(r.stages, r.metrics!.stages.length);
      assert.equal(r.tasks, r.metrics!.stages.reduce((n, s) => n + s.tasks, 0));
      assert.ok(r.s3Requests! >= r.metrics!.totals.invocations.RunTask.count, 'every task reads its task list at least');
      assert.ok(r.scanBytes! > 0 && r.athenaBytes! > 0 && r.athenaBytes! <= r.scanBytes!, 'Athena reads only some columns');
      assert.ok(r.peakRss!.shoal.bytes > 0 && r.peakRss!.duckdb.bytes > 0);
      assert.ok(r.cost!.lambda.gbSeconds > 0 && r.cost!.stepFunctions.transitions > r.tasks! && r.cost!.s3.usd > 0);
      assert.equal(r.cost!.athena.usd, athenaUsd(r.athenaBytes!));
    }
    const ratios = report.results.filter((x) => x.status === 'ok').map((x) => x.ratio!);
    assert.ok(Math.abs(report.summary.geomeanRatio! - Math.sqrt(ratios[0]! * ratios[1]!)) < 1e-9);
    assert.equal(report.slowest.length, 2);
    assert.ok(report.timeByCategory.some((c) => c.category === 'execute' && c.ms > 0));
  });

  test('the report survives JSON and names its method and prices', () => {
    assert.deepEqual(JSON.parse(JSON.stringify(report)), report);
    assert.equal(report.sf, 0.01);
    assert.ok(report.machine.loadavgStart.length === 3 && report.method.timing && report.method.cost);
    assert.equal((report.prices as { region: string }).region, 'us-east-1');
  });

  test('sections run after the queries, with their outcomes, and land in the report', () => {
    assert.equal(seen?.queries.length, 3);
    assert.deepEqual((report.sections.probe as { data: unknown }).data, { nations: 25 });
    const shuffle = (report.sections.shuffle as { data: { exchanges: { shoal: { puts: number } }[] } }).data;
    assert.ok(shuffle.exchanges.length > 0 && shuffle.exchanges.every((x) => x.shoal.puts > 0));
  });
});
