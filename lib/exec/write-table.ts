// A sink task's table files, written locally by DuckDB in one pass however many dynamic
// partitions the rows fall into. DuckDB groups the rows by a partition number only: the
// directory names are Shoal's (Hive's escaping and default partition), not DuckDB's.
import { readFile, stat } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Sink } from '../plan/job.js';
import type { ColumnInfo } from '../plan/nodes.js';
import { rows, run } from './duck.js';
import { quoteIdent, quoteString } from './render-expr.js';

export interface LocalFile {
  readonly path: string;
  readonly size: number;
  readonly rows: number;
  /** values of all partition columns (static first); undefined for an unpartitioned table */
  readonly partition?: readonly (string | null)[];
}

type TableSink = Extract<Sink, { kind: 'table' }>;

/** DuckDB COPY options for a table's storage format. */
export function copyFormat(sink: Pick<TableSink, 'format' | 'fieldDelimiter'>): string {
  return sink.format === 'textfile'
    ? `FORMAT csv, DELIMITER ${quoteString(sink.fieldDelimiter ?? '\u0001')}, HEADER false, QUOTE '', ESCAPE '', NULLSTR '\\N'`
    : 'FORMAT parquet';
}

/** Rows in a text file: Hive's text format cannot hold a newline inside a value. */
export async function countLines(path: string): Promise<number> {
  const b = await readFile(path);
  let n = 0;
  for (const byte of b) if (byte === 10) n++;
  return b.length > 0 && b[b.length - 1] !== 10 ? n + 1 : n;
}

/**
 * Writes the rows of `sql` (data columns, then the dynamic partition columns) as table
 * files below `out`; files without rows are left out.
 */
export async function writeTableFiles(con: DuckDBConnection, sink: TableSink, cols: readonly ColumnInfo[], sql: string, out: string): Promise<LocalFile[]> {
  const dynamic = sink.dynamicPartition.length;
  const dataCols = cols.slice(0, cols.length - dynamic);
  const dynCols = cols.slice(cols.length - dynamic);
  const names = dataCols.map((c) => `${quoteIdent(c.id)} AS ${quoteIdent(c.name)}`).join(', ') || '1 AS "__unit"';
  const staticValues = Object.values(sink.staticPartition);
  const text = sink.format === 'textfile';
  const written: { path: string; rows?: number; size?: number; partition?: (string | null)[] }[] = [];
  if (dynamic === 0) {
    const local = `${out}${text ? '.txt' : '.parquet'}`;
    await run(con, `COPY (SELECT ${names} FROM (${sql}) AS w) TO ${quoteString(local)} (${copyFormat(sink)})`);
    written.push({ path: local, partition: sink.partitionColumns.length ? staticValues : undefined });
  } else {
    // Hive maps NULL and the empty string alike to its default partition.
    const values = dynCols.map((c, i) => `NULLIF(CAST(${quoteIdent(c.id)} AS VARCHAR), '') AS "__v${i}"`);
    const order = dynCols.map((_, i) => `"__v${i}"`).join(', ');
    await run(con, `CREATE OR REPLACE TEMP TABLE sink_rows AS SELECT *, dense_rank() OVER (ORDER BY ${order}) - 1 AS "__pn" FROM (SELECT ${names}, ${values.join(', ')} FROM (${sql}) AS w) AS v`);
    try {
      const parts = await rows(con, `SELECT "__pn", ${order} FROM sink_rows GROUP BY ALL`);
      const valuesOf = new Map(parts.map((p) => [Number(p.__pn), dynCols.map((_, i) => (p[`__v${i}`] ?? null) as string | null)]));
      const keep = dataCols.map((c) => quoteIdent(c.name)).join(', ') || '"__unit"';
      const files = text
        ? (await rows(con, `COPY (SELECT ${keep}, "__pn" FROM sink_rows) TO ${quoteString(out)} (${copyFormat(sink)}, PARTITION_BY ("__pn"), RETURN_FILES true)`)).flatMap((r) => (r.Files as string[]).map((path) => ({ path })))
        : (await rows(con, `COPY (SELECT ${keep}, "__pn" FROM sink_rows) TO ${quoteString(out)} (${copyFormat(sink)}, PARTITION_BY ("__pn"), RETURN_STATS true)`)).map((r) => ({ path: String(r.filename), rows: Number(r.count), size: Number(r.file_size_bytes) }));
      for (const f of files) {
        const pn = Number(/__pn=(\d+)/.exec(f.path)![1]);
        written.push({ ...f, partition: [...staticValues, ...valuesOf.get(pn)!] });
      }
    } finally {
      await run(con, 'DROP TABLE IF EXISTS sink_rows');
    }
  }
  const result: LocalFile[] = [];
  for (const w of written.sort((a, b) => a.path.localeCompare(b.path))) {
    const size = w.size ?? (await stat(w.path)).size;
    const n = w.rows ?? (text ? await countLines(w.path) : await parquetRows(con, w.path));
    if (n > 0) result.push({ path: w.path, size, rows: n, partition: w.partition });
  }
  return result;
}

export async function parquetRows(con: DuckDBConnection, path: string): Promise<number> {
  const r = await rows(con, `SELECT sum(num_rows) AS n FROM parquet_file_metadata(${quoteString(path)})`);
  return Number(r[0]?.n ?? 0);
}
