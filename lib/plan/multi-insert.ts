// Hive's multi-insert (`FROM src INSERT OVERWRITE TABLE a SELECT … INSERT INTO TABLE b
// SELECT …`) as one statement per branch, in order, each with the shared FROM and WITH.
// Each branch reads the source itself: the job has one sink per statement today, so the
// branches cannot share one scan yet (see docs/hive-compatibility.md).
import type * as A from '../sql/ast.js';

export function splitMultiInsert(s: A.MultiInsertStatement): A.Statement[] {
  return s.branches.map((b): A.Statement => {
    const query: A.QueryExpr = { ...b.query, with: s.with, body: { ...(b.query.body as A.SelectCore), from: s.from } };
    if ('kind' in b) return { kind: 'query', query, pos: b.pos, text: s.text };
    return { ...b, kind: 'insert', query, text: s.text };
  });
}
