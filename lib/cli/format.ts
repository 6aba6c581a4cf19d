// Rows as the CLI prints them: Hive's text conventions for table/tsv/csv, typed JSON lines.
import type { ResultColumn } from '../plan/job.js';
import type { Value } from '../local/results.js';
import { isNumeric, isStringy, type HiveType } from '../common/types.js';
import { javaDoubleString } from '../common/java-number.js';

export type Format = 'table' | 'tsv' | 'csv' | 'json';

/**
 * Hive's CLI text for a value: `NULL`, true/false, doubles as Java prints them (`1.0`,
 * `1.0E10`), decimals with their scale; arrays, maps and structs as Hive's
 * SerDeUtils.getJSONString writes them (strings, dates and timestamps quoted, numbers and
 * map keys of numeric type bare, a NULL inside as `null`).
 */
export function hiveText(v: Value, col?: ResultColumn): string {
  if (v === null) return 'NULL';
  const t = col?.type;
  if (t && t.kind !== 'primitive') return hiveJson(v, t);
  if (typeof v === 'string' || typeof v === 'boolean' || !t) return typeof v === 'object' ? JSON.stringify(v) : String(v);
  return hiveJson(v, t);
}

function hiveJson(v: Value, t: HiveType): string {
  if (v === null) return 'null';
  switch (t.kind) {
    case 'array': return `[${(v as Value[]).map((x) => hiveJson(x, t.element)).join(',')}]`;
    case 'map': return `{${Object.entries(v as Record<string, Value>).map(([k, x]) => `${hiveJson(mapKey(k, t.key), t.key)}:${hiveJson(x, t.value)}`).join(',')}}`;
    case 'struct': return `{${t.fields.map((f) => `"${f.name}":${hiveJson((v as Record<string, Value>)[f.name] ?? null, f.type)}`).join(',')}}`;
    case 'primitive':
      if (typeof v === 'number') {
        if (t.name === 'double' || t.name === 'float') return javaDoubleString(v, t.name === 'float');
        if (t.name === 'decimal') return v.toFixed(t.scale ?? 0);
        return String(v);
      }
      if (typeof v === 'boolean' || isNumeric(t)) return String(v);
      return isStringy(t) || t.name === 'date' || t.name === 'timestamp' ? JSON.stringify(String(v)) : String(v);
  }
}

/** Map keys come back as object keys (text); numeric keys are numbers again. */
const mapKey = (k: string, t: HiveType): Value => (isNumeric(t) && k !== '' && !Number.isNaN(Number(k)) && (t.kind !== 'primitive' || t.name !== 'bigint' || Number.isSafeInteger(Number(k))) ? Number(k) : t.kind === 'primitive' && t.name === 'boolean' ? k === 'true' : k);

const csvCell = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export function formatRows(columns: readonly ResultColumn[], rows: readonly (readonly Value[])[], format: Format): string {
  switch (format) {
    case 'json':
      return rows.map((r) => JSON.stringify(Object.fromEntries(columns.map((c, i) => [c.name, r[i] ?? null])))).join('\n') + (rows.length ? '\n' : '');
    case 'tsv':
      return [columns.map((c) => c.name).join('\t'), ...rows.map((r) => r.map((v, i) => hiveText(v, columns[i])).join('\t'))].join('\n') + '\n';
    case 'csv':
      return [columns.map((c) => csvCell(c.name)).join(','), ...rows.map((r) => r.map((v, i) => csvCell(v === null ? '' : hiveText(v, columns[i]))).join(','))].join('\n') + '\n';
    case 'table': {
      const cells = [columns.map((c) => c.name), ...rows.map((r) => r.map((v, i) => hiveText(v, columns[i])))];
      const widths = columns.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
      const line = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`;
      const fmt = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
      return [line, fmt(cells[0]!), line, ...cells.slice(1).map(fmt), line].join('\n') + `\n(${rows.length} row${rows.length === 1 ? '' : 's'})\n`;
    }
  }
}

/** Bytes in binary units: `512 B`, `1.50 KiB`, `12.3 MiB`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return `${v.toFixed(v < 10 ? 2 : 1)} ${units[u]}`;
}
