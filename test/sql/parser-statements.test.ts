// Every statement kind other than a plain query.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SelectCore, Statement } from '../../lib/sql/ast.js';
import { parseScript } from '../../lib/sql/parser.js';
import { col, num, str, strip } from './helpers.js';

function one(sql: string): Statement {
  const { statements } = parseScript(sql);
  assert.equal(statements.length, 1, `expected one statement in ${sql}`);
  return statements[0]!;
}

/** The statement without positions, text or (for brevity) its queries. */
function shape(sql: string): unknown {
  return JSON.parse(JSON.stringify(one(sql), (k, v: unknown) => (k === 'pos' || k === 'text' || k === 'storedAsPos' || k === 'classPos' ? undefined : v)));
}

const int = { kind: 'primitive', name: 'int' };
const string = { kind: 'primitive', name: 'string' };

test("splits a script on semicolons, skips empty statements and keeps each statement's trimmed text", () => {
  const { statements } = parseScript(';;\n  SELECT 1 ;\n\n;USE db ;  SELECT\n  2\n-- trailing comment\n');
  assert.deepEqual(statements.map((s) => [s.kind, s.text]), [['query', 'SELECT 1'], ['use', 'USE db'], ['query', 'SELECT\n  2']]);
  assert.deepEqual(statements[2]!.pos, { line: 4, col: 12, offset: 28 });
  assert.deepEqual(parseScript('  -- nothing here\n ; ').statements, []);
});

test('does not split on semicolons inside strings, backquotes or comments', () => {
  const { statements } = parseScript("SELECT ';' AS `a;b` /* ; */ -- ;\nFROM t; SELECT 2");
  assert.equal(statements.length, 2);
  assert.equal(statements[0]!.text, "SELECT ';' AS `a;b` /* ; */ -- ;\nFROM t");
});

test('takes the SET key up to the first = and the value raw to the end of the statement', () => {
  const { statements } = parseScript(
    'SET;\nSET hive.exec.dynamic.partition.mode;\nSET hive.exec.dynamic.partition.mode=nonstrict;\n'
    + "SET shoal.adaptive.target-bytes-per-task = 128MB ;\nSET a.b=c=d;\nSET x = 'q;r' ;\nSET k=;\nSET -v",
  );
  assert.deepEqual(strip(statements.map((s) => ({ ...s, text: undefined }))), [
    { kind: 'set' },
    { kind: 'set', key: 'hive.exec.dynamic.partition.mode' },
    { kind: 'set', key: 'hive.exec.dynamic.partition.mode', value: 'nonstrict' },
    { kind: 'set', key: 'shoal.adaptive.target-bytes-per-task', value: '128MB' },
    { kind: 'set', key: 'a.b', value: 'c=d' },
    { kind: 'set', key: 'x', value: "'q;r'" },
    { kind: 'set', key: 'k', value: '' },
    { kind: 'set', key: '-v' },
  ]);
  assert.equal(statements[3]!.text, 'SET shoal.adaptive.target-bytes-per-task = 128MB');
  const commented = parseScript('SET a=1 -- the reason; and more\n;SET b=2').statements;
  assert.deepEqual(commented.map((st) => [st.text, (st as { value?: string }).value]), [['SET a=1', '1'], ['SET b=2', '2']]);
});

test('parses RESET with and without a key', () => {
  assert.deepEqual(shape('RESET'), { kind: 'reset' });
  assert.deepEqual(shape('reset hive.exec.parallel'), { kind: 'reset', key: 'hive.exec.parallel' });
});

test('parses EXPLAIN, EXPLAIN EXTENDED and EXPLAIN FORMATTED around any statement', () => {
  const e = one('EXPLAIN EXTENDED\nSELECT a FROM t');
  assert.ok(e.kind === 'explain' && e.extended && !e.formatted && e.statement.kind === 'query');
  assert.equal(e.statement.text, 'SELECT a FROM t');
  assert.deepEqual(e.statement.pos, { line: 2, col: 1, offset: 17 });
  const f = one('EXPLAIN FORMATTED INSERT INTO t SELECT 1');
  assert.ok(f.kind === 'explain' && f.formatted && !f.extended && f.statement.kind === 'insert');
  const s = one('EXPLAIN SET x=1');
  assert.ok(s.kind === 'explain' && s.statement.kind === 'set' && s.statement.value === '1');
});

