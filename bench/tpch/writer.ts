// Turns generated rows into Parquet part files. Rows go through a DuckDB staging table
// per batch; while DuckDB encodes one batch to Parquet (on its own threads), JS fills
// the other staging slot, so generation and encoding overlap.
import { join } from 'node:path';
import type { DuckDBAppender, DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { publishSelect, SCHEMAS, stagingDdl, type BaseTable } from './schema.js';

export const partFileName = (n: number): string => `part-${String(n).padStart(5, '0')}.parquet`;

export function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

export class PartWriter {
  private readonly slots: DuckDBConnection[] = [];
  private batches = 0;
  private pending: Promise<void> = Promise.resolve();
  private readonly fileCounts = new Map<BaseTable, number>();

  private constructor(private readonly dbDir: string) {}

  static async open(db: DuckDBInstance, dbDir: string): Promise<PartWriter> {
    const w = new PartWriter(dbDir);
    w.slots.push(await db.connect(), await db.connect());
    return w;
  }

  /**
   * Runs `fill` with one appender per table, then writes each table's rows as its next
   * part file. Returns once the rows are staged; the Parquet write finishes later.
   */
  async batch(tables: readonly BaseTable[], fill: (sinks: DuckDBAppender[]) => void): Promise<void> {
    const slot = this.batches++ % 2;
    const con = this.slots[slot]!;
    const staged = tables.map((t) => `stage${slot}_${t}`);
    const sinks: DuckDBAppender[] = [];
    for (let i = 0; i < tables.length; i++) {
      await con.run(`DROP TABLE IF EXISTS ${staged[i]}`);
      await con.run(stagingDdl(staged[i]!, SCHEMAS[tables[i]!]));
      sinks.push(await con.createAppender(staged[i]!));
    }
    fill(sinks);
    for (const s of sinks) s.closeSync();

    // One encode in flight at a time: it also guarantees this slot's previous batch is gone.
    await this.pending;
    const targets = tables.map((t) => {
      const n = this.fileCounts.get(t) ?? 0;
      this.fileCounts.set(t, n + 1);
      return join(this.dbDir, t, partFileName(n));
    });
    this.pending = (async () => {
      for (let i = 0; i < tables.length; i++) {
        await con.run(
          `COPY (SELECT ${publishSelect(SCHEMAS[tables[i]!])} FROM ${staged[i]}) TO ${sqlString(targets[i]!)} (FORMAT parquet)`,
        );
        await con.run(`DROP TABLE ${staged[i]}`);
      }
    })();
    // Failures surface at the next await of `pending`; this only stops Node calling them unhandled.
    this.pending.catch(() => {});
  }

  async close(): Promise<void> {
    await this.pending;
    for (const con of this.slots) con.closeSync();
  }
}
