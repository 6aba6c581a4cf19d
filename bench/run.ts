// npm run bench -- [--sf 1] [--quick] [--queries 1,3,6] [--reps 3] [--workers N] [--threads N] [--sections a,b|none] [--set key=value ...] [--out DIR]
// Runs TPC-H on Shoal's local runner and on DuckDB, prints the table, writes
// bench/results/<date>-sf<N>[-quick].json and .svg. Exit code 1 when a query fails.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ratioChart } from './chart.js';
import { formatReport } from './format.js';
import { runBench } from './runner.js';
import { SECTIONS } from './sections/index.js';
import { QUERY_NUMBERS } from './tpch/queries.js';

const { values } = parseArgs({
  options: {
    sf: { type: 'string', default: '1' },
    quick: { type: 'boolean', default: false },
    queries: { type: 'string' },
    reps: { type: 'string' },
    workers: { type: 'string' },
    threads: { type: 'string' },
    sections: { type: 'string' },
    set: { type: 'string', multiple: true, default: [] },
    out: { type: 'string', default: resolve(import.meta.dirname, 'results') },
  },
});

const numbers = (s: string, what: string) => s.split(',').map((x) => {
  const n = Number(x.trim());
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${what}: expected positive integers separated by commas, got '${s}'`);
  return n;
});

const settingsOf = (pairs: readonly string[]) => Object.fromEntries(pairs.map((p) => {
  const eq = p.indexOf('=');
  if (eq <= 0) throw new Error(`--set: expected key=value, got '${p}'`);
  return [p.slice(0, eq).trim(), p.slice(eq + 1).trim()];
}));

async function main(): Promise<void> {
  const sf = Number(values.sf);
  const queries = values.queries ? numbers(values.queries, 'queries') : QUERY_NUMBERS;
  const unknown = queries.filter((q) => !QUERY_NUMBERS.includes(q));
  if (unknown.length) throw new Error(`--queries: TPC-H has queries 1 to 22, not ${unknown.join(', ')}`);
  const wanted = values.sections === undefined ? SECTIONS.map((s) => s.name) : values.sections === 'none' ? [] : values.sections.split(',').map((s) => s.trim());
  const missing = wanted.filter((w) => !SECTIONS.some((s) => s.name === w));
  if (missing.length) throw new Error(`--sections: no section ${missing.join(', ')}; there are ${SECTIONS.map((s) => s.name).join(', ') || 'none'}`);
  const report = await runBench({
    sf, queries, quick: values.quick,
    repetitions: values.reps ? numbers(values.reps, 'reps')[0] : undefined,
    workers: values.workers ? numbers(values.workers, 'workers')[0] : undefined,
    threads: values.threads ? numbers(values.threads, 'threads')[0] : undefined,
    sections: SECTIONS.filter((s) => wanted.includes(s.name)),
    settings: settingsOf(values.set),
    log: (l) => process.stderr.write(`${l}\n`),
  });
  process.stdout.write(formatReport(report));
  await mkdir(values.out, { recursive: true });
  const base = join(values.out, `${report.date.slice(0, 10)}-sf${sf}${values.quick ? '-quick' : ''}`);
  await writeFile(`${base}.json`, `${JSON.stringify(report, null, 1)}\n`);
  await writeFile(`${base}.svg`, ratioChart(report));
  process.stderr.write(`wrote ${base}.json and ${base}.svg (${report.seconds} s)\n`);
  if (report.summary.failed > 0) process.exitCode = 1;
}

main().catch((e: unknown) => {
  process.stderr.write(`error: ${(e as Error).message}\n`);
  process.exitCode = 1;
});
