// What Athena would scan for a query: only the Parquet column chunks of the columns it
// reads, of the files left after partition pruning. Shoal's scan tasks download whole
// files, so the bytes they read are the upper bound; the column share of each table
// (from the Parquet footers) scales them down to Athena's figure.
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { JobMetrics } from '../lib/metrics/report.js';
import type { JobPlan } from '../lib/plan/job.js';
import { leaves } from '../lib/runtime/plan-stage.js';
import type { TpchManifest } from './tpch/manifest.js';
import { sqlString } from './tpch/writer.js';

/** Per table: each column's share of the table's file bytes. */
export type ColumnShares = ReadonlyMap<string, ReadonlyMap<string, number>>;

export async function columnShares(con: DuckDBConnection, warehouse: string, manifest: TpchManifest): Promise<ColumnShares> {
  const out = new Map<string, Map<string, number>>();
  for (const t of manifest.tables) {
    const files = t.files.map((f) => sqlString(join(warehouse, f.key))).join(', ');
    const r = await con.runAndReadAll(`SELECT path_in_schema AS c, sum(total_compressed_size) AS b FROM parquet_metadata([${files}]) GROUP BY 1`);
    out.set(t.name, new Map(r.getRowObjectsJS().map((row) => [String(row.c), Number(row.b) / t.bytes])));
  }
  return out;
}

/** Bytes Athena would scan: every table-reading stage's downloaded bytes times the share of the columns it reads. */
export function athenaScanBytes(plan: JobPlan, m: JobMetrics, shares: ColumnShares): number {
  let bytes = 0;
  for (const st of plan.statements) {
    if (st.kind !== 'dataflow') continue;
    for (const stage of st.stages) {
      const scan = leaves(stage.fragment).find((l) => l.kind === 'scan');
      if (!scan || scan.kind !== 'scan') continue;
      const share = shares.get(scan.table.name);
      const read = m.stages.find((s) => s.statement === st.index && s.id === stage.id)?.inputBytes ?? 0;
      // A table outside the manifest counts whole: no footer figures to scale by.
      const fraction = share ? scan.columns.reduce((a, c) => a + (share.get(c.name) ?? 0), 0) : 1;
      bytes += read * Math.min(1, fraction);
    }
  }
  return Math.round(bytes);
}
