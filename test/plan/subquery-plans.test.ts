// How subqueries, INTERSECT/EXCEPT and comma joins are planned: which joins, which
// exchanges and how many stages. Column ids vary, so plans are matched line by line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyCatalog } from '../../lib/catalog/model.js';
import { explainJobStatement } from '../../lib/planner/explain.js';
import { planJob } from '../../lib/planner/plan-job.js';

const TABLES = `
  CREATE TABLE o (id INT, k INT, v STRING);
  CREATE TABLE t (k INT, w INT, s STRING);
`;

/** EXPLAIN lines of the script's last statement, planned against an empty catalog. */
async function explain(sql: string): Promise<string[]> {
  const plan = await planJob(TABLES + sql, { catalog: emptyCatalog() });
  const last = plan.statements[plan.statements.length - 1]!;
  assert.equal(last.kind, 'dataflow');
  return explainJobStatement(last as Extract<typeof last, { kind: 'dataflow' }>);
}

const stages = (lines: readonly string[]) => lines.filter((l) => l.startsWith('Stage ')).length;
const has = (lines: readonly string[], re: RegExp) => assert.ok(lines.some((l) => re.test(l)), `no line matches ${re}:\n${lines.join('\n')}`);

test('a correlated EXISTS is a semi join hashed on the equality, the non-equality its residual', async () => {
  const lines = await explain('SELECT id FROM o WHERE EXISTS (SELECT 1 FROM t WHERE t.k = o.k AND t.w <> o.id)');
  has(lines, /Join semi \(shuffle\) on #c\d+ = #c\d+ AND \(#c\d+ <> #c\d+\)$/);
  assert.equal(lines.filter((l) => /=> hash\(#c\d+\)/.test(l)).length, 2, 'both sides hashed on their key');
  assert.equal(stages(lines), 4, "two scans, the join, the result");
});

test('NOT EXISTS is an anti join; NOT IN adds the subquery counts, broadcast, and the NULL test', async () => {
  has(await explain('SELECT id FROM o WHERE NOT EXISTS (SELECT 1 FROM t WHERE t.k = o.k)'), /Join anti \(shuffle\) on #c\d+ = #c\d+$/);
  const lines = await explain('SELECT id FROM o WHERE k NOT IN (SELECT w FROM t)');
  has(lines, /Join anti \(shuffle\) on #c\d+ = #c\d+$/);
  has(lines, /Join cross \(broadcast\)/);
  has(lines, /Filter \(\(coalesce\(#c\d+, 0\) = 0\) OR \(isnotnull\(#c\d+\) AND \(#c\d+ = #c\d+\)\)\)/);
});

test('an uncorrelated scalar subquery is a one-row aggregate joined by broadcast', async () => {
  const lines = await explain('SELECT id FROM o WHERE k > (SELECT avg(w) FROM t)');
  has(lines, /Join cross \(broadcast\)/);
  has(lines, /=> broadcast$/);
  assert.ok(!lines.some((l) => /raise_error/.test(l)), 'a global aggregate needs no row check');
  has(await explain('SELECT id FROM o WHERE k = (SELECT w FROM t)'), /CASE WHEN \(#c\d+ > 1\) THEN raise_error\('the scalar subquery at line \d+, column \d+ returned more than one row'\)/);
});

test('a correlated scalar aggregate is grouped by the correlation key and left-joined on it', async () => {
  const lines = await explain('SELECT id FROM o WHERE k < (SELECT max(w) FROM t WHERE t.k = o.k)');
  has(lines, /Join left \(shuffle\) on #c\d+ = #c\d+$/);
  has(lines, /Aggregate\(partial\) keys=\[#c\d+ AS #c\d+\] aggs=\[max\(#c\d+\) AS #c\d+\]/);
});

test('a comma join with an equality in WHERE becomes an equi-join with both sides hashed', async () => {
  const lines = await explain('SELECT o.id, t.s FROM o, t WHERE o.k = t.k AND t.w > 3');
  has(lines, /Join inner \(shuffle\) on #c\d+ = #c\d+$/);
  has(lines, /Scan default\.t .* filter: \(#c\d+ > 3\)/);
  // no cross join and no broadcast planned (EXPLAIN's 'or broadcast if under …' is the run-time option)
  assert.ok(!lines.some((l) => /cross|\(broadcast\)|\[broadcast/.test(l)));
});

test("an anti join's condition over its right side alone filters the right side before the join", async () => {
  const lines = await explain('SELECT id FROM o LEFT ANTI JOIN t ON o.k = t.k AND t.w > 3 AND o.id > t.w');
  has(lines, /Join anti \(shuffle\) on #c\d+ = #c\d+ AND \(#c\d+ > #c\d+\)$/);
  has(lines, /Scan default\.t .* filter: \(#c\d+ > 3\)/);
});

test('INTERSECT and EXCEPT group a tagged union by every column', async () => {
  const lines = await explain('SELECT k FROM o INTERSECT SELECT k FROM t');
  has(lines, /UnionAll \[k#c\d+, _left#c\d+, _right#c\d+\]/);
  has(lines, /Filter \(\(#c\d+ > 0\) AND \(#c\d+ > 0\)\)/);
  has(await explain('SELECT k FROM o EXCEPT SELECT k FROM t'), /Filter \(\(#c\d+ > 0\) AND \(#c\d+ = 0\)\)/);
});
