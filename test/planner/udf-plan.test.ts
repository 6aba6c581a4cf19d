// User functions at plan time (issue 9): modules are read, hashed, imported and checked
// before anything runs; calls are type-checked against the declared signature; the
// statement lists exactly the functions it calls; modules go to the warehouse once,
// content-addressed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyCatalog, type CatalogState } from '../../lib/catalog/model.js';
import { formatError, isShoalError } from '../../lib/common/errors.js';
import type { JobPlan, StatementPlan } from '../../lib/plan/job.js';
import { inputsOf, type AggregateNode, type BExpr, type GenerateNode, type PlanNode } from '../../lib/plan/nodes.js';
import { planJob } from '../../lib/planner/plan-job.js';
import { shadowRewriter } from '../../lib/compare/shadow-rewrite.js';
import { LocalStore } from '../../lib/store/local-store.js';
import { blobKey } from '../../lib/udf/model.js';
import { moduleHash } from '../../lib/udf/module.js';

const STRINGS = `
export const meta = {
  shout: { args: ['string'], returns: 'string', nullOnNullInput: true },
  plus: { args: ['bigint', 'double'], returns: 'double' },
  total: { args: ['int'], returns: 'bigint' },
  words: { args: ['string'], returns: 'struct<word:string,pos:int>' },
};
export function shout(s) { return s.toUpperCase() + '!'; }
export function plus(a, b) { return Number(a) + b; }
export const total = { init: () => 0, add: (s, x) => s + x, merge: (a, b) => a + b, finish: (s) => BigInt(s) };
export function* words(s) { let i = 0; for (const w of s.split(' ')) yield [w, i++]; }
`;

interface Dir { readonly dir: string; readonly warehouse: LocalStore; plan(sql: string, opts?: { settings?: Record<string, string>; catalog?: CatalogState }): Promise<JobPlan> }

/** A script directory with `strings.mjs` in it (plus `files`), and a warehouse beside it. */
async function scriptDir(files: Record<string, string> = {}): Promise<Dir> {
  const dir = await mkdtemp(join(tmpdir(), 'shoal-udf-plan-'));
  await writeFile(join(dir, 'strings.mjs'), STRINGS);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  const warehouse = new LocalStore(join(dir, 'wh'));
  return {
    dir, warehouse,
    plan: (sql, o = {}) => planJob(sql, { file: join(dir, 'job.sql'), catalog: o.catalog ?? emptyCatalog(), store: warehouse, ...(o.settings && { settings: o.settings }) }),
  };
}

async function inScriptDir(files: Record<string, string>, body: (d: Dir) => Promise<void>): Promise<void> {
  const d = await scriptDir(files);
  try {
    await body(d);
  } finally {
    await rm(d.dir, { recursive: true, force: true });
  }
}

/** The job fails at planning with exactly this `file:line:col: message`. */
async function planError(d: Dir, sql: string, expected: RegExp, opts?: { settings?: Record<string, string>; catalog?: CatalogState }): Promise<void> {
  await assert.rejects(d.plan(sql, opts), (e: unknown) => {
    assert.ok(isShoalError(e), String(e));
    assert.match(formatError(e), expected);
    return true;
  });
}

const dataflow = (p: JobPlan, i = p.statements.length - 1) => {
  const st = p.statements[i]!;
  assert.equal(st.kind, 'dataflow');
  return st as Extract<StatementPlan, { kind: 'dataflow' }>;
};

function nodes(st: Extract<StatementPlan, { kind: 'dataflow' }>): PlanNode[] {
  const out: PlanNode[] = [];
  const walk = (n: PlanNode) => { out.push(n); inputsOf(n).forEach(walk); };
  st.stages.forEach((s) => walk(s.fragment));
  return out;
}

function calls(e: BExpr, out: Extract<BExpr, { kind: 'call' }>[] = []) {
  if (e.kind === 'call') { out.push(e); e.args.forEach((a) => calls(a, out)); }
  if (e.kind === 'cast') calls(e.expr, out);
  return out;
}

const userCalls = (st: Extract<StatementPlan, { kind: 'dataflow' }>) =>
  nodes(st).flatMap((n) => (n.kind === 'project' ? n.exprs.flatMap((x) => calls(x.expr)) : [])).filter((c) => c.udf);

