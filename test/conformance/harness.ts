// The conformance suite's harness. Each case is one Hive expression, the DuckDB
// expression that spells out Hive's semantics for it (or the same text where the two
// engines agree), and the semantic it checks. Cases over the same rows are batched into
// one Shoal query and one DuckDB query (the local runner costs a job per query), then
// compared column by column, row by row, each case its own test.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { typeToString } from '../../lib/common/types.js';
import type { Value } from '../../lib/local/results.js';
import { FIXTURES, normRow, startDuckDB, startShoal, writeText, type Reference, type Shoal } from '../support/engines.js';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';

export interface Case {
  /** the Hive semantic the case checks, as a sentence */
  readonly semantic: string;
  readonly hive: string;
  /** DuckDB SQL giving Hive's answer; defaults to `hive` where the engines agree */
  readonly duck?: string;
  /** Hive's result type, where the case checks it */
  readonly type?: string;
  /** rows the expression is evaluated over: a key of ROWS */
  readonly rows?: keyof typeof ROWS;
}

/** A case whose SQL Shoal must reject at planning with a message matching `error`. */
export interface ErrorCase { readonly semantic: string; readonly sql: string; readonly error: RegExp }

/** Row sources with a unique, ordered `id`. */
export const ROWS = {
  /** Hive's src, one row per key below 60 */
  src: { shoal: '(SELECT DISTINCT key AS id, key, value FROM src WHERE key < 60) r', duck: '(SELECT DISTINCT key AS id, key, value FROM src WHERE key < 60) r' },
  /** generated edge values: NULLs, extreme integers, empty and non-ASCII strings, odd dates */
  edge: { shoal: 'edge r', duck: 'edge r' },
  /** one row, for constant expressions */
  one: { shoal: '(SELECT 1 AS id) r', duck: '(SELECT 1 AS id) r' },
} as const;

const EDGE_ROWS: (string | number | null)[][] = [
  [1, 0, 0, 0, '', '2008-04-08', '2008-04-08 01:02:03', '0.00'],
  [2, 1, 1, 1.5, 'hello world', '2020-02-29', '2020-02-29 23:59:59.5', '1.25'],
  [3, -1, -1, -2.5, '  Padded  ', '2019-12-31', '2019-12-31 00:00:00', '-3.75'],
  [4, 2147483647, '9223372036854775807', 1e10, 'Ünïcödé ß', '1970-01-01', '1970-01-01 00:00:00', '99999999.99'],
  [5, -2147483648, '-9223372036854775808', -0.001, 'a,b,,c', '2000-01-31', '2000-01-31 12:30:45', '-99999999.99'],
  [6, null, null, null, null, null, null, null],
  [7, 42, 1234567890123, 2.675, 'val_42', 'not a date', null, '2.68'],
  [8, 7, 7, 0.125, '{"a":{"b":[1,2,{"c":"x"}]},"n":null,"t":true}', '2021-03-15', '2021-03-15 08:00:00', '0.50'],
  [9, 100, -100, 1e-5, 'http://user:pw@example.com:8080/path/p.php?k1=v1&k2=v2#frag', '2024-02-29', '2024-02-29 10:15:00', '12.34'],
  [10, 3, 3, 3.5, 'FOO bar BaZ', '2008-12-31', '2008-12-31 23:59:59', '3.50'],
];
const EDGE_COLUMNS = 'id INT, i INT, b BIGINT, d DOUBLE, s STRING, ds STRING, ts TIMESTAMP, dec DECIMAL(10,2)';

interface Engines { shoal: Shoal; ref: Reference; dir: string }

async function start(): Promise<Engines> {
  const dir = await mkdtemp(join(tmpdir(), 'shoal-conf-'));
  await writeText(join(dir, 'edge.txt'), EDGE_ROWS);
  const shoal = await startShoal();
  const ref = await startDuckDB();
  const kv = join(FIXTURES, 'hive');
  await shoal.run(`
    CREATE TABLE src (key INT, value STRING);
    LOAD DATA LOCAL INPATH '${kv}/kv1.txt' INTO TABLE src;
    CREATE TABLE edge (${EDGE_COLUMNS});
    LOAD DATA LOCAL INPATH '${dir}/edge.txt' INTO TABLE edge;`);
  const text = (path: string, n: number) =>
    `read_csv('${path}', delim='\u0001', header=false, quote='', escape='', columns={${Array.from({ length: n }, (_, i) => `'c${i}':'VARCHAR'`).join(',')}}, auto_detect=false, null_padding=true, nullstr='\\N')`;
  // the reference reads wall-clock times in UTC, Shoal's default session time zone
  await ref.exec(`SET TimeZone = 'UTC'`);
  await ref.exec(`CREATE TABLE src AS SELECT CAST(c0 AS INTEGER) AS key, c1 AS value FROM ${text(`${kv}/kv1.txt`, 2)}`);
  await ref.exec(`CREATE TABLE edge AS SELECT CAST(c0 AS INTEGER) AS id, CAST(c1 AS INTEGER) AS i, CAST(c2 AS BIGINT) AS b, CAST(c3 AS DOUBLE) AS d,
    c4 AS s, c5 AS ds, CAST(c6 AS TIMESTAMP) AS ts, CAST(c7 AS DECIMAL(10,2)) AS dec FROM ${text(`${dir}/edge.txt`, 8)}`);
  return { shoal, ref, dir };
}

