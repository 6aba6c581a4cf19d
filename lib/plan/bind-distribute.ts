// Hive's DISTRIBUTE BY, SORT BY and CLUSTER BY over a query's output: DISTRIBUTE BY is a
// hash exchange on its keys (rows with equal keys go to the same task, and so to the same
// output file of an INSERT), SORT BY sorts each task's rows without gathering them, and
// CLUSTER BY k is DISTRIBUTE BY k SORT BY k. The result's rows are the same multiset as
// without them; what changes is which task writes which rows, and in which order.
import { sqlError } from '../common/errors.js';
import type * as A from '../sql/ast.js';
import { bindExpr, type ExprEnv } from './bind-expr.js';
import type { Bound } from './bind-query.js';
import type { PlanNode, SortKey } from './nodes.js';

export function distributeAndSort(b: Bound, q: A.QueryExpr): Bound {
  if (q.clusterBy.length && (q.distributeBy.length || q.sortBy.length))
    throw sqlError(`CLUSTER BY cannot be combined with DISTRIBUTE BY or SORT BY (it is both)`, q.clusterBy[0]!.pos);
  if (q.orderBy.length && (q.sortBy.length || q.clusterBy.length))
    throw sqlError(`ORDER BY cannot be combined with ${q.sortBy.length ? 'SORT BY' : 'CLUSTER BY'}`, q.orderBy[0]!.expr.pos);
  const env = (clause: string): ExprEnv => ({ scope: { columns: b.columns }, clause });
  const distribute = (q.clusterBy.length ? q.clusterBy : q.distributeBy).map((e) => bindExpr(e, env(q.clusterBy.length ? 'CLUSTER BY' : 'DISTRIBUTE BY')));
  const sort: SortKey[] = q.clusterBy.length
    ? distribute.map((expr) => ({ expr, desc: false, nullsFirst: true }))
    : q.sortBy.map((o) => ({ expr: bindExpr(o.expr, env('SORT BY')), desc: o.desc, nullsFirst: o.nulls ? o.nulls === 'first' : !o.desc }));
  let plan: PlanNode = b.plan;
  if (distribute.length) plan = { kind: 'exchange', input: plan, dist: { kind: 'hash', keys: distribute } };
  if (sort.length) plan = { kind: 'sort', input: plan, keys: sort, local: true };
  return { plan, columns: b.columns };
}
