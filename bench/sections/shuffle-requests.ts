// Issue 4's figures: S3 requests of Shoal's shuffle (one object per map task, one ranged
// GET per map output and reduce task) against one object per (map task × partition),
// and how far each reduce task's bytes are from the adaptive byte target. Runs TPC-H q9
// (five shuffles); the counting itself is bench/shuffle.ts's `shuffleFigures`.
import { numberSetting } from '../../lib/planner/settings.js';
import { openStore } from '../../lib/store/open-store.js';
import { jobPrefix } from '../../lib/plan/job.js';
import { shuffleFigures } from '../shuffle.js';
import { loadQuery } from '../tpch/queries.js';
import type { BenchSection } from './section.js';

const QUERY = 9;

interface ExchangeFigures {
  /** the map stage whose output is read */
  readonly stage: number;
  readonly reader: number;
  readonly mapTasks: number;
  readonly partitions: number;
  readonly reduceTasks: number;
  readonly shoal: { readonly puts: number; readonly gets: number };
  readonly perPartitionObjects: { readonly puts: number; readonly gets: number };
}

export const shuffleRequests: BenchSection = {
  name: 'shuffle',
  title: `S3 requests per shuffle and task bytes against the target (TPC-H q${QUERY})`,
  async run(ctx) {
    const r = await ctx.run(`USE tpch;\n${await loadQuery(QUERY)}`, { keepJobFiles: true });
    const store = openStore(ctx.warehouse);
    try {
      const exchanges: ExchangeFigures[] = [];
      const ratios: number[] = [];
      let target = 0;
      for (const st of r.plan.statements) {
        if (st.kind !== 'dataflow') continue;
        target = numberSetting(st.settings, 'shoal.adaptive.target-bytes-per-task');
        const f = await shuffleFigures(store, r, st.index, `q${QUERY}`, target);
        for (const e of f.edges) {
          exchanges.push({
            stage: e.from, reader: e.stage, mapTasks: e.maps, partitions: e.partitions, reduceTasks: e.tasks,
            shoal: { puts: e.puts, gets: e.gets },
            perPartitionObjects: { puts: e.perPartitionPuts, gets: e.perPartitionGets },
          });
        }
        ratios.push(...f.stages.flatMap((s) => s.ratios));
      }
      const total = (f: (x: ExchangeFigures) => number) => exchanges.reduce((n, x) => n + f(x), 0);
      const sorted = [...ratios].sort((a, b) => a - b);
      const pct = (x: number | undefined) => (x === undefined ? '-' : `${(100 * x).toFixed(2)}%`);
      const lines = [
        ...exchanges.map((x) => `stage ${x.stage} → stage ${x.reader}: ${x.mapTasks} map task(s) × ${x.partitions} partitions → ${x.reduceTasks} reader task(s): Shoal ${x.shoal.puts} PUT + ${x.shoal.gets} GET; one object per (task × partition) ${x.perPartitionObjects.puts} PUT + ${x.perPartitionObjects.gets} GET`),
        `q${QUERY} at SF ${ctx.sf}: Shoal ${total((x) => x.shoal.puts)} PUT + ${total((x) => x.shoal.gets)} GET; one object per (task × partition): ${total((x) => x.perPartitionObjects.puts)} PUT + ${total((x) => x.perPartitionObjects.gets)} GET`,
        `reader tasks' input as a share of the ${target} B target: min ${pct(sorted[0])}, median ${pct(sorted[sorted.length >> 1])}, max ${pct(sorted[sorted.length - 1])} over ${sorted.length} tasks`,
      ];
      return { lines, data: { query: QUERY, targetBytes: target, exchanges, taskBytesOverTarget: sorted } };
    } finally {
      await store.deletePrefix(`${jobPrefix(r.queryId)}/`);
    }
  },
};
