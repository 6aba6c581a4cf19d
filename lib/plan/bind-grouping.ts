// GROUP BY … GROUPING SETS / WITH ROLLUP / WITH CUBE, GROUPING__ID and grouping(col).
//
// Each input row is expanded once per grouping set (keys outside the set NULL, plus the
// set's GROUPING__ID), then grouped by the keys and the id as usual: the expand step
// runs before the partial aggregate, so two-phase aggregation across the shuffle works
// unchanged.
//
// GROUPING__ID follows Hive 2.3.0 and later (HIVE-16102, the SQL standard's GROUPING_ID):
// one bit per GROUP BY expression, the first expression the most significant bit, a bit
// set when the expression is NOT in the row's grouping set. So for `GROUP BY a, b WITH
// ROLLUP`: (a, b) → 0, (a) → 1, () → 3. Hive before 2.3 set the bit for expressions IN
// the set, first expression the least significant; jobs written for that need rewriting.
import { sqlError } from '../common/errors.js';
import { T } from '../common/types.js';
import type * as A from '../sql/ast.js';
import type { BExpr, ColumnInfo, NamedExpr, PlanNode } from './nodes.js';

export const GROUPING_ID = 'grouping__id';

const sameExpr = (a: A.Expr, b: A.Expr) => JSON.stringify(a, noPos) === JSON.stringify(b, noPos);
function noPos(k: string, v: unknown): unknown {
  return k === 'pos' ? undefined : v;
}

/** The grouping sets as indexes into `g.exprs`, or undefined for a plain GROUP BY. */
export function groupingSetsOf(g: A.GroupBy): number[][] | undefined {
  const n = g.exprs.length;
  if (g.rollup) return Array.from({ length: n + 1 }, (_, k) => Array.from({ length: n - k }, (_, i) => i));
  if (g.cube) {
    if (n > 12) throw sqlError(`WITH CUBE over ${n} expressions would make ${2 ** n} grouping sets; at most 12 expressions are allowed`, g.pos);
    return Array.from({ length: 2 ** n }, (_, mask) => Array.from({ length: n }, (_, i) => i).filter((i) => mask & (1 << (n - 1 - i))));
  }
  if (!g.groupingSets) return undefined;
  return g.groupingSets.map((set) => set.map((e) => {
    const i = g.exprs.findIndex((x) => sameExpr(x, e));
    if (i < 0) throw sqlError(`a grouping set may only use expressions of the GROUP BY list`, e.pos);
    return i;
  }));
}

/** Whether a syntax tree mentions GROUPING__ID or calls grouping(). */
export function usesGrouping(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(usesGrouping);
  if (!node || typeof node !== 'object') return false;
  const o = node as Record<string, unknown>;
  if (o.kind === 'call' && o.name === 'grouping') return true;
  if (o.kind === 'column' && Array.isArray(o.parts) && o.parts.length === 1 && String(o.parts[0]).toLowerCase() === GROUPING_ID) return true;
  if (o.kind === 'query') return false; // a subquery's own grouping
  return Object.values(o).some(usesGrouping);
}

/** Rewrites `grouping(x, …)` into bit arithmetic over GROUPING__ID. */
export function rewriteGroupingCalls<T>(node: T, keys: readonly A.Expr[]): T {
  const visit = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(visit);
    if (!x || typeof x !== 'object') return x;
    const o = x as Record<string, unknown>;
    if (o.kind === 'query') return x;
    if (o.kind === 'call' && o.name === 'grouping') return groupingBits(o as unknown as A.CallExpr, keys);
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, visit(v)]));
  };
  return visit(node) as T;
}

function groupingBits(call: A.CallExpr, keys: readonly A.Expr[]): A.Expr {
  const pos = call.pos;
  if (call.args.length === 0) throw sqlError(`grouping() needs at least one GROUP BY expression as its argument`, pos);
  const num = (v: number): A.Expr => ({ kind: 'literal', type: 'number', value: String(v), pos });
  const id: A.Expr = { kind: 'column', parts: [GROUPING_ID], pos };
  const bits = call.args.map((arg, j): A.Expr => {
    const i = keys.findIndex((k) => sameExpr(k, arg));
    if (i < 0) throw sqlError(`the argument of grouping() must be an expression of the GROUP BY list`, arg.pos);
    const bit: A.Expr = { kind: 'binary', op: '%', left: { kind: 'binary', op: 'div', left: id, right: num(2 ** (keys.length - 1 - i)), pos }, right: num(2), pos };
    const weight = 2 ** (call.args.length - 1 - j);
    return weight === 1 ? bit : { kind: 'binary', op: '*', left: bit, right: num(weight), pos };
  });
  const sum = bits.reduce((a, b) => ({ kind: 'binary', op: '+', left: a, right: b, pos }));
  return { kind: 'cast', expr: sum, type: T.int, pos };
}

export interface Expanded {
  readonly plan: PlanNode;
  /** the GROUPING__ID column of the expanded rows, for the select's scope */
  readonly gid: ColumnInfo;
  /** the aggregate's keys: the grouping expressions as computed per set, then the id */
  readonly keys: readonly NamedExpr[];
}

/** One projection per grouping set: the input's columns as they are, the keys (NULL outside the set), the set's id. */
export function expandGroupingSets(input: PlanNode, inputColumns: readonly ColumnInfo[], keys: readonly NamedExpr[], sets: readonly (readonly number[])[], gidOut: ColumnInfo, newId: () => string): Expanded {
  const keyCols: ColumnInfo[] = keys.map((k) => ({ id: newId(), name: k.col.name, type: k.expr.type }));
  const gid: ColumnInfo = { id: newId(), name: GROUPING_ID, type: T.int };
  const pass: BExpr[] = inputColumns.map((c) => ({ kind: 'ref', id: c.id, type: c.type }));
  const projections = sets.map((set) => {
    const id = keys.reduce((acc, _, i) => (set.includes(i) ? acc : acc + 2 ** (keys.length - 1 - i)), 0);
    return [
      ...pass,
      ...keys.map((k, i): BExpr => (set.includes(i) ? k.expr : { kind: 'lit', value: null, type: k.expr.type })),
      { kind: 'lit', value: String(id), type: T.int } satisfies BExpr,
    ];
  });
  const plan: PlanNode = { kind: 'expand', input, columns: [...inputColumns, ...keyCols, gid], projections };
  const ref = (c: ColumnInfo): BExpr => ({ kind: 'ref', id: c.id, type: c.type });
  return {
    plan, gid,
    keys: [...keys.map((k, i) => ({ col: k.col, expr: ref(keyCols[i]!) })), { col: gidOut, expr: ref(gid) }],
  };
}
