// The shadow rewrite of a multi-insert: every branch's target goes to the shadow
// database; the source, read before any branch writes, stays production's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shadowRewriter } from '../../lib/compare/shadow-rewrite.js';
import { parseScript } from '../../lib/sql/parser.js';
import type * as A from '../../lib/sql/ast.js';

test('a multi-insert writes every branch target into the shadow database and still reads production', () => {
  const r = shadowRewriter('shadow');
  const [st] = parseScript(`FROM src INSERT OVERWRITE TABLE a SELECT key INSERT INTO TABLE db2.b PARTITION (p) SELECT key, value SELECT key`).statements;
  const out = r.rewrite(st!, 'default') as A.MultiInsertStatement;
  assert.equal(out.kind, 'multiInsert');
  assert.deepEqual(out.branches.map((b) => ('table' in b ? `${b.table.db}.${b.table.name}` : b.kind)), ['shadow.a', 'shadow.b', 'select']);
  assert.deepEqual([...r.written], [['default.a', 'shadow.a'], ['db2.b', 'shadow.b']]);
  assert.deepEqual(JSON.stringify(out.from).match(/"name":"src"/g)?.length, 1);
  assert.ok(!JSON.stringify(out.from).includes('shadow'));
});