test('a scalar call binds to the user function, with Hive\'s implicit conversions as casts, and the statement lists it', async () => {
  await inScriptDir({}, async (d) => {
    const p = await d.plan(`CREATE TEMPORARY FUNCTION plus AS 'plus' USING FILE 'strings.mjs';
      SELECT plus(1, '2.5'), plus(2Y, 3)`);
    const st = dataflow(p);
    const c = userCalls(st);
    assert.equal(c.length, 2);
    assert.deepEqual(c.map((x) => [x.fn, x.type]), [['plus', { kind: 'primitive', name: 'double' }], ['plus', { kind: 'primitive', name: 'double' }]]);
    // int → bigint and string → double are casts the binder wrote; the function sees its declared types
    assert.deepEqual(c[0]!.args.map((a) => a.type), [{ kind: 'primitive', name: 'bigint' }, { kind: 'primitive', name: 'double' }]);
    const hash = moduleHash(new TextEncoder().encode(STRINGS));
    assert.deepEqual(st.udfs, [{
      name: 'plus', kind: 'scalar', export: 'plus', hash, location: join(d.dir, 'strings.mjs'),
      args: [{ kind: 'primitive', name: 'bigint' }, { kind: 'primitive', name: 'double' }], returns: { kind: 'primitive', name: 'double' },
      nullOnNullInput: false, temporary: true,
    }]);
    // uploaded once, content-addressed, byte for byte
    assert.equal(new TextDecoder().decode(await d.warehouse.get(blobKey(hash))), STRINGS);
  });
});

test('a statement lists exactly the user functions its stages call, and none when it calls none', async () => {
  await inScriptDir({}, async (d) => {
    const p = await d.plan(`ADD FILE 'strings.mjs';
      CREATE TEMPORARY FUNCTION shout AS 'strings#shout';
      CREATE TEMPORARY FUNCTION plus AS 'strings.mjs#plus';
      SELECT shout('a');
      SELECT upper('a');
      SELECT x FROM (SELECT shout('a') AS x, plus(1, 2) AS y) t`);
    assert.deepEqual(dataflow(p, 0).udfs?.map((u) => u.name), ['shout']);
    assert.equal(dataflow(p, 1).udfs, undefined);
    // the projection that called plus() is pruned away: its module is not listed
    assert.deepEqual(dataflow(p, 2).udfs?.map((u) => u.name), ['shout']);
  });
});

test('aggregates bind as user aggregate calls in GROUP BY queries, table functions as generators in LATERAL VIEW and alone in the select list', async () => {
  await inScriptDir({}, async (d) => {
    const p = await d.plan(`ADD FILE 'strings.mjs';
      CREATE TEMPORARY FUNCTION total AS 'total';
      CREATE TEMPORARY FUNCTION words AS 'words';
      CREATE TEMPORARY FUNCTION shout AS 'shout';
      SELECT shout(k), total(v) FROM (SELECT 'a' AS k, 1 AS v) t GROUP BY shout(k) HAVING total(v) > 0;
      SELECT t.k, w.word, w.pos FROM (SELECT 'a b' AS k) t LATERAL VIEW OUTER words(k) w;
      SELECT words('a b') AS (x, y)`);
    // split across the shuffle into a partial state and its merge, which gives the declared type
    const aggs = nodes(dataflow(p, 0)).filter((n): n is AggregateNode => n.kind === 'aggregate').flatMap((n) => n.aggs);
    assert.deepEqual(aggs.map((a) => [a.fn, a.udf, a.udfStep]).sort(), [['total', true, 'merge'], ['total', true, 'state']]);
    assert.deepEqual(aggs.find((a) => a.udfStep === 'merge')!.col.type, { kind: 'primitive', name: 'bigint' });
    assert.deepEqual(dataflow(p, 0).udfs?.map((u) => [u.name, u.kind]), [['shout', 'scalar'], ['total', 'aggregate']]);
    const gen = nodes(dataflow(p, 1)).find((n): n is GenerateNode => n.kind === 'generate')!;
    assert.deepEqual([gen.fn, gen.udf, gen.outer, gen.columns.map((c) => [c.name, c.type.kind === 'primitive' && c.type.name])],
      ['words', true, true, [['word', 'string'], ['pos', 'int']]]);
    const sel = nodes(dataflow(p, 2)).find((n): n is GenerateNode => n.kind === 'generate')!;
    assert.deepEqual(sel.columns.map((c) => c.name), ['x', 'y']);
  });
});

