// A suite of SQL cases run on Shoal and on DuckDB over the e2e tables, compared row for
// row. `duck` is the reference SQL where Hive's semantics must be spelled out for DuckDB;
// `settings` force multi-task plans so the exchange paths run.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { normRows, type Reference, type Shoal } from '../support/engines.js';
import { startLoaded } from './setup.js';

export interface Case {
  readonly name: string;
  readonly sql: string;
  readonly duck?: string;
  readonly ordered?: boolean;
  readonly settings?: Readonly<Record<string, string>>;
}

/** Many small tasks: 8 fine partitions per shuffle and at least 4 tasks per stage. */
export const MULTI_TASK = { 'shoal.shuffle.partitions': '8', 'shoal.adaptive.min-parallelism': '4' } as const;

export interface SuiteOptions {
  /** more tables, created in both engines after the common ones */
  readonly setup?: (shoal: Shoal, ref: Reference, dir: string) => Promise<void>;
  /** more tests of the suite, with the engines it started */
  readonly extra?: (env: () => { shoal: Shoal; ref: Reference }) => void;
}

export function compareSuite(title: string, cases: readonly Case[], opts: SuiteOptions = {}): void {
  describe(title, () => {
    let shoal: Shoal;
    let ref: Reference;
    let close: () => Promise<void> = async () => undefined;
    before(async () => {
      let genDir: string;
      ({ shoal, ref, genDir, close } = await startLoaded());
      await opts.setup?.(shoal, ref, genDir);
    });
    after(() => close());
    for (const c of cases) {
      test(c.name, async () => {
        const got = await shoal.query(c.sql, c.settings);
        const want = await ref.query(c.duck ?? c.sql);
        assert.deepEqual(normRows(got, !!c.ordered), normRows(want, !!c.ordered));
      });
    }
    opts.extra?.(() => ({ shoal, ref }));
  });
}
