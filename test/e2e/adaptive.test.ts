// Adaptive parallelism end to end: every stage's fan-out comes from the bytes its
// upstream actually wrote (read back from the task lists plan-stage left in the job's
// objects), a small join side is broadcast by the decision made inside the state
// machine, and a skewed join key is split across tasks, all with DuckDB's rows.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunResult } from '../../lib/local/runner.js';
import type { TaskList } from '../../lib/runtime/plan-stage.js';
import type { MapOutput } from '../../lib/shuffle/shuffle.js';
import { normRows, startDuckDB, startShoal, writeText, type Reference, type Shoal } from '../support/engines.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

const ROWS_PER_FILE = 2500;
const KiB = 1024;

/** `files` text files of (id, grp, payload) rows; payloads are random hex, so bytes grow with rows. */
async function makeFacts(dir: string, files: number, seed: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  const r = rng(seed);
  for (let f = 0; f < files; f++) {
    const rows = Array.from({ length: ROWS_PER_FILE }, (_, i) => {
      const id = f * ROWS_PER_FILE + i;
      // grp 7 is a hot key: 60% of all rows
      const grp = r() < 0.6 ? 7 : Math.floor(r() * 400);
      return [id, grp, Math.floor(r() * 2 ** 48).toString(16).padStart(12, '0')];
    });
    await writeText(join(dir, `part-${String(f).padStart(3, '0')}.txt`), rows);
  }
}

