// Comma joins keep their FROM order unless it crosses two inputs that a later one
// connects; then the connected order is taken and no cross product is planned.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyCatalog } from '../../lib/catalog/model.js';
import { explainJobStatement } from '../../lib/planner/explain.js';
import { planJob } from '../../lib/planner/plan-job.js';
import { greedyOrder } from '../../lib/optimizer/reorder-joins.js';
import type { BExpr } from '../../lib/plan/nodes.js';

const TABLES = `
  CREATE TABLE part (p_key INT, p_name STRING);
  CREATE TABLE supp (s_key INT, s_nation INT);
  CREATE TABLE item (i_part INT, i_supp INT, i_qty INT);
  CREATE TABLE nation (n_key INT, n_name STRING);
`;

async function explain(sql: string, settings?: Record<string, string>): Promise<string[]> {
  const plan = await planJob(TABLES + sql, { catalog: emptyCatalog(), settings });
  const last = plan.statements[plan.statements.length - 1]!;
  assert.equal(last.kind, 'dataflow');
  return explainJobStatement(last as Extract<typeof last, { kind: 'dataflow' }>);
}

const joins = (lines: readonly string[]) => lines.filter((l) => /Join /.test(l)).map((l) => l.trim());
/** The tables in the order their scans appear (the join order, stage by stage). */
const scans = (lines: readonly string[]) => lines.flatMap((l) => /Scan default\.(\w+)/.exec(l)?.[1] ?? []);

const Q9_LIKE = `SELECT * FROM part, supp, item, nation
  WHERE s_key = i_supp AND p_key = i_part AND s_nation = n_key AND p_name LIKE '%green%'`;

test('a FROM order that crosses part with supplier is joined through the table that connects them', async () => {
  const lines = await explain(Q9_LIKE);
  assert.ok(!joins(lines).some((j) => /cross/.test(j)), lines.join('\n'));
  assert.deepEqual(scans(lines), ['part', 'item', 'supp', 'nation']);
  // the rule can be switched off like any other: then the cross product is back
  const off = await explain(Q9_LIKE, { 'shoal.optimizer.disabled-rules': 'reorder-joins' });
  assert.ok(joins(off).some((j) => /Join cross/.test(j)), off.join('\n'));
});

test('a FROM order without a cross product is kept as written', async () => {
  const lines = await explain('SELECT p_name, n_name FROM supp, item, part, nation WHERE s_key = i_supp AND p_key = i_part AND s_nation = n_key');
  assert.deepEqual(scans(lines), ['supp', 'item', 'part', 'nation']);
  assert.ok(!joins(lines).some((j) => /cross/.test(j)));
});

test('a cross product no order avoids stays, after the connected joins', async () => {
  const lines = await explain('SELECT p_name, n_name, i_qty FROM part, nation, item WHERE p_key = i_part');
  assert.deepEqual(scans(lines), ['part', 'item', 'nation']);
  assert.equal(joins(lines).filter((j) => /cross/.test(j)).length, 1);
});

test('greedyOrder takes the first connected input in FROM order, and the next one when none is connected', () => {
  const ref = (id: string): BExpr => ({ kind: 'ref', id, type: { kind: 'primitive', name: 'int' } });
  const eq = (a: string, b: string): BExpr => ({ kind: 'call', fn: '=', args: [ref(a), ref(b)], type: { kind: 'primitive', name: 'boolean' } });
  const ids = [['a'], ['b'], ['c'], ['d']].map((x) => new Set(x));
  assert.deepEqual(greedyOrder(ids, [eq('a', 'c'), eq('c', 'b'), eq('b', 'd')]), [0, 2, 1, 3]);
  assert.deepEqual(greedyOrder(ids, [eq('a', 'b'), eq('b', 'c'), eq('c', 'd')]), [0, 1, 2, 3]);
  assert.deepEqual(greedyOrder(ids, [eq('c', 'd')]), [0, 1, 2, 3]);
  assert.deepEqual(greedyOrder(ids, [eq('a', 'd')]), [0, 3, 1, 2]);
});