test('parses INSERT OVERWRITE TABLE with static and dynamic partitions and IF NOT EXISTS', () => {
  const s = one("INSERT OVERWRITE TABLE db.t PARTITION (ds='2024-01-01', hr) IF NOT EXISTS SELECT a, hr FROM src");
  assert.ok(s.kind === 'insert');
  assert.deepEqual(strip({ ...s, query: undefined, text: undefined }), {
    kind: 'insert', overwrite: true, table: { db: 'db', name: 't' },
    partition: [{ column: 'ds', value: str('2024-01-01') }, { column: 'hr' }], ifNotExists: true,
  });
  assert.equal(s.query.body.kind, 'select');
});

test('parses INSERT INTO with or without TABLE, a column list, VALUES and a parenthesised query', () => {
  const v = one("INSERT INTO t PARTITION (ds = '1') (a, b) VALUES (1, 'x'), (2, 'y')");
  assert.ok(v.kind === 'insert' && !v.overwrite && !v.ifNotExists);
  assert.deepEqual(v.columns, ['a', 'b']);
  assert.deepEqual(strip(v.query.body), { kind: 'values', rows: [[num('1'), str('x')], [num('2'), str('y')]] });
  const p = one('INSERT INTO TABLE t (SELECT 1)');
  assert.ok(p.kind === 'insert' && p.columns === undefined && p.query.body.kind === 'nested');
  const w = one('WITH c AS (SELECT 1 a) INSERT INTO t SELECT a FROM c');
  assert.ok(w.kind === 'insert' && w.query.with[0]!.name === 'c');
  assert.deepEqual(w.pos, { line: 1, col: 1, offset: 0 });
});

test('parses a multi-insert with a shared FROM and branches without their own', () => {
  const s = one(`FROM src s
    INSERT OVERWRITE TABLE a PARTITION (ds='1') SELECT s.x WHERE s.y > 0
    INSERT INTO TABLE b SELECT s.y, count(*) GROUP BY s.y ORDER BY s.y LIMIT 5
    SELECT s.z`);
  assert.ok(s.kind === 'multiInsert');
  assert.deepEqual(strip(s.from), { kind: 'table', name: { name: 'src' }, alias: 's' });
  assert.equal(s.branches.length, 3);
  const [a, b, c] = s.branches;
  assert.ok(a && !('kind' in a) && a.overwrite && a.table.name === 'a');
  assert.deepEqual(a.pos, { line: 2, col: 5, offset: 15 });
  const aBody = a.query.body as SelectCore;
  assert.equal(aBody.from, undefined);
  assert.deepEqual(strip(aBody.where), { kind: 'binary', op: '>', left: col('s', 'y'), right: num('0') });
  assert.ok(b && !('kind' in b) && !b.overwrite && b.query.limit === 5 && b.query.orderBy.length === 1);
  assert.ok((b.query.body as SelectCore).groupBy);
  assert.ok(c && 'kind' in c && c.kind === 'select');
});

test('turns a FROM-first single insert into an ordinary INSERT with the FROM inside', () => {
  const s = one('WITH w AS (SELECT 1 x) FROM w INSERT OVERWRITE TABLE t SELECT x');
  assert.ok(s.kind === 'insert' && s.overwrite);
  assert.equal(s.query.with[0]!.name, 'w');
  assert.deepEqual(strip((s.query.body as SelectCore).from), { kind: 'table', name: { name: 'w' } });
});

test('parses CREATE DATABASE / SCHEMA with every clause, DROP DATABASE and USE', () => {
  assert.deepEqual(shape("CREATE DATABASE IF NOT EXISTS sales COMMENT 'c' LOCATION 's3://b/sales' WITH DBPROPERTIES ('owner'='me')"), {
    kind: 'createDatabase', name: 'sales', ifNotExists: true, comment: 'c', location: 's3://b/sales', properties: { owner: 'me' },
  });
  assert.deepEqual(shape('create schema s'), { kind: 'createDatabase', name: 's', ifNotExists: false, properties: {} });
  assert.deepEqual(shape('DROP DATABASE IF EXISTS s CASCADE'), { kind: 'dropDatabase', name: 's', ifExists: true, cascade: true });
  assert.deepEqual(shape('DROP SCHEMA s RESTRICT'), { kind: 'dropDatabase', name: 's', ifExists: false, cascade: false });
  assert.deepEqual(shape('USE default'), { kind: 'use', name: 'default' });
});

