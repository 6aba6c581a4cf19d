// The benchmark report as text for stdout: the per-query table, totals, where the time
// of the slowest queries goes, the largest overheads, the cost estimate, the sections.
import { formatBytes } from '../lib/cli/format.js';
import type { Category } from '../lib/metrics/record.js';
import type { BenchReport, QueryOutcome } from './report.js';
import type { SectionResult } from './sections/section.js';

export function bytes(n: number | undefined): string {
  return n === undefined ? '-' : formatBytes(n);
}

const ms = (n: number | undefined) => (n === undefined ? '-' : n >= 100 ? n.toFixed(0) : n.toFixed(1));
const usd = (n: number | undefined) => (n === undefined ? '-' : `$${n < 0.01 ? n.toExponential(2) : n.toFixed(4)}`);

function table(head: readonly string[], rows: readonly (readonly string[])[], rightFrom = 1): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) => r.map((c, i) => (i >= rightFrom ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

function queryRow(r: QueryOutcome): string[] {
  return [
    `q${String(r.query).padStart(2, '0')}`, r.status,
    ms(r.shoalMs), ms(r.duckdbMs), r.ratio === undefined ? '-' : r.ratio.toFixed(1),
    String(r.stages ?? '-'), String(r.tasks ?? '-'), bytes(r.shuffleBytes), String(r.s3Requests ?? '-'),
    bytes(r.peakRss?.shoal.bytes), bytes(r.peakRss?.duckdb.bytes),
    usd(r.cost?.totalUsd), usd(r.cost?.athena.usd),
  ];
}

const breakdown = (t: Readonly<Record<Category, number>>) => {
  const total = Object.values(t).reduce((a, b) => a + b, 0);
  return (Object.entries(t) as [Category, number][])
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([c, v]) => `${c} ${ms(v)} ms (${((100 * v) / (total || 1)).toFixed(0)}%)`)
    .join(', ');
};

export function formatReport(r: BenchReport): string {
  const out: string[] = [];
  out.push(`TPC-H SF ${r.sf} — Shoal (local runner, ${r.workers} workers × ${r.threads ?? 1} DuckDB threads) against DuckDB, ${r.date}`);
  out.push(`${r.quick ? 'quick: ' : ''}${r.warmup ? 'warm-up + ' : ''}${r.repetitions} timed run(s) per query, median; load average ${r.machine.loadavgStart.map((x) => x.toFixed(1)).join(' ')} at start, ${r.machine.loadavgEnd.map((x) => x.toFixed(1)).join(' ')} at end (${r.machine.cpus} CPUs)`);
  if (r.settings) out.push(`settings: ${Object.entries(r.settings).map(([k, v]) => `${k}=${v}`).join(', ')}`);
  out.push('');
  out.push(...table(
    ['query', 'status', 'shoal ms', 'duckdb ms', 'ratio', 'stages', 'tasks', 'shuffle', 'S3 req', 'RSS shoal', 'RSS duckdb', 'AWS est.', 'Athena'],
    r.results.map(queryRow), 2,
  ));
  const s = r.summary;
  out.push('');
  out.push(`passed ${s.passed} of ${s.passed + s.failed}; over the passing queries: Shoal ${(s.shoalMs / 1000).toFixed(1)} s, DuckDB ${(s.duckdbMs / 1000).toFixed(1)} s, geometric mean of ratios ${s.geomeanRatio?.toFixed(2) ?? '-'}`);
  out.push(`S3 requests ${s.s3Requests}, shuffle ${bytes(s.shuffleBytes)}; AWS estimate ${usd(s.awsUsd)} against Athena ${usd(s.athenaUsd)} (estimate; prices in the JSON)`);
  for (const f of r.results.filter((x) => x.status !== 'ok')) out.push(`FAILED q${f.query} (${f.status}): ${f.message?.split('\n')[0] ?? ''}`);
  out.push('');
  out.push('Where the time goes (wall time shared among what ran at each instant):');
  for (const q of r.slowest) out.push(`  q${q.query} (${ms(q.shoalMs)} ms): ${breakdown(q.time)}`);
  const total = r.timeByCategory.reduce((a, c) => a + c.ms, 0);
  out.push(`  all passing queries (${ms(total)} ms): ${r.timeByCategory.filter((c) => c.ms > 0).map((c) => `${c.category} ${(100 * c.share).toFixed(0)}%`).join(', ')}`);
  for (const [name, sec] of Object.entries(r.sections)) {
    out.push('');
    out.push(`[${name}]`);
    out.push(...(sec as SectionResult).lines.map((l) => `  ${l}`));
  }
  return `${out.join('\n')}\n`;
}
