// Reads a statement's result rows back from the store as typed JavaScript values.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { isIntegral, type HiveType } from '../common/types.js';
import type { ResultColumn } from '../plan/job.js';
import type { ObjectStore } from '../store/object-store.js';
import { quoteString } from '../exec/render-expr.js';

export type Value = null | boolean | number | string | Value[] | { [k: string]: Value };

export interface QueryResult {
  readonly statement: number;
  readonly text: string;
  readonly columns: readonly ResultColumn[];
  readonly rows: readonly (readonly Value[])[];
}

function convert(v: unknown, t: HiveType): Value {
  if (v === null || v === undefined) return null;
  switch (t.kind) {
    case 'array': return (v as unknown[]).map((x) => convert(x, t.element));
    case 'map': {
      const out: Record<string, Value> = {};
      for (const e of v as { key: unknown; value: unknown }[]) out[String(convert(e.key, t.key))] = convert(e.value, t.value);
      return out;
    }
    case 'struct': {
      const out: Record<string, Value> = {};
      for (const f of t.fields) out[f.name] = convert((v as Record<string, unknown>)[f.name], f.type);
      return out;
    }
    case 'primitive':
      if (t.name === 'boolean') return Boolean(v);
      if (isIntegral(t) || t.name === 'float' || t.name === 'double' || t.name === 'decimal') {
        const n = Number(v);
        return t.name === 'bigint' && !Number.isSafeInteger(n) ? String(v) : n;
      }
      return String(v);
  }
}

let db: Promise<DuckDBInstance> | undefined;

export async function readResult(store: ObjectStore, key: string | undefined, columns: readonly ResultColumn[]): Promise<(readonly Value[])[]> {
  if (!key) return [];
  const dir = await mkdtemp(join(tmpdir(), 'shoal-result-'));
  try {
    const local = join(dir, 'r.parquet');
    await store.getToFile(key, local);
    db ??= DuckDBInstance.create(':memory:', { threads: '1' });
    const con = await (await db).connect();
    try {
      const r = await con.runAndReadAll(`SELECT * FROM read_parquet(${quoteString(local)})`);
      return r.getRowsJson().map((row) => row.map((v, i) => convert(v, columns[i]!.type)));
    } finally {
      con.closeSync();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
