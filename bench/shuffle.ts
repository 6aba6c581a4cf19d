// Shuffle figures for the benchmark note, from what the jobs really did: the task lists
// plan-stage wrote and the indexes of the map outputs they read. Per shuffle edge:
// S3 requests with one object per map attempt (Shoal) against one object per
// (map task x partition), and how far each reading task's bytes are from the target.
//
//   node --import tsx bench/shuffle.ts [--sf 0.05] [--target-kib 1024] [--partitions 64,256,1000] [--queries 3,5,10,18]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runScript, type RunResult } from '../lib/local/runner.js';
import { WorkerPool } from '../lib/local/pool.js';
import type { TaskList } from '../lib/runtime/plan-stage.js';
import { sliceFor, leaves } from '../lib/runtime/plan-stage.js';
import { median } from '../lib/runtime/sizing.js';
import { tasksKey } from '../lib/runtime/context.js';
import { piecesOf } from '../lib/shuffle/slices.js';
import { openStore } from '../lib/store/open-store.js';
import type { ObjectStore } from '../lib/store/object-store.js';
import { generateTpch } from './tpch/generate.js';
import { loadQuery } from './tpch/queries.js';
import { registerTpch } from './tpch/register.js';

export interface EdgeFigures {
  readonly query: string;
  readonly stage: number;
  readonly from: number;
  readonly maps: number;
  readonly partitions: number;
  readonly tasks: number;
  readonly mode: string;
  /** Shoal: one data object per map attempt with bytes, and its done marker (which carries the index) */
  readonly puts: number;
  /** one ranged GET per (task, map output) piece holding bytes */
  readonly gets: number;
  /** the alternative: one object per non-empty (map, partition) */
  readonly perPartitionPuts: number;
  readonly perPartitionGets: number;
}

export interface StageBytes {
  readonly query: string;
  readonly stage: number;
  readonly tasks: number;
  /** each task's input bytes / target */
  readonly ratios: readonly number[];
}

const json = async <T>(store: ObjectStore, key: string) => JSON.parse(Buffer.from(await store.get(key)).toString()) as T;

/** Figures of every shuffle-reading stage of statement `s` of a finished job run with keepJobFiles. */
export async function shuffleFigures(store: ObjectStore, r: RunResult, s: number, query: string, target: number): Promise<{ edges: EdgeFigures[]; stages: StageBytes[] }> {
  const st = r.plan.statements[s]!;
  if (st.kind !== 'dataflow') return { edges: [], stages: [] };
  const edges: EdgeFigures[] = [];
  const stages: StageBytes[] = [];
  for (const stage of st.stages) {
    const reads = leaves(stage.fragment).filter((l) => l.kind === 'shuffleRead');
    if (reads.length === 0) continue;
    const list = await json<TaskList>(store, tasksKey({ queryId: r.queryId, warehouse: store.root, statement: s, stage: stage.id }));
    const taskBytes = new Array<number>(list.tasks.length).fill(0);
    for (const leaf of reads) {
      const outs = list.inputs[leaf.stage] ?? [];
      const partitions = outs[0]?.partitions ?? 1;
      let gets = 0;
      let perPartitionGets = 0;
      for (const task of list.tasks) {
        for (const p of piecesOf(sliceFor(task, leaf), outs.length, partitions)) {
          const hit = outs[p.map]!.entries.filter((e) => e.partition >= p.start && e.partition < p.end && e.length > 0);
          if (hit.length > 0) gets++;
          perPartitionGets += hit.length;
          taskBytes[task.index] += hit.reduce((a, e) => a + e.length, 0);
        }
      }
      edges.push({
        query, stage: stage.id, from: leaf.stage, maps: outs.length, partitions, tasks: list.tasks.length,
        mode: list.join?.kind === 'broadcast' ? (list.join.stage === leaf.stage ? 'broadcast' : 'streamed') : leaf.dist.kind,
        puts: outs.filter((o) => o.bytes > 0).length + outs.length,
        gets,
        perPartitionPuts: outs.reduce((a, o) => a + o.entries.filter((e) => e.length > 0).length, 0),
        perPartitionGets,
      });
    }
    stages.push({ query, stage: stage.id, tasks: list.tasks.length, ratios: taskBytes.map((b) => b / target) });
  }
  return { edges, stages };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: {
    sf: { type: 'string', default: '0.05' },
    'target-kib': { type: 'string', default: '1024' },
    partitions: { type: 'string', default: '64,256,1000' },
    queries: { type: 'string', default: '3,5,10,18' },
  } });
  const target = Number(values['target-kib']) * 1024;
  const root = await mkdtemp(join(tmpdir(), 'shoal-bench-shuffle-'));
  const pool = new WorkerPool(2, 1);
  try {
    await registerTpch(await generateTpch({ sf: Number(values.sf), warehouseDir: root, force: true }), root);
    const store = openStore(root);
    for (const partitions of values.partitions!.split(',').map(Number)) {
      const settings = { 'shoal.shuffle.partitions': String(partitions), 'shoal.adaptive.target-bytes-per-task': String(target) };
      const edges: EdgeFigures[] = [];
      const stages: StageBytes[] = [];
      let ms = 0;
      for (const q of values.queries!.split(',').map(Number)) {
        const started = Date.now();
        const r = await runScript(`USE tpch;\n${await loadQuery(q)}`, { warehouse: root, pool, settings, keepJobFiles: true });
        ms += Date.now() - started;
        const f = await shuffleFigures(store, r, r.plan.statements.length - 1, `q${q}`, target);
        edges.push(...f.edges);
        stages.push(...f.stages);
        await store.deletePrefix(`_jobs/${r.queryId}/`);
      }
      const sum = (k: keyof EdgeFigures) => edges.reduce((a, e) => a + (e[k] as number), 0);
      // Only stages with more than one task say anything about sizing; single-task stages are just small.
      const ratios = stages.filter((s) => s.tasks > 1).flatMap((s) => s.ratios);
      const sorted = [...ratios].sort((a, b) => a - b);
      const pct = (x: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(x * sorted.length))]!.toFixed(2) : '-');
      process.stdout.write(`partitions=${partitions} target=${target / 1024} KiB queries=${values.queries} wall=${(ms / 1000).toFixed(1)} s\n`
        + `  shuffle edges ${edges.length}: PUTs ${sum('puts')} (per-partition objects: ${sum('perPartitionPuts')}), `
        + `GETs ${sum('gets')} (per-partition objects: ${sum('perPartitionGets')})\n`
        + `  multi-task stages ${stages.filter((s) => s.tasks > 1).length}, tasks ${ratios.length}: task bytes / target `
        + `min ${pct(0)} p10 ${pct(0.1)} median ${median(ratios).toFixed(2)} p90 ${pct(0.9)} max ${pct(1 - 1e-9)}\n`);
      for (const e of edges) process.stdout.write(`    ${e.query} st${e.from}->st${e.stage} ${e.mode}: ${e.maps} maps x ${e.partitions} partitions, ${e.tasks} tasks; PUT ${e.puts} vs ${e.perPartitionPuts}, GET ${e.gets} vs ${e.perPartitionGets}\n`);
    }
  } finally {
    await pool.close();
    await rm(root, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