test('parses CREATE TABLE with every clause', () => {
  const s = shape(`CREATE EXTERNAL TABLE IF NOT EXISTS db.t (
      id bigint COMMENT 'key',
      tags array<string>,
      attrs map<string, struct<a:int, b:double precision>>,
      amount decimal(12,2), d date, \`comment\` varchar(10), c char(2), f float, n numeric, b boolean, ts timestamp,
      bin binary, ti tinyint, si smallint, i integer
    )
    COMMENT 'a table'
    PARTITIONED BY (ds string, hr int)
    CLUSTERED BY (id) SORTED BY (id DESC, d) INTO 32 BUCKETS
    ROW FORMAT DELIMITED FIELDS TERMINATED BY '\\001' ESCAPED BY '\\\\' COLLECTION ITEMS TERMINATED BY '\\002'
      MAP KEYS TERMINATED BY '\\003' LINES TERMINATED BY '\\n' NULL DEFINED AS ''
    STORED AS parquet
    LOCATION 's3://bucket/t'
    TBLPROPERTIES ('parquet.compression'='SNAPPY', 'x'='y')`) as Record<string, unknown>;
  assert.deepEqual(s, {
    kind: 'createTable', name: { db: 'db', name: 't' }, ifNotExists: true, external: true, temporary: false,
    columns: [
      { name: 'id', type: { kind: 'primitive', name: 'bigint' }, comment: 'key' },
      { name: 'tags', type: { kind: 'array', element: string } },
      {
        name: 'attrs',
        type: {
          kind: 'map', key: string,
          value: { kind: 'struct', fields: [{ name: 'a', type: int }, { name: 'b', type: { kind: 'primitive', name: 'double' } }] },
        },
      },
      { name: 'amount', type: { kind: 'primitive', name: 'decimal', precision: 12, scale: 2 } },
      { name: 'd', type: { kind: 'primitive', name: 'date' } },
      { name: 'comment', type: { kind: 'primitive', name: 'varchar', length: 10 } },
      { name: 'c', type: { kind: 'primitive', name: 'char', length: 2 } },
      { name: 'f', type: { kind: 'primitive', name: 'float' } },
      { name: 'n', type: { kind: 'primitive', name: 'decimal', precision: 10, scale: 0 } },
      { name: 'b', type: { kind: 'primitive', name: 'boolean' } },
      { name: 'ts', type: { kind: 'primitive', name: 'timestamp' } },
      { name: 'bin', type: { kind: 'primitive', name: 'binary' } },
      { name: 'ti', type: { kind: 'primitive', name: 'tinyint' } },
      { name: 'si', type: { kind: 'primitive', name: 'smallint' } },
      { name: 'i', type: int },
    ],
    comment: 'a table',
    partitionedBy: [{ name: 'ds', type: string }, { name: 'hr', type: int }],
    clusteredBy: { columns: ['id'], sortedBy: [{ expr: col('id'), desc: true }, { expr: col('d'), desc: false }], buckets: 32 },
    rowFormat: {
      fieldDelimiter: '\u0001', escapeChar: '\\', collectionDelimiter: '\u0002', mapKeyDelimiter: '\u0003',
      lineDelimiter: '\n', nullFormat: '',
    },
    storedAs: 'PARQUET',
    location: 's3://bucket/t',
    properties: { 'parquet.compression': 'SNAPPY', x: 'y' },
  });
  const withPos = one('CREATE TABLE t (a int) STORED AS orc');
  assert.ok(withPos.kind === 'createTable');
  assert.deepEqual(withPos.storedAsPos, { line: 1, col: 34, offset: 33 });
});

test('parses CTAS, including Hive 4 PARTITIONED BY with names only', () => {
  const s = one('CREATE TABLE t PARTITIONED BY (ds, hr) STORED AS PARQUET AS SELECT a, ds, hr FROM src');
  assert.ok(s.kind === 'createTable' && s.asSelect?.body.kind === 'select');
  assert.deepEqual(s.partitionedByNames, ['ds', 'hr']);
  assert.deepEqual(s.partitionedBy, []);
  assert.deepEqual(s.columns, []);
  const plain = one('create temporary table tmp as select 1 x');
  assert.ok(plain.kind === 'createTable' && plain.temporary && !plain.external && plain.asSelect);
});

