// Issue 6's figures: one stage with an injected straggler (`shoal.test.slow-task`), run
// with speculation on and off, beside the same job without the straggler: the stage's
// time, the job's, and the extra work the losing attempts cost. The stage is the widest
// one of a group-by over lineitem whose tasks all read input (at small scale factors the
// reduce side: lineitem is one file there).
import type { RunResult } from '../../lib/local/runner.js';
import type { StageMetrics } from '../../lib/metrics/report.js';
import { formatBytes } from '../../lib/cli/format.js';
import type { BenchSection, SectionContext } from './section.js';

const SQL = `SELECT l_suppkey, count(*) AS n, sum(l_extendedprice) AS revenue FROM tpch.lineitem GROUP BY l_suppkey`;
/** enough tasks that the detector has finished peers to compare the straggler with */
const TASKS = 8;
/** how late the straggler publishes; well above min-runtime and the multiplier × median */
const SLOW_MS = 12_000;
const SPECULATION = { 'shoal.speculation.min-runtime': '2s', 'shoal.speculation.interval': '1s' };

interface RunFigures {
  readonly name: string;
  readonly seconds: number;
  readonly stageSeconds: number;
  readonly attempts: number;
  readonly shadows: number;
  readonly shadowsWon: number;
  /** the report's lower bound of the time saved */
  readonly timeSavedSeconds: number;
  readonly lostAttempts: number;
  /** losing attempts' summed duration, and every task attempt's */
  readonly lostTaskSeconds: number;
  readonly taskSeconds: number;
  readonly lostBytesRead: number;
  readonly lostBytesWritten: number;
  readonly rows: number;
}

const rowsOf = (r: RunResult) => r.results[r.results.length - 1]!.rows.length;

async function measure(ctx: SectionContext, name: string, settings: Record<string, string>, pick: (r: RunResult) => StageMetrics): Promise<RunFigures & { stage: StageMetrics }> {
  const start = Date.now();
  const r = await ctx.run(SQL, { settings: { 'shoal.adaptive.min-parallelism': String(TASKS), ...settings } });
  const seconds = (Date.now() - start) / 1000;
  const stage = pick(r);
  const s = stage.speculation;
  const f = {
    name, seconds, stageSeconds: stage.durationMs / 1000, attempts: stage.attempts, shadows: s.shadows, shadowsWon: s.shadowsWon,
    timeSavedSeconds: s.timeSavedMs / 1000, lostAttempts: s.lostAttempts, lostTaskSeconds: s.lostTaskMs / 1000,
    taskSeconds: r.metrics.totals.invocations.RunTask.ms / 1000, lostBytesRead: s.lostBytesRead, lostBytesWritten: s.lostBytesWritten,
    rows: rowsOf(r), stage,
  };
  ctx.log(`  ${name}: job ${seconds.toFixed(1)} s, stage ${f.stageSeconds.toFixed(1)} s, ${f.shadows} shadow(s), ${f.shadowsWon} won`);
  return f;
}

const line = (f: RunFigures) =>
  `${f.name.padEnd(30)} stage ${f.stageSeconds.toFixed(1).padStart(5)} s  job ${f.seconds.toFixed(1).padStart(5)} s  ${String(f.attempts).padStart(2)} attempts  ` +
  `${f.shadows} shadow(s), ${f.shadowsWon} won  losing attempts ${f.lostAttempts}: ${f.lostTaskSeconds.toFixed(1)} task-s, ${formatBytes(f.lostBytesRead)} read, ${formatBytes(f.lostBytesWritten)} written  ` +
  `all tasks ${f.taskSeconds.toFixed(1)} task-s`;

export const speculation: BenchSection = {
  name: 'speculation',
  title: `One straggler (+${SLOW_MS / 1000} s) in a ${TASKS}-task stage, speculation on and off (lineitem group by l_suppkey)`,
  async run(ctx) {
    // The job without a straggler picks the stage: the widest whose every task reads
    // something (a one-file scan spread over 8 tasks leaves most of them empty), its
    // middle task the straggler.
    let target = { statement: 0, id: 0, task: 0 };
    const base = await measure(ctx, 'no straggler', SPECULATION, (r) => {
      const busy = r.metrics.stages.filter((s) => s.taskInputBytes.min > 0);
      const widest = (busy.length ? busy : r.metrics.stages).reduce((a, b) => (b.tasks > a.tasks ? b : a));
      target = { statement: widest.statement, id: widest.id, task: widest.tasks >> 1 };
      return widest;
    });
    const same = (r: RunResult) => r.metrics.stages.find((s) => s.statement === target.statement && s.id === target.id)!;
    const slow = { 'shoal.test.slow-task': `${target.id}:${target.task}:${SLOW_MS}` };
    const off = await measure(ctx, 'straggler, speculation off', { ...SPECULATION, ...slow, 'shoal.speculation.enabled': 'false' }, same);
    const on = await measure(ctx, 'straggler, speculation on', { ...SPECULATION, ...slow }, same);
    const runs = [base, off, on].map(({ stage: _, ...f }) => f);
    if (new Set(runs.map((f) => f.rows)).size !== 1) throw new Error(`the three runs returned different row counts: ${runs.map((f) => f.rows).join(', ')}`);
    const lines = [
      `straggler: stage ${target.id}, task ${target.task} of ${base.stage.tasks}, publishing ${SLOW_MS / 1000} s late; speculation settings ${Object.entries(SPECULATION).map(([k, v]) => `${k}=${v}`).join(', ')}`,
      ...runs.map(line),
      `speculation saved ${(off.stageSeconds - on.stageSeconds).toFixed(1)} s of the stage's ${off.stageSeconds.toFixed(1)} s (the report's lower bound: ${on.timeSavedSeconds.toFixed(1)} s) ` +
        `for ${on.lostTaskSeconds.toFixed(1)} task-s and ${formatBytes(on.lostBytesRead + on.lostBytesWritten)} of losing attempts; all tasks ${on.taskSeconds.toFixed(1)} task-s against ${off.taskSeconds.toFixed(1)} without`,
    ];
    return { lines, data: { query: SQL, tasks: TASKS, slowMs: SLOW_MS, settings: SPECULATION, straggler: target, runs } };
  },
};