test('a user aggregate over a window binds as a window call, and DISTINCT is kept', async () => {
  await inScriptDir({}, async (d) => {
    const p = await d.plan(`CREATE TEMPORARY FUNCTION total AS 'total' USING FILE 'strings.mjs';
      SELECT v, total(v) OVER (ORDER BY v) FROM (SELECT 1 AS v) t;
      SELECT total(DISTINCT v) FROM (SELECT 1 AS v) t`);
    const win = nodes(dataflow(p, 0)).find((n) => n.kind === 'window');
    assert.ok(win?.kind === 'window');
    assert.deepEqual(win.calls.map((c) => [c.fn, c.udf, c.frame?.unit]), [['total', true, 'range']]);
    assert.deepEqual(dataflow(p, 0).udfs?.map((u) => u.name), ['total']);
    assert.deepEqual(dataflow(p, 1).udfs?.map((u) => u.name), ['total']);
  });
});

test('wrong calls fail the job at planning with the signature, the module and the position', async () => {
  await inScriptDir({}, async (d) => {
    const create = `CREATE TEMPORARY FUNCTION plus AS 'plus' USING FILE 'strings.mjs';\nCREATE TEMPORARY FUNCTION total AS 'total' USING FILE 'strings.mjs';\nCREATE TEMPORARY FUNCTION words AS 'words' USING FILE 'strings.mjs';\n`;
    const at = (line: number, col: number) => `${join(d.dir, 'job.sql').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${line}:${col}: `;
    await planError(d, `${create}SELECT plus(1)`, new RegExp(`^${at(4, 8)}plus\\(bigint, double\\) takes 2 arguments, but 1 was given \\(declared by .*strings\\.mjs\\)$`));
    await planError(d, `${create}SELECT plus(1, true)`, new RegExp(`^${at(4, 8)}argument 2 of plus\\(bigint, double\\) is boolean, which does not convert to double`));
    // a DOUBLE does not narrow to BIGINT implicitly (Hive's rule), nor an array to a number
    await planError(d, `${create}SELECT plus(1.5, 1)`, /argument 1 of plus\(bigint, double\) is double, which does not convert to bigint/);
    await planError(d, `${create}SELECT plus(array(1), 1)`, /argument 1 of plus\(bigint, double\) is array<int>/);
    await planError(d, `${create}SELECT total(1)`.replace('SELECT total(1)', 'SELECT 1 WHERE total(1) > 0'), /aggregate functions are not allowed in WHERE/);
    await planError(d, `${create}SELECT plus(words('a'), 1)`, /words\(\) is a table function; call it in LATERAL VIEW or alone in the select list/);
    await planError(d, `${create}SELECT word FROM (SELECT 1 AS x) t LATERAL VIEW plus(1, 2) w`, /plus\(\) is not a table-generating function/);
    await planError(d, `${create}SELECT plu(1, 2)`, /unknown function 'plu'; did you mean 'plus'\?/);
  });
});