test('parses CREATE TABLE LIKE with its location and properties', () => {
  assert.deepEqual(shape("CREATE TABLE IF NOT EXISTS t2 LIKE db.t LOCATION '/x' TBLPROPERTIES ('a'='b')"), {
    kind: 'createTable', name: { name: 't2' }, ifNotExists: true, external: false, temporary: false, columns: [],
    partitionedBy: [], properties: { a: 'b' }, location: '/x', like: { db: 'db', name: 't' },
  });
});

test('parses ROW FORMAT SERDE with SERDEPROPERTIES', () => {
  const s = one("CREATE TABLE t (a string) ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde' WITH SERDEPROPERTIES ('separatorChar'=',') STORED AS TEXTFILE");
  assert.ok(s.kind === 'createTable');
  assert.deepEqual(s.rowFormat, { serde: 'org.apache.hadoop.hive.serde2.OpenCSVSerde', serdeProperties: { separatorChar: ',' } });
  assert.equal(s.storedAs, 'TEXTFILE');
});

test('parses DROP TABLE with IF EXISTS and PURGE, and LOAD DATA', () => {
  assert.deepEqual(shape('DROP TABLE IF EXISTS db.t PURGE'), { kind: 'dropTable', name: { db: 'db', name: 't' }, ifExists: true, purge: true });
  assert.deepEqual(shape('drop table t'), { kind: 'dropTable', name: { name: 't' }, ifExists: false, purge: false });
  assert.deepEqual(shape("LOAD DATA LOCAL INPATH '/tmp/x.csv' OVERWRITE INTO TABLE t PARTITION (ds='1')"), {
    kind: 'loadData', local: true, path: '/tmp/x.csv', overwrite: true, table: { name: 't' }, partition: [{ column: 'ds', value: str('1') }],
  });
  assert.deepEqual(shape("LOAD DATA INPATH 's3://b/k' INTO TABLE t"), {
    kind: 'loadData', local: false, path: 's3://b/k', overwrite: false, table: { name: 't' },
  });
});

test('parses CREATE [OR REPLACE] VIEW with columns, comment and properties, and DROP VIEW', () => {
  const v = one("CREATE OR REPLACE VIEW IF NOT EXISTS db.v (x COMMENT 'the x', y) COMMENT 'view' TBLPROPERTIES ('k'='v') AS SELECT a, b FROM t");
  assert.ok(v.kind === 'createView' && v.orReplace && v.ifNotExists);
  assert.deepEqual(strip(v.name), { db: 'db', name: 'v' });
  assert.deepEqual(v.columns, ['x', 'y']);
  assert.equal(v.comment, 'view');
  assert.deepEqual(v.properties, { k: 'v' });
  assert.equal(v.query.body.kind, 'select');
  const plain = one('CREATE VIEW v AS SELECT 1');
  assert.ok(plain.kind === 'createView' && !plain.orReplace && plain.columns === undefined);
  assert.deepEqual(shape('DROP VIEW IF EXISTS v'), { kind: 'dropView', name: { name: 'v' }, ifExists: true });
});

