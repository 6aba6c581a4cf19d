// Issue 5's figures: a dynamic-partition INSERT OVERWRITE of a join result (lineitem ⋈
// orders, partitioned by order month) with and without the sort exchange, the files
// written before and after compaction, and the time the compaction adds; then the same
// join written into one partition per order day (over a thousand partitions).
import { Catalog } from '../../lib/catalog/catalog.js';
import type { RunResult } from '../../lib/local/runner.js';
import { openStore } from '../../lib/store/open-store.js';
import type { BenchSection, SectionContext } from './section.js';

const SELECT = `SELECT l_orderkey, l_partkey, l_quantity, l_extendedprice, l_comment, PART
  FROM tpch.lineitem JOIN tpch.orders ON l_orderkey = o_orderkey`;
const MONTH = 'substr(CAST(o_orderdate AS STRING), 1, 7)';
const DAY = 'CAST(o_orderdate AS STRING)';

interface WriteFigures {
  readonly name: string;
  readonly sort: boolean;
  readonly compaction: boolean;
  readonly seconds: number;
  /** wall time of the compaction states */
  readonly compactSeconds: number;
  readonly partitions: number;
  readonly files: number;
  readonly rows: number;
}

async function tableFiles(ctx: SectionContext, table: string): Promise<{ partitions: number; files: number; rows: number }> {
  const t = (await new Catalog(openStore(ctx.warehouse)).load()).databases.wbench!.tables[table]!;
  const parts = Object.values(t.partitions);
  return { partitions: parts.length, files: parts.reduce((n, p) => n + p.stats.files, 0), rows: parts.reduce((n, p) => n + p.stats.rows, 0) };
}

async function write(ctx: SectionContext, name: string, table: string, part: string, sort: boolean, compaction: boolean): Promise<WriteFigures> {
  const settings = {
    'shoal.sink.dynamic-partition.sort': String(sort),
    'shoal.compaction.enabled': String(compaction),
    // Enough writer tasks for the difference to show at small scale factors too.
    'shoal.adaptive.min-parallelism': '8',
  };
  const start = Date.now();
  const r: RunResult = await ctx.run(`INSERT OVERWRITE TABLE wbench.${table} PARTITION (part) ${SELECT.replace('PART', part)}`, { settings });
  const seconds = (Date.now() - start) / 1000;
  const f = await tableFiles(ctx, table);
  const compactSeconds = (r.metrics.time.wallMs.compact ?? 0) / 1000;
  ctx.log(`  ${name}: ${seconds.toFixed(1)} s, ${f.partitions} partitions, ${f.files} files`);
  return { name, sort, compaction, seconds, compactSeconds, ...f };
}

export const writes: BenchSection = {
  name: 'writes',
  title: 'Dynamic-partition writes: the sort exchange, compaction, 1,000+ partitions (lineitem ⋈ orders)',
  async run(ctx) {
    await ctx.run(`CREATE DATABASE IF NOT EXISTS wbench;
      DROP TABLE IF EXISTS wbench.by_month; DROP TABLE IF EXISTS wbench.by_day;
      CREATE TABLE wbench.by_month (l_orderkey BIGINT, l_partkey BIGINT, l_quantity DOUBLE, l_extendedprice DOUBLE, l_comment STRING) PARTITIONED BY (part STRING) STORED AS PARQUET;
      CREATE TABLE wbench.by_day (l_orderkey BIGINT, l_partkey BIGINT, l_quantity DOUBLE, l_extendedprice DOUBLE, l_comment STRING) PARTITIONED BY (part STRING) STORED AS PARQUET;`);
    const runs = [
      await write(ctx, 'sort exchange, compaction', 'by_month', MONTH, true, true),
      await write(ctx, 'no sort, no compaction', 'by_month', MONTH, false, false),
      await write(ctx, 'no sort, compaction', 'by_month', MONTH, false, true),
      await write(ctx, 'sort exchange, one partition per day', 'by_day', DAY, true, true),
    ];
    const [sorted, raw, compacted] = runs as [WriteFigures, WriteFigures, WriteFigures];
    const lines = [
      ...runs.map((r) => `${r.name.padEnd(38)} ${r.seconds.toFixed(1).padStart(6)} s  ${String(r.partitions).padStart(5)} partitions  ${String(r.files).padStart(6)} files  compaction ${r.compactSeconds.toFixed(1)} s`),
      `without the sort exchange: ${raw.files} files before compaction, ${compacted.files} after; compaction adds ${(compacted.seconds - raw.seconds).toFixed(1)} s (its states: ${compacted.compactSeconds.toFixed(1)} s)`,
      `with the sort exchange: ${sorted.files} files in ${sorted.seconds.toFixed(1)} s`,
    ];
    await ctx.run('DROP TABLE wbench.by_month; DROP TABLE wbench.by_day;');
    return { lines, data: { runs } };
  },
};
