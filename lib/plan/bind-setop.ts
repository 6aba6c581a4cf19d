// INTERSECT and EXCEPT (Hive 2.1+), planned without new operators: both sides tagged
// with the side they came from, unioned, grouped by every column (so NULLs meet NULLs,
// as set operations require) with a row count per side, and the groups filtered on the
// counts. The grouping hashes rows across tasks like any aggregate. The ALL forms then
// repeat each group's row min(left, right) times (INTERSECT ALL) or left − right times
// (EXCEPT ALL), as Hive plans them with its replicate_rows table function.
import { sqlError, type SourcePos } from '../common/errors.js';
import { T } from '../common/types.js';
import { call, lit } from './bind-expr.js';
import { andAll, schemaOf, type AggCall, type BExpr, type ColumnInfo, type NamedExpr, type PlanNode } from './nodes.js';

const ref = (c: ColumnInfo): BExpr => ({ kind: 'ref', id: c.id, type: c.type });

/**
 * `left INTERSECT|EXCEPT right`: both plans already produce the same column types by
 * position; the result's columns are named like `names`.
 */
export function bindIntersectExcept(
  op: 'intersect' | 'except', all: boolean, left: PlanNode, right: PlanNode,
  names: readonly string[], newId: () => string, pos: SourcePos,
): { plan: PlanNode; columns: ColumnInfo[] } {
  const types = schemaOf(left).map((c) => c.type);
  const tagged = (plan: PlanNode, fromLeft: boolean): PlanNode => ({
    kind: 'project', input: plan,
    exprs: [
      ...schemaOf(plan).map((c, i) => ({ col: { id: newId(), name: names[i]!, type: types[i]! }, expr: ref(c) })),
      { col: { id: newId(), name: '_left', type: T.int }, expr: lit(fromLeft ? '1' : '0', T.int) },
      { col: { id: newId(), name: '_right', type: T.int }, expr: lit(fromLeft ? '0' : '1', T.int) },
    ],
  });
  const unionCols: ColumnInfo[] = [
    ...types.map((type, i) => ({ id: newId(), name: names[i]!, type })),
    { id: newId(), name: '_left', type: T.int },
    { id: newId(), name: '_right', type: T.int },
  ];
  const union: PlanNode = { kind: 'union', inputs: [tagged(left, true), tagged(right, false)], columns: unionCols };
  const keys: NamedExpr[] = unionCols.slice(0, types.length).map((c) => ({ col: { ...c, id: newId() }, expr: ref(c) }));
  const count = (c: ColumnInfo): AggCall => ({ col: { id: newId(), name: `${c.name}_rows`, type: T.bigint }, fn: 'sum', args: [ref(c)], distinct: false });
  const inLeft = count(unionCols[types.length]!);
  const inRight = count(unionCols[types.length + 1]!);
  const zero = lit('0', T.bigint);
  const keep = andAll([
    call('>', [ref(inLeft.col), zero], T.boolean),
    // EXCEPT keeps rows the right side lacks; EXCEPT ALL those it has fewer copies of
    op === 'intersect' ? call('>', [ref(inRight.col), zero], T.boolean)
      : all ? call('>', [ref(inLeft.col), ref(inRight.col)], T.boolean)
      : call('=', [ref(inRight.col), zero], T.boolean),
  ])!;
  const grouped: PlanNode = { kind: 'aggregate', input: union, keys, aggs: [inLeft, inRight], phase: 'single' };
  let kept: PlanNode = { kind: 'filter', input: grouped, predicate: keep };
  if (all) {
    const times = op === 'intersect'
      ? call('least', [ref(inLeft.col), ref(inRight.col)], T.bigint)
      : call('-', [ref(inLeft.col), ref(inRight.col)], T.bigint);
    kept = { kind: 'generate', input: kept, fn: 'replicate_rows', args: [times], outer: false, columns: [{ id: newId(), name: '_copy', type: T.bigint }] };
  }
  const columns = keys.map((k) => ({ ...k.col, id: newId() }));
  const plan: PlanNode = { kind: 'project', input: kept, exprs: keys.map((k, i) => ({ col: columns[i]!, expr: ref(k.col) })) };
  return { plan, columns };
}
