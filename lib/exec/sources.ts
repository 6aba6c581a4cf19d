// The SQL relations a task's leaves read: table splits downloaded to local files, and
// shuffle partitions fetched from upstream map outputs. Columns come out named by id.
import { join } from 'node:path';
import { duckType, T, type HiveType } from '../common/types.js';
import type { TableMeta } from '../catalog/model.js';
import type { ColumnInfo, ScanNode, ShuffleReadNode } from '../plan/nodes.js';
import { quoteIdent, quoteString, renderCast, renderExpr } from './render-expr.js';
import { textCollection } from './text-collections.js';
import { PARTITION_COLUMN, type ShuffleFile } from '../shuffle/shuffle.js';

export function emptyRelation(columns: readonly ColumnInfo[]): string {
  if (columns.length === 0) return `SELECT 1 AS "__unit" WHERE FALSE`;
  return `SELECT ${columns.map((c) => `CAST(NULL AS ${duckType(c.type)}) AS ${quoteIdent(c.id)}`).join(', ')} WHERE FALSE`;
}

const list = (paths: readonly string[]) => `[${paths.map(quoteString).join(', ')}]`;

/** A group of local files of one partition (or of an unpartitioned table). */
export interface LocalSplitGroup {
  readonly paths: readonly string[];
  readonly partition?: readonly (string | null)[];
  /** rows [first, end) of the one Parquet file in `paths` */
  readonly rows?: readonly [number, number];
}

export function scanRelation(node: ScanNode, table: TableMeta, groups: readonly LocalSplitGroup[]): string {
  const nonEmpty = groups.filter((g) => g.paths.length > 0);
  if (nonEmpty.length === 0) return emptyRelation(node.columns);
  const dataNames = table.columns.map((c) => c.name);
  const select = (g: LocalSplitGroup, from: string, dataExpr: (c: ColumnInfo, i: number) => string) => {
    const cols = node.columns.map((c) => {
      const pi = table.partitionColumns.findIndex((p) => p.name === c.name);
      if (pi >= 0) {
        const v = g.partition?.[pi] ?? null;
        return `${renderExpr({ kind: 'cast', expr: { kind: 'lit', value: v, type: T.string }, type: c.type })} AS ${quoteIdent(c.id)}`;
      }
      return `${dataExpr(c, dataNames.indexOf(c.name))} AS ${quoteIdent(c.id)}`;
    });
    return `SELECT ${cols.length ? cols.join(', ') : '1 AS "__unit"'} FROM ${from}`;
  };
  const parts = nonEmpty.map((g) => {
    if (table.format === 'textfile') {
      const columns = `{${dataNames.map((n, i) => `${quoteString(`f${i}`)}: 'VARCHAR'`).join(', ')}}`;
      const delim = quoteString(table.fieldDelimiter ?? '\u0001');
      const nullstr = quoteString(table.nullFormat ?? '\\N');
      const from = `read_csv(${list(g.paths)}, delim=${delim}, header=false, quote='', escape='', columns=${columns}, auto_detect=false, null_padding=true, nullstr=${nullstr}, strict_mode=false)`;
      return select(g, from, (c, i) => (c.type.kind === 'primitive' ? textField(`"f${i}"`, c.type) : textCollection(`"f${i}"`, c.type, table)));
    }
    // A column added by ALTER TABLE … ADD COLUMNS is missing from older files: the empty
    // relation UNIONed by name supplies it as NULL, as Hive reads it.
    const declared = table.columns.map((c) => `CAST(NULL AS ${duckType(c.type)}) AS ${quoteIdent(c.name)}`).join(', ');
    const read = g.rows
      ? `SELECT * EXCLUDE (file_row_number) FROM read_parquet(${list(g.paths)}, union_by_name=true, file_row_number=true) WHERE file_row_number >= ${g.rows[0]} AND file_row_number < ${g.rows[1]}`
      : `SELECT * FROM read_parquet(${list(g.paths)}, union_by_name=true)`;
    // Without data columns (a count, partition columns only) the rows come from the footers
    // alone; through the UNION DuckDB would read the files' first column for them.
    const readsData = node.columns.some((c) => !table.partitionColumns.some((p) => p.name === c.name));
    const from = readsData ? `(${read} UNION ALL BY NAME SELECT ${declared} WHERE FALSE) AS pq` : `(${read}) AS pq`;
    return select(g, from, (c) => `TRY_CAST(${quoteIdent(c.name)} AS ${duckType(c.type)})`);
  });
  return parts.join(' UNION ALL ');
}

/** A text field as Hive's LazySimpleSerDe reads it: strings as they are, other types parsed, NULL where they do not parse. */
function textField(field: string, type: HiveType): string {
  if (type.kind === 'primitive' && ['string', 'varchar', 'char'].includes(type.name)) return field;
  return renderCast(field, T.string, type);
}

export function shuffleRelation(node: ShuffleReadNode, files: readonly ShuffleFile[]): string {
  if (files.length === 0) return emptyRelation(node.columns);
  const cols = node.columns.map((c) => quoteIdent(c.id)).join(', ') || '1 AS "__unit"';
  // Files of one partition each are read together; combined files hold every partition and keep the reader's.
  const groups = new Map<string, string[]>();
  for (const f of files) {
    const k = f.partitions ? `${f.partitions[0]},${f.partitions[1]}` : '';
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(f.path);
  }
  return [...groups].map(([k, paths]) => {
    const [start, end] = k.split(',');
    const where = k === '' ? '' : ` WHERE ${quoteIdent(PARTITION_COLUMN)} >= ${start} AND ${quoteIdent(PARTITION_COLUMN)} < ${end}`;
    return `SELECT ${cols} FROM read_parquet(${list(paths)})${where}`;
  }).join(' UNION ALL ');
}

export const localPath = (dir: string, i: number, key: string) => join(dir, `in-${i}-${key.split('/').pop()}`);