test('a module that does not load, a missing export, a wrong shape or a bad signature fails with the module path and the reason', async () => {
  await inScriptDir({
    'broken.mjs': 'export function f( { return 1 }',
    'throws.mjs': "throw new Error('no config');\nexport function f() {}",
    'nometa.mjs': 'export function f(x) { return x }',
    'badtype.mjs': "export const meta = { args: ['strin'], returns: 'int' };\nexport function f(x) { return 1 }",
    'shapes.mjs': `export const meta = {
      half: { args: ['int'], returns: 'int' },
      f: { args: ['int'], returns: 'int', kind: 'aggregate' },
      t: { args: ['int'], returns: 'int', kind: 'table' },
      n: { args: 'int', returns: 'int' },
    };
    export const half = { init() {}, add() {} };
    export function f(x) { return x }
    export function t(x) { return [] }
    export function n(x) { return x }
    export const notfn = 3;`,
    'udfs.jar': 'PK',
  }, async (d) => {
    const loc = (f: string) => join(d.dir, f).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const fn = (file: string, exp: string, extra = '') => `CREATE TEMPORARY FUNCTION g${extra} AS '${exp}' USING FILE '${file}'`;
    await planError(d, fn('broken.mjs', 'f'), new RegExp(`:1:47: module ${loc('broken.mjs')} does not load: .*`));
    await planError(d, fn('throws.mjs', 'f'), new RegExp(`:1:47: module ${loc('throws.mjs')} does not load: no config$`));
    await planError(d, fn('strings.mjs', 'nope'), new RegExp(`:1:32: module ${loc('strings.mjs')}: it has no export 'nope'; its exports: plus, shout, total, words$`));
    await planError(d, fn('nometa.mjs', 'f'), /module .*nometa\.mjs: it declares no signature for 'f': export meta = /);
    await planError(d, fn('badtype.mjs', 'f'), /module .*badtype\.mjs: meta\.args\[0\] 'strin' is not a Hive type: unknown type 'strin'/);
    await planError(d, fn('shapes.mjs', 'half'), /module .*shapes\.mjs: 'half' is an object but not an aggregate: it lacks the methods merge, finish/);
    await planError(d, fn('shapes.mjs', 'f'), /'f' is declared an aggregate but is a function/);
    await planError(d, fn('shapes.mjs', 't'), /a table function returns rows: declare its result as RETURNS TABLE/);
    await planError(d, fn('shapes.mjs', 'n'), /meta\.args must be an array of Hive type names/);
    await planError(d, fn('shapes.mjs', 'notfn'), /'notfn' is number, not a function or an aggregate object/);
    await planError(d, fn('udfs.jar', 'f'), /module .*udfs\.jar: Shoal loads JavaScript ES modules \(\.mjs or \.js\), not Java archives/);
    await planError(d, fn('missing.mjs', 'f'), /:1:47: module .*missing\.mjs: no such file/);
    await planError(d, "CREATE TEMPORARY FUNCTION g AS 'f'", /:1:32: no module for function 'g': add USING FILE/);
    await planError(d, "CREATE TEMPORARY FUNCTION upper AS 'shout' USING FILE 'strings.mjs'", /:1:27: 'upper' is a built-in function/);
    // nothing was created by a job that failed at planning
    assert.deepEqual(await d.warehouse.list(''), []);
  });
});

test('a signature in the statement takes precedence over meta; RETURNS TABLE makes a table function; the NULL clause is kept', async () => {
  await inScriptDir({ 'nometa.mjs': 'export function f(x) { return x }\nexport function* g(n) { yield [n] }' }, async (d) => {
    const p = await d.plan(`CREATE TEMPORARY FUNCTION f(string) RETURNS string RETURNS NULL ON NULL INPUT AS 'f' USING FILE 'nometa.mjs';
      CREATE TEMPORARY FUNCTION shout(int) RETURNS int CALLED ON NULL INPUT AS 'shout' USING FILE 'strings.mjs';
      CREATE TEMPORARY FUNCTION g(int) RETURNS TABLE (n int) AS 'g' USING FILE 'nometa.mjs';
      SELECT f('a'), shout(1), n FROM (SELECT 1 AS x) t LATERAL VIEW g(x) r`);
    const byName = Object.fromEntries(dataflow(p).udfs!.map((u) => [u.name, u]));
    assert.equal(byName.f!.nullOnNullInput, true);
    assert.deepEqual([byName.shout!.args, byName.shout!.returns, byName.shout!.nullOnNullInput], [[{ kind: 'primitive', name: 'int' }], { kind: 'primitive', name: 'int' }, false]);
    assert.deepEqual([byName.g!.kind, byName.g!.returns], ['table', { kind: 'struct', fields: [{ name: 'n', type: { kind: 'primitive', name: 'int' } }] }]);
    await planError(d, "CREATE TEMPORARY FUNCTION f(int) RETURNS TABLE (n int) AS 'total' USING FILE 'strings.mjs'", /'total' is declared table but is an aggregate object/);
  });
});