describe('adaptive parallelism end to end', () => {
  let shoal: Shoal;
  let ref: Reference;
  let dir: string;
  const sizes = { facts1: 2, facts10: 20 };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'shoal-adaptive-'));
    await makeFacts(join(dir, 'facts1'), sizes.facts1, 1);
    await makeFacts(join(dir, 'facts10'), sizes.facts10, 2);
    await writeText(join(dir, 'dim.txt'), Array.from({ length: 400 }, (_, g) => [g, `group ${g}`]));
    shoal = await startShoal();
    ref = await startDuckDB();
    await shoal.run(['facts1', 'facts10'].map((t) => `CREATE TABLE ${t} (id INT, grp INT, payload STRING);
      LOAD DATA LOCAL INPATH '${join(dir, t)}' INTO TABLE ${t};`).join('\n') + `
      CREATE TABLE dim (grp INT, name STRING); LOAD DATA LOCAL INPATH '${join(dir, 'dim.txt')}' INTO TABLE dim;`);
    const text = (p: string, cols: string) => `read_csv('${p}', delim='\u0001', header=false, quote='', escape='', columns={${cols}}, auto_detect=false)`;
    for (const t of ['facts1', 'facts10']) await ref.exec(`CREATE TABLE ${t} AS SELECT * FROM ${text(join(dir, t, '*.txt'), `'id':'INTEGER','grp':'INTEGER','payload':'VARCHAR'`)}`);
    await ref.exec(`CREATE TABLE dim AS SELECT * FROM ${text(join(dir, 'dim.txt'), `'grp':'INTEGER','name':'VARCHAR'`)}`);
  });
  after(async () => {
    await shoal?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const json = async <T>(key: string) => JSON.parse(Buffer.from(await shoal.store.get(key)).toString()) as T;
  const stagePrefix = (r: RunResult, st: number) => `_jobs/${r.queryId}/s0/st${st}`;
  const taskList = (r: RunResult, st: number) => json<TaskList>(`${stagePrefix(r, st)}/tasks.json`);
  /** What the upstream stage's winning map tasks wrote, read from their done markers. */
  async function written(r: RunResult, st: number): Promise<MapOutput[]> {
    const keys = await shoal.keys(`${stagePrefix(r, st)}/done/`);
    return Promise.all(keys.map((k) => json<MapOutput>(k)));
  }
  const stages = (r: RunResult) => {
    const s = r.plan.statements[0]!;
    assert.equal(s.kind, 'dataflow');
    return s.kind === 'dataflow' ? s.stages : [];
  };
  async function sameRows(r: RunResult, sql: string): Promise<void> {
    assert.deepEqual(normRows(r.results[0]!.rows, false), normRows(await ref.query(sql), false));
  }

  test('task counts follow the byte target when the data grows 10x', async () => {
    const target = 96 * KiB;
    const settings = {
      'shoal.adaptive.target-bytes-per-task': String(target),
      'shoal.aggregate.two-phase': 'false', // so that every row crosses the shuffle
      'shoal.shuffle.partitions': '256',
    };
    const counts: Record<string, { source: number; reduce: number }> = {};
    for (const t of ['facts1', 'facts10']) {
      const sql = `SELECT grp, count(*), max(payload), sum(id) FROM ${t} GROUP BY grp`;
      const r = await shoal.run(sql, { settings, keepJobFiles: true });
      await sameRows(r, sql);
      const [source, reduce] = stages(r);
      assert.deepEqual(reduce!.inputs, [source!.id]);

      // The source stage: the table's files grouped to the target, never a file split.
      const files = (await shoal.store.list(`${t}/`));
      const tableBytes = files.reduce((a, f) => a + f.size, 0);
      const sourceTasks = (await taskList(r, source!.id)).tasks;
      assert.equal(sourceTasks.length, Math.min(files.length, Math.ceil(tableBytes / target)));

      // The reduce stage: ceil(shuffle bytes / target) contiguous ranges of about equal bytes.
      const outs = await written(r, source!.id);
      const perPartition = new Array<number>(256).fill(0);
      for (const o of outs) for (const e of o.entries) perPartition[e.partition]! += e.length;
      const shuffled = perPartition.reduce((a, b) => a + b, 0);
      const list = await taskList(r, reduce!.id);
      assert.equal(list.tasks.length, Math.min(perPartition.filter((b) => b > 0).length, Math.ceil(shuffled / target)));
      const biggest = Math.max(...perPartition);
      for (const task of list.tasks) {
        const [s, e] = task.range!;
        const bytes = perPartition.slice(s, e).reduce((a, b) => a + b, 0);
        assert.ok(Math.abs(bytes - shuffled / list.tasks.length) <= biggest, `task ${task.index}: ${bytes} bytes, share ${shuffled / list.tasks.length}`);
      }
      counts[t] = { source: sourceTasks.length, reduce: list.tasks.length };
    }
    const { facts1, facts10 } = counts as Record<'facts1' | 'facts10', { source: number; reduce: number }>;
    assert.ok(facts1.reduce >= 2, `the small input already needs several tasks: ${facts1.reduce}`);
    // Not quite 10x: every (map task, partition) piece carries a Parquet header and footer, a fixed cost the formula above already counts.
    assert.ok(facts10.reduce >= 5 * facts1.reduce, `reduce tasks ${facts1.reduce} -> ${facts10.reduce}`);
    assert.ok(facts10.source >= 5 * facts1.source, `source tasks ${facts1.source} -> ${facts10.source}`);
  });

  test('the same join is broadcast or shuffled at run time, by the bytes its small side wrote', async () => {
    const sql = (facts: string) => `SELECT d.name, f.id FROM dim d JOIN ${facts} f ON d.grp = f.grp WHERE f.id % 97 = 0`;
    const runJoin = async (facts: string, threshold: number) => {
      const r = await shoal.run(sql(facts), { settings: { 'shoal.join.broadcast-threshold-bytes': String(threshold), 'shoal.adaptive.target-bytes-per-task': String(16 * KiB) }, keepJobFiles: true });
      await sameRows(r, sql(facts));
      const joinStage = stages(r).find((s) => s.inputs.length === 2)!;
      const [dimStage, factStage] = joinStage.inputs;
      const bytesOf = async (st: number) => (await written(r, st)).reduce((a, o) => a + o.bytes, 0);
      return { list: await taskList(r, joinStage.id), dimStage: dimStage!, factStage: factStage!, dimBytes: await bytesOf(dimStage!), factBytes: await bytesOf(factStage!) };
    };
    // First learn what each side writes, with broadcasts off; then put the threshold between the two fact tables' filtered sizes.
    const small = await runJoin('facts1', 0);
    const large = await runJoin('facts10', 0);
    assert.equal(small.list.join?.kind, 'shuffle');
    assert.ok(small.factBytes < large.factBytes);
    const threshold = Math.floor((small.factBytes + large.factBytes) / 2);

    const b = await runJoin('facts1', threshold);
    assert.deepEqual(b.list.join, { kind: 'broadcast', stage: b.factStage, bytes: b.factBytes }, 'the filtered facts are the small side');
    for (const t of b.list.tasks) assert.deepEqual(t.reads?.[b.factStage], { kind: 'all' });
    assert.ok(b.list.tasks.every((t) => t.reads?.[b.dimStage]?.kind === 'run'));

    const s = await runJoin('facts10', threshold);
    assert.deepEqual(s.list.join, { kind: 'broadcast', stage: s.dimStage, bytes: s.dimBytes }, 'dim is now the smaller side under the threshold');
    assert.ok(s.list.tasks.every((t) => t.reads?.[s.factStage]?.kind === 'run'));
  });

  test('a Parquet file larger than the target is split at row groups across source tasks', async () => {
    const file = join(dir, 'facts.parquet');
    await ref.exec(`COPY (SELECT * FROM facts10 ORDER BY id) TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 4096)`);
    await shoal.run(`CREATE TABLE pq (id INT, grp INT, payload STRING) STORED AS PARQUET; LOAD DATA LOCAL INPATH '${file}' INTO TABLE pq;`);
    const [object] = await shoal.store.list('pq/');
    const target = Math.ceil(object!.size / 5);
    const sql = 'SELECT grp, count(*), sum(id), max(payload) FROM pq WHERE id % 3 <> 1 GROUP BY grp';
    const r = await shoal.run(sql, { settings: { 'shoal.adaptive.target-bytes-per-task': String(target) }, keepJobFiles: true });
    await sameRows(r, sql.replace('FROM pq', 'FROM facts10'));
    const splits = (await taskList(r, stages(r)[0]!.id)).tasks.flatMap((t) => t.splits ?? []);
    assert.ok(splits.length >= 4 && splits.length <= 6, `${splits.length} splits of one ${object!.size}-byte file at target ${target}`);
    const ranges = splits.map((x) => x.rows!).sort((a, b) => a[0] - b[0]);
    assert.equal(ranges[0]![0], 0);
    for (let i = 1; i < ranges.length; i++) assert.equal(ranges[i]![0], ranges[i - 1]![1], 'row ranges are contiguous');
    assert.equal(ranges[ranges.length - 1]![1], sizes.facts10 * ROWS_PER_FILE);
    for (const x of ranges) assert.equal(x[0] % 4096, 0, 'cuts fall on row-group boundaries');
  });

  test('a skewed join key is split across tasks, and outer joins keep their rows', async () => {
    const settings = { 'shoal.join.broadcast-threshold-bytes': '0', 'shoal.adaptive.target-bytes-per-task': String(8 * KiB), 'shoal.adaptive.skew-factor': '4' };
    for (const sql of [
      'SELECT f.id, f.payload, d.name FROM facts1 f JOIN dim d ON f.grp = d.grp WHERE d.grp < 100',
      'SELECT f.id, f.payload, d.name FROM facts1 f LEFT JOIN dim d ON f.grp = d.grp AND d.grp <> 3',
      'SELECT d.grp, f.id FROM facts1 f RIGHT JOIN dim d ON f.grp = d.grp',
    ]) {
      const r = await shoal.run(sql, { settings, keepJobFiles: true });
      await sameRows(r, sql);
      const joinStage = stages(r).find((s) => s.inputs.length === 2)!;
      const list = await taskList(r, joinStage.id);
      assert.equal(list.join?.kind, 'shuffle');
      const skewed = list.join?.kind === 'shuffle' ? list.join.skewed : [];
      if (sql.includes('RIGHT JOIN')) {
        assert.deepEqual(skewed, [], 'the preserved side of an outer join is never split, and the other side holds no skew');
        continue;
      }
      assert.equal(skewed.length, 1, JSON.stringify(skewed));
      assert.equal(skewed[0]!.stage, joinStage.inputs[0], 'the facts side holds the hot key');
      assert.ok(skewed[0]!.tasks > 1);
      const pieces = list.tasks.filter((t) => { const x = t.reads?.[joinStage.inputs[0]!]; return x?.kind === 'partitions' && x.maps !== undefined; });
      assert.equal(pieces.length, skewed[0]!.tasks);
    }
  });
});
