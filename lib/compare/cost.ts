// The cost side of a shadow run: the shadow job's metrics report beside the original run's
// (a `shoal run --metrics` file), so a migration shows what the job costs as well as what
// it writes.
import type { JobMetrics } from '../metrics/report.js';
import { alignColumns } from './compare.js';

export interface CostLine { readonly metric: string; readonly baseline: number; readonly current: number; readonly ratio: number | null }

const requests = (m: JobMetrics) => {
  const s = m.totals.s3;
  return s.get + s.put + s.list + s.delete + s.head + s.copy;
};

const MEASURES: readonly [string, (m: JobMetrics) => number][] = [
  ['wall ms', (m) => m.wallMs],
  ['tasks', (m) => m.totals.tasks],
  ['input bytes', (m) => m.totals.inputBytes],
  ['shuffle bytes', (m) => m.totals.shuffleBytes],
  ['output bytes', (m) => m.totals.outputBytes],
  ['S3 requests', requests],
];

/** A baseline missing a figure (another engine's report may lack some) skips that line. */
export function compareCost(current: JobMetrics, baseline: JobMetrics): CostLine[] {
  const out: CostLine[] = [];
  for (const [metric, read] of MEASURES) {
    let b: number;
    try { b = read(baseline); } catch { continue; }
    if (typeof b !== 'number' || !Number.isFinite(b)) continue;
    const c = read(current);
    out.push({ metric, baseline: b, current: c, ratio: b === 0 ? null : c / b });
  }
  return out;
}

export function formatCost(lines: readonly CostLine[]): string {
  const rows = [['metric', 'baseline', 'shadow', 'shadow/baseline'], ...lines.map((l) => [l.metric, String(l.baseline), String(l.current), l.ratio === null ? '-' : l.ratio.toFixed(2)])];
  return `${alignColumns(rows).join('\n')}\n`;
}