test('temporary functions shadow permanent ones; db.name calls the permanent one; DROP TEMPORARY uncovers it', async () => {
  await inScriptDir({ 'other.mjs': "export const meta = { args: ['string'], returns: 'int' };\nexport function len(s) { return s.length }" }, async (d) => {
    const p = await d.plan(`CREATE FUNCTION shout AS 'shout' USING FILE 'strings.mjs';
      CREATE TEMPORARY FUNCTION shout AS 'len' USING FILE 'other.mjs';
      SELECT shout('a'), default.shout('b');
      DROP TEMPORARY FUNCTION shout;
      SELECT shout('a');
      CREATE DATABASE d2;
      USE d2;
      SELECT default.shout('a');
      DROP FUNCTION default.shout;
      DROP FUNCTION IF EXISTS default.shout`);
    assert.deepEqual(p.statements.map((s) => (s.kind === 'ddl' ? s.action.kind : s.kind)),
      ['createFunction', 'dataflow', 'dataflow', 'createDatabase', 'dataflow', 'dropFunction', 'dropFunction']);
    assert.deepEqual(dataflow(p, 1).udfs?.map((u) => [u.name, u.temporary, u.export]), [['default.shout', false, 'shout'], ['shout', true, 'len']]);
    assert.deepEqual(dataflow(p, 2).udfs?.map((u) => u.name), ['default.shout']);
    await planError(d, "USE default; CREATE DATABASE d2; USE d2; CREATE FUNCTION shout AS 'shout' USING FILE 'strings.mjs'; USE default; SELECT shout('a')", /unknown function 'shout'; did you mean 'd2.shout'\?/);
    await planError(d, 'DROP FUNCTION nope', /:1:15: function 'default.nope' does not exist$/);
    await planError(d, 'DROP TEMPORARY FUNCTION nope', /:1:25: temporary function 'nope' does not exist$/);
    await planError(d, "CREATE FUNCTION f AS 'shout' USING FILE 'strings.mjs'; CREATE FUNCTION f AS 'shout' USING FILE 'strings.mjs'", /:1:72: function 'default.f' already exists$/);
    await planError(d, "CREATE TEMPORARY FUNCTION db.f AS 'shout' USING FILE 'strings.mjs'", /a temporary function cannot belong to a database/);
  });
});

test('ADD FILE then a bare export name picks the one module that has it, and says so when it is ambiguous', async () => {
  await inScriptDir({ 'lib/more.mjs': "export const meta = { args: ['string'], returns: 'string' };\nexport function shout(s) { return s }\nexport function quiet(s) { return s }" }, async (d) => {
    const p = await d.plan("ADD FILES 'strings.mjs' lib/more.mjs; CREATE TEMPORARY FUNCTION q AS 'quiet'; CREATE TEMPORARY FUNCTION s AS 'more#shout'; SELECT q('a'), s('b')");
    assert.deepEqual(dataflow(p).udfs?.map((u) => [u.name, u.location]), [['q', join(d.dir, 'lib/more.mjs')], ['s', join(d.dir, 'lib/more.mjs')]]);
    await planError(d, "ADD FILE 'strings.mjs'; ADD FILE 'lib/more.mjs'; CREATE TEMPORARY FUNCTION s AS 'shout'", /several of the modules .* export 'shout'; write 'module#shout'/);
    await planError(d, "ADD FILE 'strings.mjs'; CREATE TEMPORARY FUNCTION s AS 'nothere#shout'", /no added module is named 'nothere'/);
  });
});

test('modules only come from allowed locations: by default the script\'s directory; a symbolic link does not lead out', async () => {
  const outside = await mkdtemp(join(tmpdir(), 'shoal-udf-outside-'));
  await inScriptDir({}, async (d) => {
    await writeFile(join(outside, 'evil.mjs'), STRINGS);
    await symlink(join(outside, 'evil.mjs'), join(d.dir, 'link.mjs'));
    const sql = (p: string) => `CREATE TEMPORARY FUNCTION shout AS 'shout' USING FILE '${p}'; SELECT shout('a')`;
    await planError(d, sql(join(outside, 'evil.mjs')), new RegExp(`:1:55: module ${outside}/evil\\.mjs is not in an allowed location; allowed \\(shoal\\.udf\\.allowed-locations\\): ${d.dir}$`));
    await planError(d, sql('link.mjs'), /link\.mjs is not in an allowed location/);
    await planError(d, sql('../x.mjs'), /no such file|not in an allowed location/);
    // the deployment's list replaces the default; a prefix matches whole path segments only
    const p = await d.plan(sql(join(outside, 'evil.mjs')), { settings: { 'shoal.udf.allowed-locations': `s3://bucket/udfs, ${outside}` } });
    assert.equal(dataflow(p).udfs?.[0]?.location, join(outside, 'evil.mjs'));
    await planError(d, sql('strings.mjs'), /is not in an allowed location; allowed \(shoal\.udf\.allowed-locations\): .*-outside-.*x$/, { settings: { 'shoal.udf.allowed-locations': `${outside}x` } });
    // a deployment without the list (set, but empty) loads no module at all
    await planError(d, sql('strings.mjs'), /strings\.mjs is not in an allowed location; shoal\.udf\.allowed-locations allows none$/, { settings: { 'shoal.udf.allowed-locations': '' } });
    await planError(d, "SET shoal.udf.allowed-locations=/; SELECT 1", /:1:1: shoal\.udf\.allowed-locations cannot be changed by a script/);
  }).finally(() => rm(outside, { recursive: true, force: true }));
});

