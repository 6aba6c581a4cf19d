// The e2e tables, loaded identically into a Shoal warehouse and into DuckDB: Hive's
// src, src1, srcpart and kv2 from its qtest files, plus generated tables with NULLs,
// duplicates and skewed keys.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, startDuckDB, startShoal, writeText, type Reference, type Shoal } from '../support/engines.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

export async function makeGenerated(): Promise<{ dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'shoal-gen-'));
  const r = rng(7);
  const kinds = ['view', 'click', 'buy', null];
  const events: (string | number | null)[][] = [];
  for (let i = 0; i < 3000; i++) {
    // user 1 is a hot key: a third of all events
    const user = r() < 0.33 ? 1 : r() < 0.05 ? null : 1 + Math.floor(r() * 200);
    const amount = r() < 0.1 ? null : Math.round(r() * 100000) / 100;
    events.push([i % 2900, user, kinds[Math.floor(r() * kinds.length)]!, amount, r() < 0.1 ? null : (Math.floor(r() * 100000) / 100).toFixed(2)]);
  }
  await writeText(join(dir, 'events.txt'), events);
  const users: (string | number | null)[][] = [];
  for (let u = 1; u <= 220; u += 1) users.push([u, ['DE', 'FR', 'US', null][u % 4]!, u % 7 === 0 ? null : `user ${u}`]);
  await writeText(join(dir, 'users.txt'), users);
  return { dir };
}

export async function loadShoal(shoal: Shoal, genDir: string): Promise<void> {
  const kv = join(FIXTURES, 'hive');
  await shoal.run(`
    CREATE TABLE src (key INT, value STRING);
    LOAD DATA LOCAL INPATH '${kv}/kv1.txt' INTO TABLE src;
    CREATE TABLE src1 (key STRING, value STRING);
    LOAD DATA LOCAL INPATH '${kv}/kv3.txt' INTO TABLE src1;
    CREATE TABLE kv2 (key INT, value STRING);
    LOAD DATA LOCAL INPATH '${kv}/kv2.txt' INTO TABLE kv2;
    CREATE TABLE srcpart (key STRING, value STRING) PARTITIONED BY (ds STRING, hr STRING);
    LOAD DATA LOCAL INPATH '${kv}/kv1.txt' INTO TABLE srcpart PARTITION (ds='2008-04-08', hr='11');
    LOAD DATA LOCAL INPATH '${kv}/kv1.txt' INTO TABLE srcpart PARTITION (ds='2008-04-08', hr='12');
    LOAD DATA LOCAL INPATH '${kv}/kv1.txt' INTO TABLE srcpart PARTITION (ds='2008-04-09', hr='11');
    LOAD DATA LOCAL INPATH '${kv}/kv1.txt' INTO TABLE srcpart PARTITION (ds='2008-04-09', hr='12');
    CREATE TABLE events (id INT, user_id INT, kind STRING, amount DOUBLE, score DECIMAL(10,2));
    LOAD DATA LOCAL INPATH '${genDir}/events.txt' INTO TABLE events;
    CREATE TABLE users (user_id INT, country STRING, name STRING) STORED AS TEXTFILE;
    LOAD DATA LOCAL INPATH '${genDir}/users.txt' INTO TABLE users;
  `);
}

const text = (path: string, cols: string) =>
  `read_csv('${path}', delim='\u0001', header=false, quote='', escape='', columns={${cols}}, auto_detect=false, null_padding=true, nullstr='\\N')`;

export async function loadDuckDB(ref: Reference, genDir: string): Promise<void> {
  const kv = join(FIXTURES, 'hive');
  const two = `'a':'VARCHAR','b':'VARCHAR'`;
  await ref.exec(`CREATE TABLE src AS SELECT TRY_CAST(a AS INTEGER) AS key, b AS value FROM ${text(`${kv}/kv1.txt`, two)}`);
  await ref.exec(`CREATE TABLE src1 AS SELECT a AS key, b AS value FROM ${text(`${kv}/kv3.txt`, two)}`);
  await ref.exec(`CREATE TABLE kv2 AS SELECT TRY_CAST(a AS INTEGER) AS key, b AS value FROM ${text(`${kv}/kv2.txt`, two)}`);
  await ref.exec(`CREATE TABLE srcpart AS ${[['2008-04-08', '11'], ['2008-04-08', '12'], ['2008-04-09', '11'], ['2008-04-09', '12']]
    .map(([ds, hr]) => `SELECT a AS key, b AS value, '${ds}' AS ds, '${hr}' AS hr FROM ${text(`${kv}/kv1.txt`, two)}`).join(' UNION ALL ')}`);
  await ref.exec(`CREATE TABLE events AS SELECT TRY_CAST(a AS INTEGER) AS id, TRY_CAST(b AS INTEGER) AS user_id, c AS kind, TRY_CAST(d AS DOUBLE) AS amount, TRY_CAST(e AS DECIMAL(10,2)) AS score
    FROM ${text(`${genDir}/events.txt`, `'a':'VARCHAR','b':'VARCHAR','c':'VARCHAR','d':'VARCHAR','e':'VARCHAR'`)}`);
  await ref.exec(`CREATE TABLE users AS SELECT TRY_CAST(a AS INTEGER) AS user_id, b AS country, c AS name FROM ${text(`${genDir}/users.txt`, `'a':'VARCHAR','b':'VARCHAR','c':'VARCHAR'`)}`);
}

/** Shoal and DuckDB with every e2e table loaded into both; `close` removes what was made. */
export async function startLoaded(): Promise<{ shoal: Shoal; ref: Reference; genDir: string; close(): Promise<void> }> {
  const gen = await makeGenerated();
  const shoal = await startShoal();
  const ref = await startDuckDB();
  await loadShoal(shoal, gen.dir);
  await loadDuckDB(ref, gen.dir);
  return {
    shoal, ref, genDir: gen.dir,
    async close() {
      await shoal.close();
      await rm(gen.dir, { recursive: true, force: true });
    },
  };
}

/** Shoal and DuckDB with Hive's `src` (kv1.txt) only, for statement tests. */
export async function startWithSrc(): Promise<{ shoal: Shoal; ref: Reference }> {
  const kv1 = join(FIXTURES, 'hive', 'kv1.txt');
  const shoal = await startShoal();
  const ref = await startDuckDB();
  await shoal.run(`CREATE TABLE src (key INT, value STRING); LOAD DATA LOCAL INPATH '${kv1}' INTO TABLE src;`);
  await ref.exec(`CREATE TABLE src AS SELECT TRY_CAST(a AS INTEGER) AS key, b AS value FROM ${text(kv1, `'a':'VARCHAR','b':'VARCHAR'`)}`);
  return { shoal, ref };
}
