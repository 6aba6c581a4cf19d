// The 22 TPC-H queries as files: queries/qNN.sql is Hive dialect; queries/duckdb/qNN.sql
// exists only where DuckDB needs different text (currently none: every query runs as is).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export const QUERY_NUMBERS: readonly number[] = Array.from({ length: 22 }, (_, i) => i + 1);

const dir = fileURLToPath(new URL('./queries/', import.meta.url));
const fileName = (n: number) => `q${String(n).padStart(2, '0')}.sql`;

export async function loadQuery(n: number, engine: 'hive' | 'duckdb' = 'hive'): Promise<string> {
  const specific = `${dir}duckdb/${fileName(n)}`;
  const path = engine === 'duckdb' && existsSync(specific) ? specific : `${dir}${fileName(n)}`;
  return readFile(path, 'utf8');
}

/** Whether a query's result is known to be ordered by its ORDER BY (all but the single-row ones). */
export function isOrderedQuery(text: string): boolean {
  return /\border\s+by\b/i.test(text);
}