test('parses every ALTER TABLE action', () => {
  const action = (sql: string) => (shape(`ALTER TABLE db.t ${sql}`) as { action: unknown }).action;
  assert.deepEqual(action("ADD IF NOT EXISTS PARTITION (ds='1') LOCATION '/a' PARTITION (ds='2')"), {
    kind: 'addPartitions', ifNotExists: true,
    partitions: [{ spec: [{ column: 'ds', value: str('1') }], location: '/a' }, { spec: [{ column: 'ds', value: str('2') }] }],
  });
  assert.deepEqual(action("DROP IF EXISTS PARTITION (ds='1'), PARTITION (ds < '0', hr >= 3) PURGE"), {
    kind: 'dropPartitions', ifExists: true,
    partitions: [[{ column: 'ds', value: str('1') }], [{ column: 'ds', op: '<', value: str('0') }, { column: 'hr', op: '>=', value: num('3') }]],
  });
  assert.deepEqual(action('RENAME TO db.u'), { kind: 'rename', to: { db: 'db', name: 'u' } });
  assert.deepEqual(action("ADD COLUMNS (c int COMMENT 'new') CASCADE"), {
    kind: 'addColumns', columns: [{ name: 'c', type: int, comment: 'new' }], replace: false,
  });
  assert.deepEqual(action('REPLACE COLUMNS (a string, b int)'), {
    kind: 'addColumns', columns: [{ name: 'a', type: string }, { name: 'b', type: int }], replace: true,
  });
  assert.deepEqual(action("SET TBLPROPERTIES ('a'='1')"), { kind: 'setProperties', properties: { a: '1' } });
  assert.deepEqual(action("SET LOCATION 's3://x'"), { kind: 'setLocation', location: 's3://x' });
  assert.deepEqual(action("PARTITION (ds='1') SET LOCATION 's3://y'"), {
    kind: 'setLocation', location: 's3://y', partition: [{ column: 'ds', value: str('1') }],
  });
  assert.deepEqual(action('CHANGE COLUMN a b bigint'), { kind: 'changeColumn', from: 'a', column: { name: 'b', type: { kind: 'primitive', name: 'bigint' } } });
  assert.deepEqual(action("CHANGE a a string COMMENT 'x' AFTER c"), {
    kind: 'changeColumn', from: 'a', column: { name: 'a', type: string, comment: 'x' }, after: 'c',
  });
});

test('parses TRUNCATE and MSCK REPAIR', () => {
  assert.deepEqual(shape("TRUNCATE TABLE t PARTITION (ds='1')"), { kind: 'truncate', name: { name: 't' }, partition: [{ column: 'ds', value: str('1') }] });
  assert.deepEqual(shape('MSCK REPAIR TABLE db.t'), { kind: 'msck', name: { db: 'db', name: 't' } });
  assert.deepEqual(shape('MSCK REPAIR TABLE t SYNC PARTITIONS'), { kind: 'msck', name: { name: 't' }, partitions: 'sync' });
});

test('parses every SHOW form', () => {
  assert.deepEqual(shape('SHOW DATABASES'), { kind: 'show', what: 'databases' });
  assert.deepEqual(shape("SHOW SCHEMAS LIKE 's*'"), { kind: 'show', what: 'databases', like: 's*' });
  assert.deepEqual(shape("SHOW TABLES IN db LIKE 'a*'"), { kind: 'show', what: 'tables', name: { name: 'db' }, like: 'a*' });
  assert.deepEqual(shape("SHOW TABLES 'a*|b*'"), { kind: 'show', what: 'tables', like: 'a*|b*' });
  assert.deepEqual(shape('SHOW VIEWS FROM db'), { kind: 'show', what: 'views', name: { name: 'db' } });
  assert.deepEqual(shape("SHOW PARTITIONS db.t PARTITION (ds='1')"), {
    kind: 'show', what: 'partitions', name: { db: 'db', name: 't' }, partition: [{ column: 'ds', value: str('1') }],
  });
  assert.deepEqual(shape('SHOW CREATE TABLE t'), { kind: 'show', what: 'createTable', name: { name: 't' } });
  assert.deepEqual(shape("SHOW FUNCTIONS LIKE 'date*'"), { kind: 'show', what: 'functions', like: 'date*' });
  assert.deepEqual(shape('SHOW COLUMNS IN t'), { kind: 'show', what: 'columns', name: { name: 't' } });
  assert.deepEqual(shape('SHOW COLUMNS FROM t IN db'), { kind: 'show', what: 'columns', name: { db: 'db', name: 't' } });
  assert.deepEqual(shape('SHOW TBLPROPERTIES t'), { kind: 'show', what: 'tblproperties', name: { name: 't' } });
});

test('parses every DESCRIBE form', () => {
  assert.deepEqual(shape('DESCRIBE t'), { kind: 'describe', target: 'table', name: { name: 't' }, formatted: false, extended: false });
  assert.deepEqual(shape("DESC FORMATTED db.t PARTITION (ds='1')"), {
    kind: 'describe', target: 'table', name: { db: 'db', name: 't' }, formatted: true, extended: false, partition: [{ column: 'ds', value: str('1') }],
  });
  assert.deepEqual(shape('DESCRIBE EXTENDED t c'), { kind: 'describe', target: 'table', name: { name: 't' }, formatted: false, extended: true, column: 'c' });
  assert.deepEqual(shape('DESCRIBE DATABASE EXTENDED db'), { kind: 'describe', target: 'database', name: { name: 'db' }, formatted: false, extended: true });
  assert.deepEqual(shape('DESCRIBE FUNCTION EXTENDED upper'), { kind: 'describe', target: 'function', name: { name: 'upper' }, formatted: false, extended: true });
});

