// Hive semantics that depend on a whole query rather than one expression, each case run on
// Shoal and on DuckDB with Hive's semantics spelled out in the DuckDB SQL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { normRows, type Reference, type Shoal } from '../support/engines.js';
import { startWithSrc } from './setup.js';

/** A HUGEINT expression reduced to a Java long (two's complement, 64 bits). */
const long = (x: string) => `CAST(((${x}) % 18446744073709551616 + 18446744073709551616 + 9223372036854775808) % 18446744073709551616 - 9223372036854775808 AS BIGINT)`;
/** As text, so that 64-bit values compare exactly. */
const text = (x: string) => `CAST(${x} AS VARCHAR)`;

/**
 * java.util.Random(seed).nextDouble() as its documentation defines it: the seed scrambled
 * with 0x5DEECE66D, the 48-bit LCG s' = s·0x5DEECE66D + 0xB, and each double made of
 * next(26) = s >> 22 and next(27) = s >> 21 as (a·2^27 + b) / 2^53. Row `k` (0-based) of
 * the result is the k-th double.
 */
function javaRandom(seed: number, n: number): string {
  return `WITH RECURSIVE lcg(i, s) AS (
      SELECT 0, xor(CAST(${seed} AS HUGEINT), 25214903917) & 281474976710655
      UNION ALL SELECT i + 1, (s * 25214903917 + 11) % 281474976710656 FROM lcg WHERE i < ${2 * n})
    SELECT (a.i - 1) // 2 AS k, CAST((a.s >> 22) * 134217728 + (b.s >> 21) AS DOUBLE) / 9007199254740992.0 AS r
    FROM lcg a JOIN lcg b ON b.i = a.i + 1 WHERE a.i % 2 = 1`;
}

describe('end-to-end: Hive semantics over whole queries', () => {
  let shoal: Shoal;
  let ref: Reference;
  before(async () => {
    ({ shoal, ref } = await startWithSrc());
  });
  after(() => shoal.close());

  const MANY_TASKS = { 'shoal.shuffle.partitions': '5', 'shoal.adaptive.min-parallelism': '3' };
  /** Cases whose DuckDB SQL spells Hive's meaning; compared as multisets unless `ordered`. */
  const CASES: readonly { name: string; sql: string; duck: string; ordered?: boolean }[] = [
    { name: 'HAVING may name a select-list alias (the aliased aggregate or key)', sql: 'SELECT key AS k, count(*) AS c FROM src GROUP BY key HAVING c > 3 AND k > 100',
      duck: 'SELECT key, count(*) FROM src GROUP BY key HAVING count(*) > 3 AND key > 100' },
    { name: 'HAVING prefers an input column over a select alias of the same name', sql: 'SELECT key, count(*) AS key2, max(value) AS value FROM src GROUP BY key HAVING max(value) > \'val_9\' AND key2 > 1',
      duck: "SELECT key, count(*), max(value) FROM src GROUP BY key HAVING max(value) > 'val_9' AND count(*) > 1" },
    { name: 'sum of integers is a Java long: it wraps around past 64 bits, also across partial and final sums', sql: 'SELECT key % 3, CAST(sum(CAST(key AS BIGINT) * 4611686018427387904) AS STRING), CAST(sum(DISTINCT CAST(key AS BIGINT) * 4611686018427387904) AS STRING) FROM src GROUP BY key % 3',
      duck: `SELECT key % 3, ${text(long('sum(' + long('CAST(key AS HUGEINT) * 4611686018427387904') + ')'))}, ${text(long('sum(DISTINCT ' + long('CAST(key AS HUGEINT) * 4611686018427387904') + ')'))} FROM src GROUP BY key % 3` },
    { name: 'a windowed sum of integers wraps around as a Java long', sql: 'SELECT key, value, CAST(sum(CAST(key AS BIGINT) * 4611686018427387904) OVER (PARTITION BY key % 2 ORDER BY key, value ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS STRING) FROM src',
      duck: `SELECT key, value, ${text(long('sum(' + long('CAST(key AS HUGEINT) * 4611686018427387904') + ') OVER (PARTITION BY key % 2 ORDER BY key, value ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)'))} FROM src` },
  ];
  for (const c of CASES) {
    test(c.name, async () => {
      const want = normRows(await ref.query(c.duck), !!c.ordered);
      assert.deepEqual(normRows(await shoal.query(c.sql), !!c.ordered), want);
      assert.deepEqual(normRows(await shoal.query(c.sql, MANY_TASKS), !!c.ordered), want, 'with several tasks per stage');
    });
  }

  test('rand(seed) is java.util.Random(seed).nextDouble() row after row, one generator per call site (UDFRand)', async () => {
    const got = await shoal.query('SELECT key, rand(7), rand(7) * 10, rand(8) FROM src');
    const want = await ref.query(`SELECT s.key, r7.r, r7.r * 10, r8.r
      FROM (SELECT key, row_number() OVER () - 1 AS k FROM src) s JOIN (${javaRandom(7, 500)}) r7 USING (k) JOIN (${javaRandom(8, 500)}) r8 USING (k) ORDER BY s.k`);
    assert.deepEqual(normRows(got, true), normRows(want, true));
  });
});
