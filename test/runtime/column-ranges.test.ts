// Scans of Parquet on S3 fetch the footer and only the column chunks (and Bloom filters)
// of the columns they read, in the row groups of their rows: the rows are DuckDB's over
// the whole file, and the bytes read from S3 drop.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunResult } from '../../lib/local/runner.js';
import { mergeRanges } from '../../lib/runtime/parquet-ranges.js';
import { normRows, startDuckDB, startShoal, type Reference, type Shoal } from '../support/engines.js';

const TABLE = 'CREATE EXTERNAL TABLE t (id BIGINT, name STRING, price DECIMAL(12,2), tag STRING, s STRUCT<a:INT,b:STRING>) STORED AS PARQUET LOCATION \'ext/t\'';

/** Bytes the table-scanning stages read from the store. */
const scanBytes = (r: RunResult) => r.metrics.stages.filter((s) => s.reads.includes('table')).reduce((n, s) => n + s.s3.bytesRead, 0);

describe('column-projected Parquet reads on S3', () => {
  let shoal: Shoal;
  let ref: Reference;
  let dir: string;
  let fileBytes: number;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'shoal-ranges-'));
    shoal = await startShoal({ store: 's3' });
    ref = await startDuckDB();
    const file = join(dir, 'part-0.parquet');
    // `name` is most of the bytes; `tag` is dictionary-encoded (DuckDB writes Bloom filters for it).
    await ref.exec(`COPY (SELECT range AS id, repeat(md5(range::VARCHAR), 4) AS name, (range % 997)::DECIMAL(12,2) / 4 AS price,
      'tag' || (range % 13) AS tag, {'a': (range % 5)::INT, 'b': 'b' || (range % 3)} AS s FROM range(60000))
      TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 10000)`);
    fileBytes = (await stat(file)).size;
    await shoal.store.putFile('ext/t/part-0.parquet', file);
    await shoal.run(TABLE);
    await ref.exec(`CREATE VIEW t AS SELECT * FROM read_parquet('${file}')`);
  });
  after(async () => {
    await shoal?.close();
    ref?.con.closeSync();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const CASES = [
    { name: 'an aggregate over three small columns', sql: 'SELECT tag, count(*), sum(price), max(id) FROM t WHERE id % 7 = 3 GROUP BY tag' },
    { name: 'an equality filter DuckDB checks against Bloom filters, and a struct field', sql: "SELECT id, s.b, s.a FROM t WHERE tag = 'tag4' AND id < 20000" },
    { name: 'a count that reads no column at all', sql: 'SELECT count(*) FROM t' },
    { name: 'the wide column itself', sql: "SELECT tag, count(DISTINCT name) FROM t WHERE id >= 55000 GROUP BY tag" },
  ];
  for (const c of CASES) {
    test(`${c.name}: DuckDB's rows, with fewer bytes from S3 unless the wide column is read`, async () => {
      const expected = normRows(await ref.query(c.sql), false);
      const ranged = await shoal.run(c.sql);
      const whole = await shoal.run(c.sql, { settings: { 'shoal.scan.column-ranges': 'false' } });
      for (const r of [ranged, whole]) assert.deepEqual(normRows(r.results[0]!.rows.map((x) => [...x]), false), expected);
      assert.ok(scanBytes(whole) >= fileBytes, `the whole file is read without ranges (${scanBytes(whole)} of ${fileBytes})`);
      if (/name/.test(c.sql)) assert.ok(scanBytes(ranged) > fileBytes * 0.5, `${scanBytes(ranged)} of ${fileBytes}`);
      else assert.ok(scanBytes(ranged) < fileBytes * 0.35, `only the needed chunks: ${scanBytes(ranged)} of ${fileBytes}`);
    });
  }

  test('a file cut at row groups across tasks: each task fetches its own row groups only', async () => {
    const sql = 'SELECT tag, count(*), sum(price), min(id), max(id) FROM t GROUP BY tag';
    const settings = { 'shoal.adaptive.target-bytes-per-task': String(Math.ceil(fileBytes / 3)) };
    const ranged = await shoal.run(sql, { settings });
    const scan = ranged.metrics.stages.find((s) => s.reads.includes('table'))!;
    assert.ok(scan.tasks >= 3, `the file is split across tasks (${scan.tasks})`);
    assert.deepEqual(normRows(ranged.results[0]!.rows.map((x) => [...x]), false), normRows(await ref.query(sql), false));
    const whole = await shoal.run(sql, { settings: { ...settings, 'shoal.scan.column-ranges': 'false' } });
    assert.ok(scanBytes(whole) >= scan.tasks * fileBytes, 'without ranges every task downloads the whole file');
    assert.ok(scanBytes(ranged) < fileBytes * 0.35, `${scanBytes(ranged)} of ${fileBytes}`);
    const count = await shoal.run('SELECT count(*) FROM t WHERE id IS NOT NULL OR id IS NULL', { settings });
    assert.deepEqual(count.results[0]!.rows, [[60000]]);
    const counted = await shoal.run('SELECT count(*) FROM t', { settings });
    assert.deepEqual(counted.results[0]!.rows, [[60000]]);
  });
});

test('mergeRanges sorts, joins overlapping and near ranges, and drops empty ones', () => {
  assert.deepEqual(mergeRanges([{ start: 500, end: 600 }, { start: 0, end: 100 }, { start: 90, end: 200 }, { start: 250, end: 300 }, { start: 700, end: 700 }], 50),
    [{ start: 0, end: 300 }, { start: 500, end: 600 }]);
  assert.deepEqual(mergeRanges([], 10), []);
});
