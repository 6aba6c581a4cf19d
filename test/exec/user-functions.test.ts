// User functions on a task's DuckDB: modules fetched from a real store by hash, checked,
// registered and called through the SQL the renderers write; results compared with the
// same logic written in DuckDB SQL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { T, decimal, type HiveType } from '../../lib/common/types.js';
import { duck, rows } from '../../lib/exec/duck.js';
import { renderAgg, renderExpr } from '../../lib/exec/render-expr.js';
import { renderGenerate } from '../../lib/exec/render-generate.js';
import { userFunctionError } from '../../lib/exec/user-functions.js';
import type { AggCall, BExpr, GenerateNode } from '../../lib/plan/nodes.js';
import { prepareUserFunctions } from '../../lib/runtime/udf-modules.js';
import { LocalStore } from '../../lib/store/local-store.js';
import { blobKey, type UdfDef } from '../../lib/udf/model.js';

// a fresh comment per run: no container cache from an earlier run can stand in for the upload
const MODULE = `// ${Math.random()}
export function greet(name, n) { return name + '#' + n; }
export function boom(x) { if (x === 13) throw new Error('unlucky ' + x); return x; }
export function shift(d, ts, amount) { return { d, ts, amount }; }
export function nextDay(d) { const t = new Date(d + 'T00:00:00Z'); t.setUTCDate(t.getUTCDate() + 1); return t.toISOString().slice(0, 10); }
export function nulls(x) { return x === null ? 'saw null' : 'saw ' + x; }
export function big(x) { return x * 3n; }
export const sumsq = {
  init: () => ({ s: 0n, n: 0 }),
  add: (st, x) => ({ s: st.s + BigInt(x) * BigInt(x), n: st.n + 1 }),
  merge: (a, b) => ({ s: a.s + b.s, n: a.n + b.n }),
  finish: (st) => st.s,
};
export function* pairs(s) { for (const [i, w] of s.split(' ').entries()) if (w) yield [i, w]; }
`;
const HASH = createHash('sha256').update(MODULE).digest('hex');

const def = (name: string, kind: UdfDef['kind'], args: HiveType[], returns: HiveType, more: Partial<UdfDef> = {}): UdfDef =>
  ({ name, kind, export: name.replace(/^.*\./, ''), hash: HASH, location: '/tmp/udfs.mjs', args, returns, nullOnNullInput: true, temporary: true, ...more });
const UDFS: UdfDef[] = [
  def('greet', 'scalar', [T.string, T.int], T.string),
  def('boom', 'scalar', [T.int], T.int),
  def('nextday', 'scalar', [T.date], T.date, { export: 'nextDay' }),
  def('shift', 'scalar', [T.date, T.timestamp, decimal(10, 2)], { kind: 'struct', fields: [{ name: 'd', type: T.string }, { name: 'ts', type: T.string }, { name: 'amount', type: T.double }] }),
  def('nulls', 'scalar', [T.int], T.string, { nullOnNullInput: false }),
  def('nulls_skipped', 'scalar', [T.int], T.string, { export: 'nulls' }),
  def('big', 'scalar', [T.bigint], T.bigint),
  def('db1.sumsq', 'aggregate', [T.int], T.bigint),
  def('pairs', 'table', [T.string], { kind: 'struct', fields: [{ name: 'pos', type: T.int }, { name: 'word', type: T.string }] }),
];
const ref = (id: string, type: HiveType): BExpr => ({ kind: 'ref', id, type });
const call = (fn: string, type: HiveType, ...args: BExpr[]): BExpr => ({ kind: 'call', fn, args, type, udf: true });
const agg = (a: Partial<AggCall>): AggCall => ({ col: { id: 'r', name: 'r', type: T.bigint }, fn: 'db1.sumsq', args: [ref('x', T.int)], distinct: false, udf: true, ...a });

