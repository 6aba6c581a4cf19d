// Hive's multi-insert (`FROM src INSERT OVERWRITE TABLE a SELECT … INSERT INTO TABLE b
// SELECT …`): each branch as a statement of its own over the shared FROM and WITH, for
// the binder. The planner then joins the branches' stages back into one statement with
// one sink per branch (planner/plan-job.ts), whose stages scanning the source share
// their tasks (stages/share-scans.ts).
import { sqlError } from '../common/errors.js';
import { partitionPath } from '../catalog/partition-path.js';
import type * as A from '../sql/ast.js';
import type { Sink } from './job.js';

export function splitMultiInsert(s: A.MultiInsertStatement): A.Statement[] {
  return s.branches.map((b): A.Statement => {
    const query: A.QueryExpr = { ...b.query, with: s.with, body: { ...(b.query.body as A.SelectCore), from: s.from } };
    if ('kind' in b) return { kind: 'query', query, pos: b.pos, text: s.text };
    return { ...b, kind: 'insert', query, text: s.text };
  });
}

/**
 * What Hive refuses in a multi-insert: the same output twice (an unpartitioned table, or
 * the same fully static partition; dynamic-partition branches are not checked, as in
 * Hive's SemanticAnalyzer). Shoal also returns rows from one branch at most.
 */
export function checkMultiInsertSinks(sinks: readonly Sink[], positions: readonly A.Pos[]): void {
  const seen = new Set<string>();
  let results = 0;
  sinks.forEach((sink, i) => {
    if (sink.kind === 'result') {
      if (++results > 1) throw sqlError('a multi-insert returns rows from one SELECT branch at most; write the others with INSERT', positions[i]);
      return;
    }
    if (sink.dynamicPartition.length) return;
    const values = sink.partitionColumns.map((c) => sink.staticPartition[c] ?? null);
    const output = `${sink.db}.${sink.table}${values.length ? `@${partitionPath(sink.partitionColumns, values)}` : ''}`;
    if (seen.has(output)) throw sqlError(`The same output cannot be present multiple times: ${output}`, positions[i]);
    seen.add(output);
  });
}
