// Extra benchmark sections: other issues' measurements (shuffle requests, partitioned
// writes, compaction, …) run after the TPC-H queries in the same process run, over the
// same warehouse and worker pool. A section is a name and a function; add one by
// writing bench/sections/<name>.ts and listing it in bench/sections/index.ts.
import type { RunResult } from '../../lib/local/runner.js';
import type { TpchManifest } from '../tpch/manifest.js';
import type { QueryOutcome } from '../report.js';

export interface SectionContext {
  readonly sf: number;
  readonly quick: boolean;
  /** the warehouse holding database `tpch`; sections may create their own databases in it */
  readonly warehouse: string;
  readonly manifest: TpchManifest;
  /** the TPC-H queries' outcomes, with each query's job report */
  readonly queries: readonly QueryOutcome[];
  /** runs a script on Shoal's local runner (the benchmark's pool); `keepJobFiles` leaves `_jobs/<id>` for inspection */
  run(sql: string, opts?: { readonly settings?: Readonly<Record<string, string>>; readonly keepJobFiles?: boolean }): Promise<RunResult>;
  log(line: string): void;
}

export interface SectionResult {
  /** what stdout shows */
  readonly lines: readonly string[];
  /** what goes into the results JSON under `sections.<name>` */
  readonly data: unknown;
}

export interface BenchSection {
  readonly name: string;
  readonly title: string;
  run(ctx: SectionContext): Promise<SectionResult>;
}
