// Issue 4's figures: S3 requests of Shoal's shuffle (one object per map task, one ranged
// GET per map output and reduce task) against one object per (map task × partition),
// and how far each reduce task's bytes are from the adaptive byte target. Runs TPC-H q9
// (five shuffles) and reads the map outputs' indexes and the task lists it left.
import { numberSetting } from '../../lib/planner/settings.js';
import { donePrefix, tasksKey } from '../../lib/runtime/context.js';
import type { TaskList } from '../../lib/runtime/plan-stage.js';
import { leaves } from '../../lib/runtime/plan-stage.js';
import type { MapOutput } from '../../lib/shuffle/shuffle.js';
import { openStore } from '../../lib/store/open-store.js';
import { jobPrefix } from '../../lib/plan/job.js';
import { loadQuery } from '../tpch/queries.js';
import type { BenchSection } from './section.js';

const QUERY = 9;

interface ExchangeFigures {
  readonly stage: number;
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
        const ev = (stage: number) => ({ queryId: r.queryId, warehouse: store.root, statement: st.index, stage });
        const readJson = async <T>(key: string) => JSON.parse(new TextDecoder().decode(await store.get(key))) as T;
        const lists = new Map<number, TaskList>();
        for (const s of st.stages) lists.set(s.id, await readJson<TaskList>(tasksKey(ev(s.id))));
        for (const s of st.stages) {
          const list = lists.get(s.id)!;
          const reads = leaves(s.fragment).filter((l) => l.kind === 'shuffleRead');
          for (const t of list.tasks) {
            let bytes = 0;
            for (const leaf of reads) {
              if (leaf.kind !== 'shuffleRead') continue;
              const [a, b] = leaf.dist.kind === 'broadcast' ? [0, Infinity] : t.range ?? [0, 1];
              for (const out of list.inputs[leaf.stage] ?? []) for (const e of out.entries) if (e.partition >= a && e.partition < b) bytes += e.length;
            }
            if (reads.length) ratios.push(bytes / target);
          }
          if (s.output.kind === 'sink') continue;
          const outs = await Promise.all((await store.list(donePrefix(ev(s.id)))).map((k) => readJson<MapOutput>(k.key)));
          const consumers = st.stages.filter((c) => c.inputs.includes(s.id));
          let shoalGets = 0;
          let naiveGets = 0;
          let reduceTasks = 0;
          for (const c of consumers) {
            const leaf = leaves(c.fragment).find((l) => l.kind === 'shuffleRead' && l.stage === s.id);
            const broadcast = leaf?.kind === 'shuffleRead' && leaf.dist.kind === 'broadcast';
            for (const t of lists.get(c.id)!.tasks) {
              reduceTasks++;
              const [a, b] = broadcast ? [0, Infinity] : t.range ?? [0, 1];
              for (const o of outs) {
                const hit = o.entries.filter((e) => e.partition >= a && e.partition < b && e.length > 0).length;
                naiveGets += hit;
                if (hit > 0) shoalGets++;
              }
            }
          }
          exchanges.push({
            stage: s.id,
            mapTasks: outs.length,
            partitions: s.output.kind === 'hash' ? s.output.partitions : 1,
            reduceTasks,
            shoal: { puts: outs.reduce((n, o) => n + (o.bytes > 0 ? 2 : 1), 0), gets: shoalGets },
            perPartitionObjects: { puts: outs.reduce((n, o) => n + o.entries.filter((e) => e.length > 0).length, 0), gets: naiveGets },
          });
        }
      }
      const total = (f: (x: ExchangeFigures) => number) => exchanges.reduce((n, x) => n + f(x), 0);
      const sorted = [...ratios].sort((a, b) => a - b);
      const pct = (x: number | undefined) => (x === undefined ? '-' : `${(100 * x).toFixed(2)}%`);
      const lines = [
        ...exchanges.map((x) => `stage ${x.stage}: ${x.mapTasks} map task(s) × ${x.partitions} partitions → ${x.reduceTasks} reader task(s): Shoal ${x.shoal.puts} PUT + ${x.shoal.gets} GET; one object per (task × partition) ${x.perPartitionObjects.puts} PUT + ${x.perPartitionObjects.gets} GET`),
        `q${QUERY} at SF ${ctx.sf}: Shoal ${total((x) => x.shoal.puts)} PUT + ${total((x) => x.shoal.gets)} GET; one object per (task × partition): ${total((x) => x.perPartitionObjects.puts)} PUT + ${total((x) => x.perPartitionObjects.gets)} GET`,
        `reader tasks' input as a share of the ${target} B target: min ${pct(sorted[0])}, median ${pct(sorted[sorted.length >> 1])}, max ${pct(sorted[sorted.length - 1])} over ${sorted.length} tasks`,
      ];
      return { lines, data: { query: QUERY, targetBytes: target, exchanges, taskBytesOverTarget: sorted } };
    } finally {
      await store.deletePrefix(`${jobPrefix(r.queryId)}/`);
    }
  },
};