describe('user functions on a task connection', () => {
  let dir: string;
  let store: LocalStore;
  let con: DuckDBConnection;
  const q = async (sql: string) => (await rows(con, sql)).map((r) => Object.values(r));
  const DATA = `(SELECT CAST(x AS INT) AS x, CAST(x % 3 AS INT) AS g, 'w' || x AS s FROM range(1, 30) t(x)) AS d`;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'shoal-udf-'));
    store = new LocalStore(dir);
    await store.put(blobKey(HASH), MODULE);
    con = await duck();
    await prepareUserFunctions(store, UDFS, con);
  });
  after(async () => {
    con?.closeSync();
    await rm(dir, { recursive: true, force: true });
  });

  test('a scalar function gives what the same logic in SQL gives, NULL without a call when it declares nullOnNullInput', async () => {
    const e = call('greet', T.string, ref('s', T.string), ref('x', T.int));
    const got = await q(`SELECT ${renderExpr(e)} FROM (SELECT * FROM ${DATA} UNION ALL SELECT NULL, NULL, 'z') AS p ORDER BY x NULLS LAST`);
    const want = await q(`SELECT s || '#' || x FROM (SELECT * FROM ${DATA} UNION ALL SELECT NULL, NULL, 'z') AS p ORDER BY x NULLS LAST`);
    assert.deepEqual(got, want);
    assert.equal(got.at(-1)![0], null);
  });

  test('without nullOnNullInput the function sees NULL, also a constant one', async () => {
    const got = await q(`SELECT ${renderExpr(call('nulls', T.string, ref('x', T.int)))}, ${renderExpr(call('nulls', T.string, { kind: 'lit', value: null, type: T.int }))}, ${renderExpr(call('nulls_skipped', T.string, ref('x', T.int)))} FROM (SELECT NULL::INT AS x UNION ALL SELECT 4) AS p ORDER BY x NULLS FIRST`);
    assert.deepEqual(got, [['saw null', 'saw null', null], ['saw 4', 'saw null', 'saw 4']]);
  });

  test('dates, timestamps, decimals and bigints cross as model.ts maps them, both ways', async () => {
    const got = await q(`SELECT ${renderExpr(call('nextday', T.date, ref('d', T.date)))}, ${renderExpr(call('shift', UDFS[3]!.returns, ref('d', T.date), ref('ts', T.timestamp), ref('m', decimal(10, 2))))}::VARCHAR, ${renderExpr(call('big', T.bigint, ref('b', T.bigint)))}
      FROM (SELECT DATE '2024-02-28' AS d, TIMESTAMP '2024-01-02 03:04:05.25' AS ts, 12.50::DECIMAL(10,2) AS m, 3000000000000000000::BIGINT AS b) AS p`);
    const want = await q(`SELECT DATE '2024-02-29', {'d': '2024-02-28', 'ts': '2024-01-02 03:04:05.25', 'amount': 12.5}::VARCHAR, 9000000000000000000::BIGINT`);
    assert.deepEqual(got, want);
  });


  test('a result outside the declared type fails with the function name and the row', async () => {
    await assert.rejects(q(`SELECT ${renderExpr(call('big', T.bigint, ref('b', T.bigint)))} FROM (SELECT 4000000000000000000::BIGINT AS b) AS p`), (e: unknown) => {
      const err = userFunctionError(e);
      assert.ok(err);
      assert.match(err.message, /^user function big \(\/tmp\/udfs\.mjs#big\) failed: returned bigint 12000000000000000000 where bigint was declared \(arguments: \["4000000000000000000"\]\)/);
      assert.equal(err.retryable, false);
      return true;
    });
  });

  test('an exception in user code fails the query with the function name, its message and the arguments', async () => {
    await assert.rejects(q(`SELECT ${renderExpr(call('boom', T.int, ref('x', T.int)))} FROM ${DATA}`), (e: unknown) => {
      const err = userFunctionError(e);
      assert.equal(err?.message, 'user function boom (/tmp/udfs.mjs#boom) failed: unlucky 13 (arguments: [13])');
      assert.equal(err?.kind, 'task');
      return true;
    });
  });

  test('an aggregate in one step, and split into partial states merged after a regrouping, equals sum(x*x)', async () => {
    const want = await q(`SELECT g, sum(x * x) FROM ${DATA} GROUP BY g ORDER BY g`);
    assert.deepEqual(await q(`SELECT g, ${renderAgg(agg({}))} FROM ${DATA} GROUP BY g ORDER BY g`), want);
    // partial states per (g, x % 4) as tasks would write them, merged per g
    const partial = `SELECT g, ${renderAgg(agg({ udfStep: 'state' }))} AS st FROM ${DATA} GROUP BY g, x % 4`;
    assert.deepEqual(await q(`SELECT g, ${renderAgg(agg({ udfStep: 'merge', args: [ref('st', T.string)] }))} FROM (${partial}) AS p GROUP BY g ORDER BY g`), want);
    // a global aggregate over no rows finishes the initial state; DISTINCT and windows fold what list() collects
    assert.deepEqual(await q(`SELECT ${renderAgg(agg({ udfStep: 'merge', args: [ref('st', T.string)] }))} FROM (SELECT 'x' AS st) AS p WHERE false`), [[0n]]);
    assert.deepEqual(await q(`SELECT ${renderAgg(agg({ distinct: true }))} FROM (SELECT CAST(x % 5 AS INT) AS x FROM range(100) t(x)) AS p`), await q(`SELECT sum(DISTINCT x * x) FROM range(5) t(x)`));
    assert.deepEqual(await q(`SELECT x, ${renderAgg(agg({}), 'ORDER BY x ROWS BETWEEN 1 PRECEDING AND CURRENT ROW')} FROM ${DATA} ORDER BY x`),
      await q(`SELECT x, sum(x * x) OVER (ORDER BY x ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM ${DATA} ORDER BY x`));
  });

  test('a table function unnests into rows, LATERAL VIEW OUTER keeping a row that generates nothing', async () => {
    const node = (outer: boolean): GenerateNode => ({
      kind: 'generate', input: { kind: 'values', columns: [], rows: [] }, fn: 'pairs', udf: true, outer,
      args: [ref('s', T.string)], columns: [{ id: 'pos', name: 'pos', type: T.int }, { id: 'word', name: 'word', type: T.string }],
    });
    const input = `SELECT * FROM (VALUES (1, 'a bb  c'), (2, ''), (3, NULL)) AS v(k, s)`;
    const want = `SELECT k, CAST(u.i - 1 AS INT), u.w FROM (${input}) AS i, unnest(string_split(s, ' ')) WITH ORDINALITY AS u(w, i) WHERE u.w <> ''`;
    assert.deepEqual(await q(`SELECT k, pos, word FROM (${renderGenerate(node(false), input)}) AS g ORDER BY k, pos`), await q(`${want} ORDER BY 1, 2`));
    assert.deepEqual(await q(`SELECT k, pos, word FROM (${renderGenerate(node(true), input)}) AS g ORDER BY k, pos`), await q(`${want} UNION ALL SELECT k, NULL, NULL FROM (${input}) AS i WHERE k > 1 ORDER BY 1, 2`));
  });

  test('a module whose bytes differ from the planned hash is refused before anything of it runs', async () => {
    const other = { ...UDFS[0]!, hash: createHash('sha256').update(`${MODULE}// v2`).digest('hex') };
    await store.put(blobKey(other.hash), `${MODULE}// v3`);
    const c = await duck();
    try {
      await assert.rejects(prepareUserFunctions(store, [other], c), (e: Error) => {
        assert.match(e.message, new RegExp(`user function greet: the module at blobs/${other.hash}\\.mjs \\(from /tmp/udfs\\.mjs\\) has sha256 [0-9a-f]{64}, the plan expects ${other.hash}`));
        assert.equal((e as { retryable?: boolean }).retryable, false);
        return true;
      });
    } finally {
      c.closeSync();
    }
  });
});