test('identical modules share one blob; a permanent function\'s blob missing from the warehouse fails the job at planning', async () => {
  await inScriptDir({ 'copy/strings.mjs': STRINGS }, async (d) => {
    const p = await d.plan("CREATE FUNCTION a AS 'shout' USING FILE 'strings.mjs'; CREATE FUNCTION b AS 'shout' USING FILE 'copy/strings.mjs'");
    const hash = moduleHash(new TextEncoder().encode(STRINGS));
    assert.deepEqual((await d.warehouse.list('blobs/')).map((o) => o.key), [blobKey(hash)]);
    assert.equal(d.warehouse.counters.put, 1);
    // the catalog as the commit leaves it: the function refers to a blob that is gone
    let catalog = emptyCatalog();
    for (const st of p.statements) if (st.kind === 'ddl' && st.action.kind === 'createFunction') {
      const db = catalog.databases.default!;
      catalog = { ...catalog, databases: { default: { ...db, functions: { ...db.functions, [st.action.fn.name]: st.action.fn } } } };
    }
    assert.ok((await d.plan('SELECT a(\'x\')', { catalog })).statements.length);
    // a blob overwritten by hand: refused for the permanent function, put right by the next upload
    await d.warehouse.put(blobKey(hash), 'export const meta = {}');
    await planError(d, "SELECT b('x')", /the module of function default\.b at blobs\/[0-9a-f]{64}\.mjs has changed \(sha256 [0-9a-f]{64}, the catalog expects [0-9a-f]{64}\); put the module from .*strings\.mjs back there/, { catalog });
    await d.plan("CREATE TEMPORARY FUNCTION c AS 'shout' USING FILE 'strings.mjs'");
    assert.equal(new TextDecoder().decode(await d.warehouse.get(blobKey(hash))), STRINGS);
    await d.warehouse.delete([blobKey(hash)]);
    await planError(d, "SELECT 1;\nSELECT b('x')", /:2:1: the module of function default\.b \(.*strings\.mjs, sha256 [0-9a-f]{64}\) is missing from the warehouse at blobs\/[0-9a-f]{64}\.mjs; create the function again$/, { catalog });
  });
});

test('a shadow run may create temporary functions but not permanent ones; EXPLAIN of a function statement says why it has no plan', async () => {
  await inScriptDir({}, async (d) => {
    const rewrite = shadowRewriter('shadow').rewrite;
    const opts = { file: join(d.dir, 'job.sql'), catalog: emptyCatalog(), rewrite };
    const p = await planJob("CREATE TEMPORARY FUNCTION shout AS 'shout' USING FILE 'strings.mjs'; SELECT shout('a'); DROP TEMPORARY FUNCTION shout", opts);
    assert.deepEqual(dataflow(p, 0).udfs?.map((u) => u.name), ['shout']);
    await assert.rejects(planJob("CREATE FUNCTION shout AS 'shout' USING FILE 'strings.mjs'", opts), /a shadow run cannot run createFunction/);
    await planError(d, "EXPLAIN CREATE TEMPORARY FUNCTION shout AS 'shout' USING FILE 'strings.mjs'", /:1:9: EXPLAIN shows the plans of queries and table statements; CREATE FUNCTION takes effect while the script is planned/);
  });
});
