// Logical plan nodes and bound expressions: plain JSON-serialisable data, tagged by
// `kind`, because plans travel inside state machine inputs and S3 objects.
// Columns are referred to by id (`c12`), never by position, so rules can move
// operators without renumbering anything.
import type { HiveType } from '../common/types.js';
import type { TableMeta } from '../catalog/model.js';

export interface ColumnInfo {
  readonly id: string;
  readonly name: string;
  readonly type: HiveType;
  /** the table alias or name the column can be qualified with */
  readonly qualifier?: string;
}

export type BExpr =
  | { readonly kind: 'ref'; readonly id: string; readonly type: HiveType }
  /** `value` is the literal's text for numbers (so bigints and decimals stay exact) */
  | { readonly kind: 'lit'; readonly value: string | boolean | null; readonly type: HiveType }
  /**
   * operators and functions by their Hive name (`+`, `=`, `and`, `concat`, …); with `udf`,
   * `fn` names a user function listed in the statement's `udfs` (lib/udf/model.ts)
   */
  | { readonly kind: 'call'; readonly fn: string; readonly args: readonly BExpr[]; readonly type: HiveType; readonly udf?: true }
  /** Hive's CAST: a value that does not convert becomes NULL */
  | { readonly kind: 'cast'; readonly expr: BExpr; readonly type: HiveType }
  | { readonly kind: 'case'; readonly whens: readonly { readonly when: BExpr; readonly then: BExpr }[]; readonly else?: BExpr; readonly type: HiveType }
  | { readonly kind: 'in'; readonly expr: BExpr; readonly list: readonly BExpr[]; readonly not: boolean; readonly type: HiveType };

export interface NamedExpr { readonly col: ColumnInfo; readonly expr: BExpr }

export interface AggCall {
  readonly col: ColumnInfo;
  readonly fn: string; // count, sum, avg, min, max, …
  readonly args: readonly BExpr[];
  readonly distinct: boolean;
  /** `fn` names a user aggregate listed in the statement's `udfs` */
  readonly udf?: true;
  /**
   * a user aggregate split by two-phase-aggregate: `state` folds rows into a partial state
   * (a JSON string), `merge` merges such states into the result; absent, rows → result
   */
  readonly udfStep?: 'state' | 'merge';
}

export interface SortKey { readonly expr: BExpr; readonly desc: boolean; readonly nullsFirst: boolean }

export type JoinType = 'inner' | 'left' | 'right' | 'full' | 'semi' | 'anti' | 'cross';

export type Distribution =
  | { readonly kind: 'hash'; readonly keys: readonly BExpr[] }
  | { readonly kind: 'single' }
  | { readonly kind: 'broadcast' };

/** The table a scan reads, as resolved at plan time; the files are listed at run time. */
export interface ScanTable {
  readonly db: string;
  readonly name: string;
  readonly meta: TableMeta;
}

export type PlanNode =
  | ScanNode
  | ValuesNode
  | FilterNode
  | ProjectNode
  | AggregateNode
  | JoinNode
  | UnionNode
  | SortNode
  | LimitNode
  | ExchangeNode
  | ShuffleReadNode
  | WindowNode
  | ExpandNode
  | GenerateNode;

