// Issue 9's figure: what a JavaScript scalar function costs against the built-in that
// computes the same, on 10M rows, through the very path a task takes (the module put in
// the warehouse by hash, fetched, verified, registered and called through its macro);
// then a whole job with and without one over lineitem.
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { T, type HiveType } from '../../lib/common/types.js';
import { duck, rows } from '../../lib/exec/duck.js';
import { renderExpr } from '../../lib/exec/render-expr.js';
import { prepareUserFunctions } from '../../lib/runtime/udf-modules.js';
import { openStore } from '../../lib/store/open-store.js';
import { blobKey, type UdfDef } from '../../lib/udf/model.js';
import type { BenchSection, SectionContext } from './section.js';

const ROWS = 10_000_000;
const MODULE = `export const upper = (s) => s.toUpperCase();
export const affine = (x) => x * 3 + 1;
`;

/** `total` folds the results to one number, the same for both sides, so neither side's output costs more to bring back */
interface Pair { readonly name: string; readonly fn: string; readonly arg: HiveType; readonly returns: HiveType; readonly column: string; readonly builtin: string; readonly total: (e: string) => string }
const PAIRS: readonly Pair[] = [
  { name: "upper(string)", fn: 'upper', arg: T.string, returns: T.string, column: `'row ' || range`, builtin: 'upper("c")', total: (e) => `sum(length(${e}) + ascii(${e}))` },
  { name: 'x * 3 + 1 (double)', fn: 'affine', arg: T.double, returns: T.double, column: 'CAST(range AS DOUBLE)', builtin: '"c" * 3 + 1', total: (e) => `sum(${e})` },
];

/** The faster of two timed runs. */
const best = <R extends { seconds: number }>(a: R, b: R): R => (a.seconds <= b.seconds ? a : b);

interface Figures { readonly name: string; readonly rows: number; readonly udfSeconds: number; readonly builtinSeconds: number; readonly ratio: number }

/**
 * The same through a whole Shoal job (CREATE TEMPORARY FUNCTION, planning, the module's
 * upload and every task's fetch): upper() of every l_comment against the JS one.
 */
async function wholeJob(ctx: SectionContext): Promise<Figures> {
  const dir = await mkdtemp(join(tmpdir(), 'shoal-bench-udf-'));
  try {
    const file = join(dir, 'upper.mjs');
    await writeFile(file, `${MODULE}export const meta = { upper: { args: ['string'], returns: 'string', nullOnNullInput: true } };\n`);
    const settings = { 'shoal.udf.allowed-locations': dir };
    const total = (e: string) => `SELECT count(*) AS n, sum(length(${e}) + ascii(${e})) AS t FROM tpch.lineitem`;
    const time = async (sql: string) => {
      const start = performance.now();
      const r = await ctx.run(sql, { settings });
      return { seconds: (performance.now() - start) / 1000, row: r.results.at(-1)!.rows[0]!.map(String) };
    };
    const withUdf = `CREATE TEMPORARY FUNCTION js_upper AS 'upper' USING FILE '${file}'; ${total('js_upper(l_comment)')}`;
    // alternating, best of two each, as above
    const b1 = await time(total('upper(l_comment)'));
    const u1 = await time(withUdf);
    const builtin = best(b1, await time(total('upper(l_comment)')));
    const user = best(u1, await time(withUdf));
    if (user.row.join() !== builtin.row.join()) throw new Error(`udf section: the job with js_upper gave ${user.row.join()}, with upper ${builtin.row.join()}`);
    const rowsRead = Number(builtin.row[0]);
    ctx.log(`  job over lineitem: JS ${user.seconds.toFixed(2)} s, built-in ${builtin.seconds.toFixed(2)} s`);
    return { name: `job: upper(l_comment), SF ${ctx.sf}`, rows: rowsRead, udfSeconds: user.seconds, builtinSeconds: builtin.seconds, ratio: user.seconds / builtin.seconds };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export const udf: BenchSection = {
  name: 'udf',
  title: `User functions: a JS scalar UDF against the equivalent built-in (${ROWS.toLocaleString('en')} rows on one task's DuckDB; a whole job over lineitem)`,
  async run(ctx) {
    const store = openStore(ctx.warehouse);
    const hash = createHash('sha256').update(MODULE).digest('hex');
    await store.put(blobKey(hash), MODULE);
    const defs: UdfDef[] = PAIRS.map((p) => ({ name: `bench_${p.fn}`, kind: 'scalar', export: p.fn, hash, location: 'bench/sections/udf.ts', args: [p.arg], returns: p.returns, nullOnNullInput: true, temporary: true }));
    const con = await duck();
    const runs: Figures[] = [];
    try {
      await prepareUserFunctions(store, defs, con);
      for (const [i, p] of PAIRS.entries()) {
        const udfCall = renderExpr({ kind: 'call', fn: defs[i]!.name, udf: true, args: [{ kind: 'ref', id: 'c', type: p.arg }], type: p.returns });
        const time = async (expr: string) => {
          const start = performance.now();
          const r = await rows(con, `SELECT CAST(${p.total(expr)} AS VARCHAR) AS n FROM (SELECT ${p.column} AS "c" FROM range(${ROWS})) AS t`);
          return { seconds: (performance.now() - start) / 1000, n: String(r[0]!.n) };
        };
        // alternating, best of two each: the machine is shared and the first run warms up
        const b1 = await time(p.builtin);
        const u1 = await time(udfCall);
        const builtin = best(b1, await time(p.builtin));
        const user = best(u1, await time(udfCall));
        if (user.n !== builtin.n) throw new Error(`udf section: ${p.name} totals ${user.n}, the built-in ${builtin.n}`);
        const f = { name: `one task: ${p.name}`, rows: ROWS, udfSeconds: user.seconds, builtinSeconds: builtin.seconds, ratio: user.seconds / builtin.seconds };
        ctx.log(`  ${p.name}: JS ${f.udfSeconds.toFixed(2)} s, built-in ${f.builtinSeconds.toFixed(2)} s`);
        runs.push(f);
      }
    } finally {
      con.closeSync();
    }
    const job = await wholeJob(ctx);
    runs.push(job);
    const lines = runs.map((r) => `${r.name.padEnd(38)} JS UDF ${r.udfSeconds.toFixed(2).padStart(6)} s  built-in ${r.builtinSeconds.toFixed(2).padStart(6)} s  ratio ${r.ratio.toFixed(1)}x  (${r.rows.toLocaleString('en')} rows, ${(r.udfSeconds * 1e9 / r.rows).toFixed(0)} ns per row)`);
    return { lines, data: { runs } };
  },
};