/** Values as comparable text; DuckDB's MAP comes back as key/value entries, Shoal's as an object. */
function norm(v: unknown, duckType?: string): string {
  if (duckType?.startsWith('MAP') && Array.isArray(v)) v = Object.fromEntries((v as { key: unknown; value: unknown }[]).map((e) => [String(e.key), e.value]));
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) v = Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)));
  return normRow([v as Value]);
}

export function conformance(family: string, cases: readonly Case[], errors: readonly ErrorCase[] = [], settings?: Record<string, string>): void {
  describe(`conformance: ${family}`, () => {
    let eng: Engines;
    const results = new Map<string, { shoal: unknown[][]; duck: unknown[][]; duckTypes: string[]; types: string[] } | Error>();
    const groups = new Map<string, { c: Case; i: number }[]>();
    cases.forEach((c, i) => {
      const k = c.rows ?? 'edge';
      if (!groups.has(k)) groups.set(k, []);
      groups.get(k)!.push({ c, i });
    });
    before(async () => {
      eng = await start();
      for (const [k, list] of groups) {
        const from = ROWS[k as keyof typeof ROWS];
        const shoalSql = `SELECT id, ${list.map((x, j) => `${x.c.hive} AS e${j}`).join(', ')} FROM ${from.shoal} ORDER BY id`;
        const duckSql = `SELECT id, ${list.map((x, j) => `${x.c.duck ?? x.c.hive} AS e${j}`).join(', ')} FROM ${from.duck} ORDER BY id`;
        const dr = await eng.ref.con.runAndReadAll(duckSql).catch((e: Error) => new Error(`DuckDB: ${e.message}`));
        if (dr instanceof Error) { results.set(k, dr); continue; }
        const r = await eng.shoal.run(shoalSql, { settings }).catch((e: Error) => new Error(`Shoal: ${e.message}`));
        if (r instanceof Error) { results.set(k, r); continue; }
        const last = r.results[r.results.length - 1]!;
        results.set(k, {
          shoal: last.rows.map((row) => [...row]),
          duck: dr.getRowsJson() as unknown[][],
          duckTypes: dr.columnTypes().map(String),
          types: last.columns.map((c) => typeToString(c.type)),
        });
      }
    });
    after(async () => {
      await eng?.shoal.close();
      if (eng) await rm(eng.dir, { recursive: true, force: true });
    });
    for (const [k, list] of groups) {
      list.forEach(({ c }, j) => {
        test(c.semantic, () => {
          const r = results.get(k)!;
          if (r instanceof Error) throw r;
          const col = j + 1;
          const want = r.duck.map((row) => norm(numeric(row[col], r.duckTypes[col]!), r.duckTypes[col]));
          const got = r.shoal.map((row) => norm(row[col]));
          assert.deepEqual(got, want, `${c.hive}\n  vs DuckDB: ${c.duck ?? c.hive}`);
          if (c.type) assert.equal(r.types[col], c.type, `result type of ${c.hive}`);
        });
      });
    }
    for (const e of errors) {
      test(e.semantic, async () => {
        await assert.rejects(eng.shoal.run(e.sql), (err: Error) => {
          assert.match(err.message, e.error);
          return true;
        });
      });
    }
  });
}

/** DuckDB's JSON rows give big numbers as strings, inside lists too; Shoal's results give numbers where they are exact. */
function numeric(v: unknown, type: string): unknown {
  if (!/(BIGINT|HUGEINT|DECIMAL|INTEGER|DOUBLE|FLOAT)/.test(type) || /VARCHAR|STRUCT|MAP/.test(type)) return v;
  const conv = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(conv);
    if (typeof x !== 'string') return x;
    const n = Number(x);
    return /^-?\d+$/.test(x) && !Number.isSafeInteger(n) ? x : n;
  };
  return conv(v);
}