export interface ScanNode {
  readonly kind: 'scan';
  readonly table: ScanTable;
  /** the columns read, data and partition columns alike */
  readonly columns: readonly ColumnInfo[];
  /** a predicate over partition columns only, evaluated against the catalog's partitions at run time */
  readonly partitionFilter?: BExpr;
  /** a predicate evaluated while reading */
  readonly filter?: BExpr;
}
export interface ValuesNode { readonly kind: 'values'; readonly columns: readonly ColumnInfo[]; readonly rows: readonly (readonly BExpr[])[] }
export interface FilterNode { readonly kind: 'filter'; readonly input: PlanNode; readonly predicate: BExpr }
export interface ProjectNode { readonly kind: 'project'; readonly input: PlanNode; readonly exprs: readonly NamedExpr[] }
export interface AggregateNode {
  readonly kind: 'aggregate';
  readonly input: PlanNode;
  readonly keys: readonly NamedExpr[];
  readonly aggs: readonly AggCall[];
  /** `partial` runs before the shuffle, `final` after it merges the partial states */
  readonly phase: 'single' | 'partial' | 'final';
}
export interface JoinNode {
  readonly kind: 'join';
  readonly joinType: JoinType;
  readonly left: PlanNode;
  readonly right: PlanNode;
  /** equi-join keys, pairwise of the same type */
  readonly leftKeys: readonly BExpr[];
  readonly rightKeys: readonly BExpr[];
  /** the rest of the ON condition */
  readonly residual?: BExpr;
  /** how the build side arrives: decided by the distribution pass */
  readonly strategy?: 'shuffle' | 'broadcast' | 'single';
}
export interface UnionNode { readonly kind: 'union'; readonly inputs: readonly PlanNode[]; readonly columns: readonly ColumnInfo[] }
export interface SortNode {
  readonly kind: 'sort';
  readonly input: PlanNode;
  readonly keys: readonly SortKey[];
  /** Hive's SORT BY: each task sorts its own rows; no gathering into one task */
  readonly local?: boolean;
}
export interface LimitNode { readonly kind: 'limit'; readonly input: PlanNode; readonly limit: number; readonly offset: number }
export interface ExchangeNode { readonly kind: 'exchange'; readonly input: PlanNode; readonly dist: Distribution }
/** A stage's view of an upstream stage's output, placed where an exchange was. */
export interface ShuffleReadNode {
  readonly kind: 'shuffleRead';
  readonly stage: number;
  readonly dist: Distribution;
  readonly columns: readonly ColumnInfo[];
}

/** A window frame bound; offsets are row counts (ROWS) or values of the single order key (RANGE). */
export type FrameBound =
  | { readonly kind: 'unboundedPreceding' }
  | { readonly kind: 'preceding'; readonly offset: number }
  | { readonly kind: 'currentRow' }
  | { readonly kind: 'following'; readonly offset: number }
  | { readonly kind: 'unboundedFollowing' };
export interface WindowFrame { readonly unit: 'rows' | 'range'; readonly start: FrameBound; readonly end: FrameBound }

export interface WindowCall {
  readonly col: ColumnInfo;
  /** row_number, rank, …, lag, lead, first_value, last_value, or an aggregate (count, sum, stddev_pop, …) */
  readonly fn: string;
  readonly args: readonly BExpr[];
  readonly distinct: boolean;
  /** first_value / last_value with Hive's skip-nulls argument */
  readonly ignoreNulls: boolean;
  /** `fn` names a user aggregate listed in the statement's `udfs`, computed over the frame */
  readonly udf?: true;
  /** absent for ranking and offset functions, which have none */
  readonly frame?: WindowFrame;
}
/** Window functions sharing one PARTITION BY and ORDER BY: the input's columns, then one column per call. */
export interface WindowNode {
  readonly kind: 'window';
  readonly input: PlanNode;
  readonly partitionBy: readonly BExpr[];
  readonly orderBy: readonly SortKey[];
  readonly calls: readonly WindowCall[];
}
/** One output row per input row and projection (GROUPING SETS: one projection per set, keys outside the set NULL). */
export interface ExpandNode {
  readonly kind: 'expand';
  readonly input: PlanNode;
  readonly columns: readonly ColumnInfo[];
  readonly projections: readonly (readonly BExpr[])[];
}
/** A table-generating function (LATERAL VIEW, or in a select list): the input's columns, then the generated ones. */
export interface GenerateNode {
  readonly kind: 'generate';
  readonly input: PlanNode;
  /**
   * a built-in generator, or with `udf` a user table function listed in the statement's
   * `udfs`; `replicate_rows(n)` (not callable from SQL: INTERSECT/EXCEPT ALL) repeats its
   * input row n times, as Hive's GenericUDTFReplicateRows does for them
   */
  readonly fn: 'explode' | 'posexplode' | 'inline' | 'json_tuple' | 'replicate_rows' | (string & {});
  readonly args: readonly BExpr[];
  readonly udf?: true;
  /** LATERAL VIEW OUTER: an input row that generates nothing yields one row of NULLs */
  readonly outer: boolean;
  readonly columns: readonly ColumnInfo[];
}

export function inputsOf(node: PlanNode): PlanNode[] {
  switch (node.kind) {
    case 'scan': case 'values': case 'shuffleRead': return [];
    case 'join': return [node.left, node.right];
    case 'union': return [...node.inputs];
    default: return [node.input];
  }
}

