// Partition directory names exactly as Hive writes them, so that Hive, Spark, Athena and
// DuckDB read the same partitions back.

export const HIVE_DEFAULT_PARTITION = '__HIVE_DEFAULT_PARTITION__';

// Hive's FileUtils.escapePathName escapes these besides control characters.
const SPECIAL = new Set(['"', '#', '%', "'", '*', '/', ':', '=', '?', '\\', '\u007f', '{', '[', ']', '^']);

export function escapePartitionValue(v: string): string {
  let out = '';
  for (const ch of v) {
    const code = ch.charCodeAt(0);
    if (code < 0x20 || SPECIAL.has(ch)) out += '%' + code.toString(16).toUpperCase().padStart(2, '0');
    else out += ch;
  }
  return out;
}

export function unescapePartitionValue(v: string): string {
  return v.replace(/%([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/** `ds=2008-04-08/hr=11`; a NULL or empty value is Hive's default partition. */
export function partitionPath(columns: readonly string[], values: readonly (string | null)[]): string {
  return columns
    .map((c, i) => {
      const v = values[i];
      return `${escapePartitionValue(c)}=${v === null || v === undefined || v === '' ? HIVE_DEFAULT_PARTITION : escapePartitionValue(v)}`;
    })
    .join('/');
}

/** The inverse of partitionPath; undefined when the path does not name exactly these columns. */
export function parsePartitionPath(columns: readonly string[], path: string): (string | null)[] | undefined {
  const parts = path.split('/').filter((p) => p !== '');
  if (parts.length !== columns.length) return undefined;
  const values: (string | null)[] = [];
  for (let i = 0; i < parts.length; i++) {
    const eq = parts[i]!.indexOf('=');
    if (eq < 0 || unescapePartitionValue(parts[i]!.slice(0, eq)).toLowerCase() !== columns[i]) return undefined;
    const raw = unescapePartitionValue(parts[i]!.slice(eq + 1));
    values.push(raw === HIVE_DEFAULT_PARTITION ? null : raw);
  }
  return values;
}