test('parses ANALYZE TABLE in its variants', () => {
  assert.deepEqual(shape("ANALYZE TABLE t PARTITION (ds='1') COMPUTE STATISTICS NOSCAN"), {
    kind: 'analyze', name: { name: 't' }, partition: [{ column: 'ds', value: str('1') }], forColumns: false, noScan: true,
  });
  assert.deepEqual(shape('ANALYZE TABLE t PARTITION (ds) COMPUTE STATISTICS FOR COLUMNS'), {
    kind: 'analyze', name: { name: 't' }, partition: [{ column: 'ds' }], forColumns: true, noScan: false,
  });
  assert.deepEqual(shape('ANALYZE TABLE t COMPUTE STATISTICS FOR COLUMNS a, b'), {
    kind: 'analyze', name: { name: 't' }, forColumns: true, noScan: false, columns: ['a', 'b'],
  });
});

test('parses ADD JAR / FILES with quoted or bare paths', () => {
  assert.deepEqual(shape("ADD JAR '/tmp/udfs.jar'"), { kind: 'addResource', resourceKind: 'jar', paths: ['/tmp/udfs.jar'] });
  assert.deepEqual(shape("ADD FILES /tmp/a.txt 's3://b/c d.txt'"), { kind: 'addResource', resourceKind: 'file', paths: ['/tmp/a.txt', 's3://b/c d.txt'] });
  assert.deepEqual(shape('add jars s3://b/x.jar'), { kind: 'addResource', resourceKind: 'jar', paths: ['s3://b/x.jar'] });
});

test('parses CREATE and DROP [TEMPORARY] FUNCTION', () => {
  assert.deepEqual(shape("CREATE TEMPORARY FUNCTION my_upper AS 'com.example.Upper'"), {
    kind: 'createFunction', temporary: true, name: { name: 'my_upper' }, className: 'com.example.Upper', resources: [],
  });
  assert.deepEqual(shape("CREATE FUNCTION db.f AS 'C' USING JAR 's3://b/f.jar', FILE 's3://b/data.txt'"), {
    kind: 'createFunction', temporary: false, name: { db: 'db', name: 'f' }, className: 'C',
    resources: [{ kind: 'jar', path: 's3://b/f.jar' }, { kind: 'file', path: 's3://b/data.txt' }],
  });
  assert.deepEqual(shape('DROP TEMPORARY FUNCTION IF EXISTS my_upper'), { kind: 'dropFunction', temporary: true, name: { name: 'my_upper' }, ifExists: true });
  assert.deepEqual(shape('DROP FUNCTION db.f'), { kind: 'dropFunction', temporary: false, name: { db: 'db', name: 'f' }, ifExists: false });
});

test('parses a signature written in CREATE FUNCTION: argument types, RETURNS type or TABLE (…), and the NULL clause', () => {
  assert.deepEqual(shape("CREATE TEMPORARY FUNCTION f(STRING, array<int>) RETURNS decimal(10,2) RETURNS NULL ON NULL INPUT AS 'g' USING FILE 'u.mjs'"), {
    kind: 'createFunction', temporary: true, name: { name: 'f' }, className: 'g', resources: [{ kind: 'file', path: 'u.mjs' }],
    signature: { args: [string, { kind: 'array', element: int }], returns: { kind: 'primitive', name: 'decimal', precision: 10, scale: 2 }, table: false },
    nullOnNullInput: true,
  });
  assert.deepEqual(shape("CREATE FUNCTION db.w() RETURNS TABLE (Word string, n int) CALLED ON NULL INPUT AS 'm#w'"), {
    kind: 'createFunction', temporary: false, name: { db: 'db', name: 'w' }, className: 'm#w', resources: [],
    signature: { args: [], returns: { kind: 'struct', fields: [{ name: 'word', type: string }, { name: 'n', type: int }] }, table: true },
    nullOnNullInput: false,
  });
  assert.deepEqual(shape('DESCRIBE FUNCTION db.f'), { kind: 'describe', target: 'function', name: { db: 'db', name: 'f' }, formatted: false, extended: false });
});
