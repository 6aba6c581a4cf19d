// The per-query time ratios Shoal/DuckDB as a small SVG bar chart on a log scale, with
// the geometric mean as a line; failed queries are marked, not drawn as bars.
import type { BenchReport } from './report.js';

const W = 760;
const ROW = 22;
const LEFT = 60;
const RIGHT = 90;
const TOP = 56;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function ratioChart(r: BenchReport): string {
  const rows = r.results;
  const ratios = rows.map((q) => q.ratio).filter((x): x is number => x !== undefined && x > 0);
  const lo = Math.min(1, ...ratios);
  const hi = Math.max(10, ...ratios);
  const decades = [Math.floor(Math.log10(lo)), Math.ceil(Math.log10(hi))] as const;
  const plotW = W - LEFT - RIGHT;
  const x = (v: number) => LEFT + ((Math.log10(v) - decades[0]) / (decades[1] - decades[0])) * plotW;
  const height = TOP + rows.length * ROW + 40;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" font-family="sans-serif" font-size="12">`);
  parts.push(`<rect width="${W}" height="${height}" fill="white"/>`);
  const g = r.summary.geomeanRatio;
  parts.push(`<text x="${LEFT}" y="20" font-size="14" font-weight="bold">${esc(`TPC-H SF ${r.sf}: Shoal time / DuckDB time per query (log scale)`)}</text>`);
  parts.push(`<text x="${LEFT}" y="38" fill="#555">${esc(`${r.date.slice(0, 16).replace('T', ' ')} UTC · ${r.summary.passed}/${rows.length} correct · geometric mean ${g?.toFixed(2) ?? '-'} · load ${r.machine.loadavgStart[0]?.toFixed(1)} on ${r.machine.cpus} CPUs`)}</text>`);
  for (let d = decades[0]; d <= decades[1]; d++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** d;
      if (v < 10 ** decades[0] || v > 10 ** decades[1]) continue;
      const xx = x(v).toFixed(1);
      parts.push(`<line x1="${xx}" y1="${TOP - 6}" x2="${xx}" y2="${TOP + rows.length * ROW}" stroke="${m === 1 ? '#bbb' : '#eee'}"/>`);
      if (m === 1 || decades[1] - decades[0] <= 2) parts.push(`<text x="${xx}" y="${TOP + rows.length * ROW + 16}" text-anchor="middle" fill="#555">${v >= 1 ? v : v.toPrecision(1)}×</text>`);
    }
  }
  rows.forEach((q, i) => {
    const y = TOP + i * ROW;
    parts.push(`<text x="${LEFT - 8}" y="${y + 15}" text-anchor="end">q${String(q.query).padStart(2, '0')}</text>`);
    if (q.status !== 'ok' || q.ratio === undefined) {
      parts.push(`<text x="${LEFT + 4}" y="${y + 15}" fill="#c0392b">${esc(q.status === 'mismatch' ? 'wrong answer' : 'failed')}</text>`);
      return;
    }
    const x0 = x(10 ** decades[0]);
    parts.push(`<rect x="${x0.toFixed(1)}" y="${y + 4}" width="${Math.max(1, x(q.ratio) - x0).toFixed(1)}" height="${ROW - 8}" fill="${q.ratio <= (g ?? q.ratio) ? '#2e86c1' : '#e67e22'}"/>`);
    parts.push(`<text x="${(x(q.ratio) + 4).toFixed(1)}" y="${y + 15}" fill="#333">${q.ratio.toFixed(1)}×</text>`);
  });
  if (g !== undefined) {
    const gx = x(g).toFixed(1);
    parts.push(`<line x1="${gx}" y1="${TOP - 6}" x2="${gx}" y2="${TOP + rows.length * ROW}" stroke="#c0392b" stroke-dasharray="4 3"/>`);
    parts.push(`<text x="${gx}" y="${TOP - 10}" text-anchor="middle" fill="#c0392b">geomean ${g.toFixed(1)}×</text>`);
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