/** Rebuilds a node with new inputs, in the order `inputsOf` returns them. */
export function withInputs(node: PlanNode, inputs: readonly PlanNode[]): PlanNode {
  switch (node.kind) {
    case 'scan': case 'values': case 'shuffleRead': return node;
    case 'join': return { ...node, left: inputs[0]!, right: inputs[1]! };
    case 'union': return { ...node, inputs: [...inputs] };
    default: return { ...node, input: inputs[0]! };
  }
}

export function schemaOf(node: PlanNode): readonly ColumnInfo[] {
  switch (node.kind) {
    case 'scan': case 'values': case 'union': case 'shuffleRead': case 'expand': return node.columns;
    case 'window': return [...schemaOf(node.input), ...node.calls.map((c) => c.col)];
    case 'generate': return [...schemaOf(node.input), ...node.columns];
    case 'filter': case 'sort': case 'limit': case 'exchange': return schemaOf(node.input);
    case 'project': return node.exprs.map((e) => e.col);
    case 'aggregate': return [...node.keys.map((k) => k.col), ...node.aggs.map((a) => a.col)];
    case 'join':
      return node.joinType === 'semi' || node.joinType === 'anti' ? schemaOf(node.left) : [...schemaOf(node.left), ...schemaOf(node.right)];
  }
}

/** Bottom-up rewrite; returns the same object where nothing changed. */
export function transformUp(node: PlanNode, f: (n: PlanNode) => PlanNode): PlanNode {
  const ins = inputsOf(node);
  const next = ins.map((i) => transformUp(i, f));
  const rebuilt = next.some((n, i) => n !== ins[i]) ? withInputs(node, next) : node;
  return f(rebuilt);
}

/** The expressions a node evaluates itself (its inputs' are theirs). */
export function ownExprs(n: PlanNode): BExpr[] {
  switch (n.kind) {
    case 'scan': return [n.partitionFilter, n.filter].filter((e): e is BExpr => e !== undefined);
    case 'values': return n.rows.flat();
    case 'filter': return [n.predicate];
    case 'project': return n.exprs.map((e) => e.expr);
    case 'aggregate': return [...n.keys.map((k) => k.expr), ...n.aggs.flatMap((a) => a.args)];
    case 'join': return [...n.leftKeys, ...n.rightKeys, ...(n.residual ? [n.residual] : [])];
    case 'sort': return n.keys.map((k) => k.expr);
    case 'exchange': case 'shuffleRead': return n.dist.kind === 'hash' ? [...n.dist.keys] : [];
    case 'window': return [...n.partitionBy, ...n.orderBy.map((k) => k.expr), ...n.calls.flatMap((c) => c.args)];
    case 'expand': return n.projections.flat();
    case 'generate': return [...n.args];
    case 'union': case 'limit': return [];
  }
}

export function exprChildren(e: BExpr): BExpr[] {
  switch (e.kind) {
    case 'ref': case 'lit': return [];
    case 'call': return [...e.args];
    case 'cast': return [e.expr];
    case 'case': return [...e.whens.flatMap((w) => [w.when, w.then]), ...(e.else ? [e.else] : [])];
    case 'in': return [e.expr, ...e.list];
  }
}

/** Ids of the columns an expression reads. */
export function refsOf(e: BExpr, out: Set<string> = new Set()): Set<string> {
  if (e.kind === 'ref') out.add(e.id);
  for (const c of exprChildren(e)) refsOf(c, out);
  return out;
}

export function mapExpr(e: BExpr, f: (e: BExpr) => BExpr | undefined): BExpr {
  const replaced = f(e);
  if (replaced) return replaced;
  switch (e.kind) {
    case 'ref': case 'lit': return e;
    case 'call': return { ...e, args: e.args.map((a) => mapExpr(a, f)) };
    case 'cast': return { ...e, expr: mapExpr(e.expr, f) };
    case 'case': return { ...e, whens: e.whens.map((w) => ({ when: mapExpr(w.when, f), then: mapExpr(w.then, f) })), else: e.else && mapExpr(e.else, f) };
    case 'in': return { ...e, expr: mapExpr(e.expr, f), list: e.list.map((x) => mapExpr(x, f)) };
  }
}

export function conjuncts(e: BExpr): BExpr[] {
  return e.kind === 'call' && e.fn === 'and' ? e.args.flatMap(conjuncts) : [e];
}

export function andAll(es: readonly BExpr[]): BExpr | undefined {
  if (es.length === 0) return undefined;
  return es.reduce((a, b) => ({ kind: 'call', fn: 'and', args: [a, b], type: { kind: 'primitive', name: 'boolean' } }));
}
