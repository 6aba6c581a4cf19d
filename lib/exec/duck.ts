// One DuckDB database per container (per Lambda sandbox, per local worker), created on
// first use: opening DuckDB costs more than most small tasks.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

let instance: Promise<DuckDBInstance> | undefined;

export async function duck(): Promise<DuckDBConnection> {
  instance ??= DuckDBInstance.create(':memory:', {
    threads: process.env.SHOAL_DUCKDB_THREADS ?? '2',
    preserve_insertion_order: 'true',
  });
  return (await instance).connect();
}

export async function run(con: DuckDBConnection, sql: string): Promise<void> {
  await con.run(sql);
}

export async function rows(con: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  const r = await con.runAndReadAll(sql);
  return r.getRowObjectsJS() as Record<string, unknown>[];
}
