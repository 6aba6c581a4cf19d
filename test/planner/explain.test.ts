// EXPLAIN names the exchange on every edge of the stage DAG, and says which join side
// the run-time sizing may still broadcast.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyCatalog } from '../../lib/catalog/model.js';
import { explainJobStatement } from '../../lib/planner/explain.js';
import { planJob } from '../../lib/planner/plan-job.js';

async function stageLines(sql: string, settings: Record<string, string> = {}): Promise<string[]> {
  const plan = await planJob(`CREATE TABLE a (k INT, v STRING); CREATE TABLE b (k INT, w STRING); ${sql}`, { catalog: emptyCatalog(), settings });
  const st = plan.statements[plan.statements.length - 1]!;
  assert.equal(st.kind, 'dataflow');
  return st.kind === 'dataflow' ? explainJobStatement(st).filter((l) => l.startsWith('Stage')) : [];
}

test('each stage lists its inputs with the exchange kind of the edge', async () => {
  const lines = await stageLines('SELECT a.k, count(*) FROM a JOIN b ON a.k = b.k GROUP BY a.k ORDER BY a.k');
  assert.deepEqual(lines, [
    'Stage 1 => hash(#c1) into 64 partitions',
    'Stage 2 => hash(#c3) into 64 partitions',
    'Stage 3 <- stage 1 [hash, or broadcast if under 10 MiB], stage 2 [hash, or broadcast if under 10 MiB] => hash(#c9) into 64 partitions',
    'Stage 4 <- stage 3 [hash] => single',
    'Stage 5 <- stage 4 [single] => sink: result (k, _c1)',
  ]);
});

test('only the side an outer join does not preserve may be broadcast, and a zero threshold turns it off', async () => {
  const left = await stageLines('SELECT a.k, b.w FROM a LEFT JOIN b ON a.k = b.k');
  assert.match(left.find((l) => l.startsWith('Stage 3'))!, /^Stage 3 <- stage 1 \[hash\], stage 2 \[hash, or broadcast if under 10 MiB\]/);
  const full = await stageLines('SELECT a.k, b.w FROM a FULL JOIN b ON a.k = b.k');
  assert.match(full.find((l) => l.startsWith('Stage 3'))!, /^Stage 3 <- stage 1 \[hash\], stage 2 \[hash\] =>/);
  const off = await stageLines('SELECT a.k, b.w FROM a JOIN b ON a.k = b.k', { 'shoal.join.broadcast-threshold-bytes': '0' });
  assert.match(off.find((l) => l.startsWith('Stage 3'))!, /^Stage 3 <- stage 1 \[hash\], stage 2 \[hash\] =>/);
});

test('a join without equality keys shows its broadcast edge as planned', async () => {
  const lines = await stageLines('SELECT a.k, b.w FROM a JOIN b ON a.k < b.k');
  assert.ok(lines.some((l) => /<- .*\[broadcast\]/.test(l)), lines.join('\n'));
});
