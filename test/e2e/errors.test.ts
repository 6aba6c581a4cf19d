// Bad input gets a clear error with file, line and column, and nothing is written.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { formatError } from '../../lib/common/errors.js';
import { FIXTURES, startShoal, type Shoal } from '../support/engines.js';

describe('errors', () => {
  let shoal: Shoal;
  before(async () => {
    shoal = await startShoal();
    await shoal.run(`CREATE TABLE src (key INT, value STRING); LOAD DATA LOCAL INPATH '${join(FIXTURES, 'hive', 'kv1.txt')}' INTO TABLE src;`);
  });
  after(() => shoal?.close());

  async function failsWith(sql: string, pattern: RegExp): Promise<void> {
    const before = await shoal.keys();
    let err: unknown;
    try {
      await shoal.run(sql, { file: 'job.sql' });
    } catch (e) {
      err = e;
    }
    assert.ok(err, 'expected the job to fail');
    assert.match(formatError(err), pattern);
    assert.deepEqual(await shoal.keys(), before, 'the warehouse must be unchanged');
  }

  test('a syntax error reports its line and column', async () => {
    await failsWith('CREATE TABLE ok1 (a INT);\nSELECT key\nFROM src WHERE (key > 1;', /^job\.sql:3:24: .*expected '\)'/);
  });

  test('an unknown table is named, and the statements before it do not run', async () => {
    await failsWith('CREATE TABLE ok2 (a INT);\nSELECT * FROM missing_table;', /^job\.sql:2:15: table 'default\.missing_table' does not exist/);
  });

  test('an unknown column is named with its position', async () => {
    await failsWith('SELECT key, nope FROM src', /^job\.sql:1:13: unknown column 'nope'/);
  });

  test('a column neither grouped nor aggregated is named', async () => {
    await failsWith('SELECT key, value FROM src GROUP BY key', /^job\.sql:1:13: the select list refers to 'src\.value', which is neither in GROUP BY/);
  });

  test('a type error says which expression', async () => {
    await failsWith('SELECT sum(key > 1) FROM src', /^job\.sql:1:8: sum\(\) needs a number, but its argument is boolean/);
  });

  test('an unknown function suggests the nearest name', async () => {
    await failsWith('SELECT cont(*) FROM src', /unknown function 'cont'; did you mean 'count'\?/);
  });

  test('inserting the wrong number of columns fails before anything runs', async () => {
    await failsWith('CREATE TABLE two (a INT, b STRING);\nINSERT INTO TABLE two SELECT key FROM src;', /^job\.sql:2:23: cannot insert into 'default\.two': the table expects 2 columns/);
  });

  test('an unsupported storage format is rejected by name', async () => {
    await failsWith('CREATE TABLE o (a INT) STORED AS ORC', /STORED AS ORC is not supported/);
  });
});
