// One DuckDB database per container (per Lambda sandbox, per local worker), created on
// first use: opening DuckDB costs more than most small tasks.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { registerHiveUdfs } from './udfs.js';

let instance: Promise<DuckDBInstance> | undefined;
let udfConnection: DuckDBConnection | undefined;

async function open(): Promise<DuckDBInstance> {
  const db = await DuckDBInstance.create(':memory:', {
    threads: process.env.SHOAL_DUCKDB_THREADS ?? '2',
    preserve_insertion_order: 'true',
  });
  // the functions live in the database's catalog; the connection that registered them is kept open with it
  udfConnection = await db.connect();
  registerHiveUdfs(udfConnection);
  return db;
}

/** The connection functions are registered through (they then exist for every connection of the database). */
export async function functionRegistry(): Promise<DuckDBConnection> {
  instance ??= open();
  await instance;
  return udfConnection!;
}

export async function duck(): Promise<DuckDBConnection> {
  instance ??= open();
  return (await instance).connect();
}

/** A connection whose DuckDB TimeZone is Hive's session time zone (what unix_timestamp and from_unixtime use). */
export async function duckSession(timeZone: string): Promise<DuckDBConnection> {
  const con = await duck();
  await con.run(`SET TimeZone = '${timeZone.replace(/'/g, "''")}'`);
  return con;
}

export async function run(con: DuckDBConnection, sql: string): Promise<void> {
  await con.run(sql);
}

export async function rows(con: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  const r = await con.runAndReadAll(sql);
  return r.getRowObjectsJS() as Record<string, unknown>[];
}
