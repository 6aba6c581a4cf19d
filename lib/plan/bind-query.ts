// Binds a query (SELECT, set operations, FROM items) into a logical plan.
import { catalogError, sqlError, type SourcePos } from '../common/errors.js';
import { T, typeToString, type HiveType } from '../common/types.js';
import type { CatalogState, TableMeta } from '../catalog/model.js';
import type * as A from '../sql/ast.js';
import { bindExpr, castTo, containsAggregate, requireBoolean, type AggCollector, type ExprEnv, type Scope } from './bind-expr.js';
import { bindIntersectExcept } from './bind-setop.js';
import { subqueryBinder, type SubqueryBinder } from './bind-subquery.js';
import { comparisonType, unionType } from './coercion.js';
import { nearestName } from './functions.js';
import { windowBinder } from './bind-window.js';
import { distributeAndSort } from './bind-distribute.js';
import { bindGenerate, isGenerator } from './bind-generate.js';
import { GROUPING_ID, expandGroupingSets, groupingSetsOf, rewriteGroupingCalls, usesGrouping } from './bind-grouping.js';
import {
  andAll, conjuncts, mapExpr, refsOf, schemaOf,
  type AggCall, type BExpr, type ColumnInfo, type NamedExpr, type PlanNode, type SortKey,
} from './nodes.js';

export interface BindContext {
  readonly catalog: CatalogState;
  readonly currentDb: string;
  readonly newId: () => string;
  /** views are stored as text; the binder parses them with this */
  readonly parseQuery: (text: string) => A.QueryExpr;
  /** `SET` values: Hive's position-alias switches are read while binding */
  readonly settings?: Readonly<Record<string, string>>;
  /** inside a subquery: the enclosing query's columns, which its WHERE may refer to */
  readonly outer?: Scope;
}

/**
 * Whether `ORDER BY 2` / `GROUP BY 2` mean the second select-list item. Hive 2.2+:
 * hive.orderby.position.alias (default true) and hive.groupby.position.alias (default
 * false); the older hive.groupby.orderby.position.alias, when set, switches both.
 */
function positionAlias(ctx: BindContext, clause: 'order' | 'group'): boolean {
  const s = ctx.settings ?? {};
  const key = clause === 'order' ? 'hive.orderby.position.alias' : 'hive.groupby.position.alias';
  const v = s[key] ?? s['hive.groupby.orderby.position.alias'];
  return v === undefined ? clause === 'order' : v.trim().toLowerCase() === 'true';
}
const positionOf = (e: A.Expr): number | undefined =>
  e.kind === 'literal' && e.type === 'number' && /^\d+$/.test(String(e.value)) ? Number(e.value) : undefined;

interface CteDef { readonly name: string; readonly query: A.QueryExpr; readonly columns?: readonly string[]; readonly ctes: CteScope }
type CteScope = ReadonlyMap<string, CteDef>;

export interface Bound {
  readonly plan: PlanNode;
  /** the plan's output columns, with the names a result or a qualifier would use */
  readonly columns: readonly ColumnInfo[];
}

export function lookupTable(ctx: Pick<BindContext, 'catalog' | 'currentDb'>, name: A.QName): TableMeta {
  const db = (name.db ?? ctx.currentDb).toLowerCase();
  const dbMeta = ctx.catalog.databases[db];
  if (!dbMeta) throw catalogError(`database '${db}' does not exist`, name.pos);
  const t = dbMeta.tables[name.name.toLowerCase()];
  if (!t) {
    const near = nearestName(name.name.toLowerCase(), Object.keys(dbMeta.tables));
    throw catalogError(`table '${db}.${name.name}' does not exist${near ? `; did you mean '${near}'?` : ''}`, name.pos);
  }
  return t;
}

export function bindQuery(q: A.QueryExpr, ctx: BindContext, outer: CteScope = new Map()): Bound {
  let ctes = outer;
  for (const c of q.with) {
    const next = new Map(ctes);
    next.set(c.name.toLowerCase(), { name: c.name.toLowerCase(), query: c.query, columns: c.columns, ctes });
    ctes = next;
  }
  let bound: Bound;
  if (q.body.kind === 'select') bound = bindSelect(q.body, q.orderBy, ctx, ctes);
  else {
    bound = bindSetExpr(q.body, ctx, ctes);
    if (q.orderBy.length) bound = orderByOutput(bound, q.orderBy, positionAlias(ctx, 'order'));
  }
  if (q.clusterBy.length || q.distributeBy.length || q.sortBy.length) bound = distributeAndSort(bound, q);
  if (q.limit !== undefined || q.offset !== undefined)
    bound = { plan: { kind: 'limit', input: bound.plan, limit: q.limit ?? Number.MAX_SAFE_INTEGER, offset: q.offset ?? 0 }, columns: bound.columns };
  return bound;
}

function bindSetExpr(s: A.SetExpr, ctx: BindContext, ctes: CteScope): Bound {
  switch (s.kind) {
    case 'select': return bindSelect(s, [], ctx, ctes);
    case 'nested': return bindQuery(s.query, ctx, ctes);
    case 'values': return bindValues(s, ctx);
    case 'setop': {
      const l = bindSetExpr(s.left, ctx, ctes);
      const r = bindSetExpr(s.right, ctx, ctes);
      if (l.columns.length !== r.columns.length)
        throw sqlError(`the two sides of ${s.op.toUpperCase()} have different numbers of columns: ${l.columns.length} and ${r.columns.length}`, s.pos);
      const types = l.columns.map((c, i) => unionType(c.type, r.columns[i]!.type));
      const align = (b: Bound): PlanNode => {
        if (b.columns.every((c, i) => typeToString(c.type) === typeToString(types[i]!))) return b.plan;
        return {
          kind: 'project', input: b.plan,
          exprs: b.columns.map((c, i) => ({ col: { id: ctx.newId(), name: c.name, type: types[i]! }, expr: castTo({ kind: 'ref', id: c.id, type: c.type }, types[i]!) })),
        };
      };
      if (s.op !== 'union') return bindIntersectExcept(s.op, s.all, align(l), align(r), l.columns.map((c) => c.name), ctx.newId, s.pos);
      const columns = l.columns.map((c, i) => ({ id: ctx.newId(), name: c.name, type: types[i]! }));
      // A union's inputs map to its columns by position, so nested unions flatten freely.
      const inputs = [align(l), align(r)].flatMap((p) => (p.kind === 'union' ? p.inputs : [p]));
      const union: PlanNode = { kind: 'union', inputs, columns };
      return s.all ? { plan: union, columns } : distinctOf({ plan: union, columns }, ctx);
    }
  }
}

function bindValues(v: A.ValuesExpr, ctx: BindContext): Bound {
  const env: ExprEnv = { scope: { columns: [] }, clause: 'VALUES' };
  const rows = v.rows.map((r) => r.map((e) => bindExpr(e, env)));
  const width = rows[0]?.length ?? 0;
  if (rows.some((r) => r.length !== width)) throw sqlError(`every VALUES row must have ${width} values`, v.pos);
  const types = Array.from({ length: width }, (_, i) => rows.reduce<HiveType>((t, r) => unionType(t, r[i]!.type), T.void));
  const columns = types.map((t, i) => ({ id: ctx.newId(), name: `col${i + 1}`, type: typeToString(t) === 'void' ? T.string : t }));
  return { plan: { kind: 'values', columns, rows: rows.map((r) => r.map((e, i) => castTo(e, columns[i]!.type))) }, columns };
}

function distinctOf(b: Bound, ctx: BindContext): Bound {
  const keys: NamedExpr[] = b.columns.map((c) => ({ col: { ...c, id: ctx.newId() }, expr: { kind: 'ref', id: c.id, type: c.type } }));
  return { plan: { kind: 'aggregate', input: b.plan, keys, aggs: [], phase: 'single' }, columns: keys.map((k) => k.col) };
}

function orderByOutput(b: Bound, order: readonly A.OrderItem[], byPosition: boolean): Bound {
  const env: ExprEnv = { scope: { columns: b.columns.map((c) => ({ ...c, qualifier: undefined })) }, clause: 'ORDER BY' };
  const keys = order.map((o) => sortKey((byPosition ? positional(o.expr, b.columns) : undefined) ?? bindExpr(o.expr, env), o));
  return { plan: { kind: 'sort', input: b.plan, keys }, columns: b.columns };
}

function positional(e: A.Expr, columns: readonly ColumnInfo[]): BExpr | undefined {
  if (e.kind !== 'literal' || e.type !== 'number' || !/^\d+$/.test(String(e.value))) return undefined;
  const n = Number(e.value);
  const c = columns[n - 1];
  if (!c) throw sqlError(`ORDER BY position ${n} is not in the select list (1 to ${columns.length})`, e.pos);
  return { kind: 'ref', id: c.id, type: c.type };
}

function sortKey(expr: BExpr, o: A.OrderItem): SortKey {
  // Hive sorts NULLs first ascending and last descending.
  return { expr, desc: o.desc, nullsFirst: o.nulls ? o.nulls === 'first' : !o.desc };
}

// ───────────────────────── SELECT ─────────────────────────

/** Subqueries in WHERE may correlate with the FROM clause's columns; those in HAVING may not. */
function subqueriesIn(clause: string, ctx: BindContext, ctes: CteScope, correlated: boolean): SubqueryBinder {
  return subqueryBinder({ newId: ctx.newId, clause, correlated, bind: (q, outer) => bindQuery(q, { ...ctx, outer }, ctes) });
}

function bindSelect(s: A.SelectCore, orderBy: readonly A.OrderItem[], ctx: BindContext, ctes: CteScope): Bound {
  if (s.groupBy) {
    const keys = s.groupBy.exprs;
    s = { ...s, items: rewriteGroupingCalls(s.items, keys), ...(s.having && { having: rewriteGroupingCalls(s.having, keys) }) };
    orderBy = rewriteGroupingCalls(orderBy, keys);
  }
  const fromCtx = ctx.outer ? { ...ctx, outer: undefined } : ctx;
  let { plan, scope } = s.from ? bindFrom(s.from, fromCtx, ctes) : { plan: { kind: 'values', columns: [], rows: [[]] } as PlanNode, scope: { columns: [] } as Scope };
  if (s.where) {
    if (containsAggregate(s.where)) throw sqlError(`aggregate functions are not allowed in WHERE; use HAVING`, s.where.pos);
    const subqueries = subqueriesIn('WHERE', ctx, ctes, true);
    const whereScope: Scope = ctx.outer ? { ...scope, outer: ctx.outer } : scope;
    plan = subqueries.apply(plan, requireBoolean(bindExpr(s.where, { scope: whereScope, clause: 'WHERE', subqueries: subqueries.hook }), 'the WHERE condition', s.where.pos));
  }

  if (s.items.some((i) => isGenerator(i.expr))) ({ s, plan, scope } = selectGenerator(s, orderBy, plan, scope, ctx));

  const aggregating = !!s.groupBy || s.items.some((i) => containsAggregate(i.expr)) || containsAggregate(s.having)
    || (orderBy.some((o) => containsAggregate(o.expr)));

  // Expand stars and name the select list.
  const items: { expr: A.Expr | BExpr; name: string; pos: SourcePos }[] = [];
  s.items.forEach((item) => {
    if (item.expr.kind === 'star') {
      const q = item.expr.qualifier?.map((x) => x.toLowerCase());
      const cols = scope.columns.filter((c) => !q || c.qualifier?.toLowerCase() === q[q.length - 1]);
      if (q && cols.length === 0) throw sqlError(`unknown table or alias '${q.join('.')}' in '${q.join('.')}.*'`, item.expr.pos);
      for (const c of cols) items.push({ expr: { kind: 'ref', id: c.id, type: c.type }, name: c.name, pos: item.pos });
      return;
    }
    if (item.aliases) throw sqlError(`table-generating functions in the select list are not supported yet`, item.pos);
    items.push({ expr: item.expr, name: item.alias?.toLowerCase() ?? defaultName(item.expr, items.length), pos: item.pos });
  });

  let selectExprs: BExpr[];
  let having: BExpr | undefined;
  let postScope: Scope = scope;
  let agg: AggCollector | undefined;
  let keyExprs: NamedExpr[] = [];
  let aggKeys: readonly NamedExpr[] = [];
  let toPost: (e: BExpr, pos: SourcePos, what: string) => BExpr = (e) => e;
  const havingSubqueries = subqueriesIn('HAVING', ctx, ctes, false);
  // Scalar subqueries in the select list (Hive 3): correlated unless the query aggregates.
  const selectSubqueries = subqueriesIn('the select list', ctx, ctes, !aggregating);
  const win = windowBinder(s.windows, ctx.newId, (e, pos, what) => toPost(e, pos, what));
  if (aggregating) {
    const keyEnv: ExprEnv = { scope, clause: 'GROUP BY' };
    const groupByPosition = positionAlias(ctx, 'group');
    keyExprs = (s.groupBy?.exprs ?? []).map((raw) => {
      const n = groupByPosition ? positionOf(raw) : undefined;
      if (n !== undefined && !items[n - 1]) throw sqlError(`GROUP BY position ${n} is not in the select list (1 to ${items.length})`, raw.pos);
      const item = n !== undefined ? items[n - 1]!.expr : raw;
      if (!isBExpr(item) && containsAggregate(item)) throw sqlError(n !== undefined ? `GROUP BY position ${n} refers to an aggregate` : `aggregate functions are not allowed in GROUP BY`, raw.pos);
      const g = isBExpr(item) ? raw : item;
      const expr = isBExpr(item) ? item : bindExpr(item, keyEnv);
      const name = g.kind === 'column' ? g.parts[g.parts.length - 1]!.toLowerCase() : `_k${ctx.newId()}`;
      const src = expr.kind === 'ref' ? scope.columns.find((c) => c.id === expr.id) : undefined;
      return { col: { id: ctx.newId(), name, type: expr.type, qualifier: src?.qualifier }, expr };
    });
    const sets = s.groupBy && groupingSetsOf(s.groupBy);
    if (s.groupBy && (sets || usesGrouping([s.items, s.having, orderBy]))) {
      // Rows expanded once per grouping set; GROUPING__ID becomes a column of the input and a key.
      const gidOut: ColumnInfo = { id: ctx.newId(), name: GROUPING_ID, type: T.int };
      const ex = expandGroupingSets(plan, scope.columns, keyExprs, sets ?? [keyExprs.map((_, i) => i)], gidOut, ctx.newId);
      plan = ex.plan;
      scope = { columns: [...scope.columns, ex.gid] };
      aggKeys = ex.keys;
      keyExprs = [...keyExprs, { col: gidOut, expr: { kind: 'ref', id: ex.gid.id, type: ex.gid.type } }];
    } else aggKeys = keyExprs;
    agg = { aggs: [], newId: ctx.newId, inputScope: scope };
    const keyByText = new Map(keyExprs.map((k) => [JSON.stringify(k.expr), k.col]));
    const aggIds = () => new Set(agg!.aggs.map((a) => a.col.id));
    toPost = (e, pos, what) => {
      const replaced = mapExpr(e, (x) => {
        const k = keyByText.get(JSON.stringify(x));
        return k ? { kind: 'ref', id: k.id, type: k.type } : undefined;
      });
      const allowed = new Set([...keyExprs.map((k) => k.col.id), ...aggIds(), ...win.ids()]);
      for (const id of refsOf(replaced)) {
        if (!allowed.has(id)) {
          const c = scope.columns.find((x) => x.id === id);
          throw sqlError(`${what} refers to '${c ? (c.qualifier ? `${c.qualifier}.${c.name}` : c.name) : id}', which is neither in GROUP BY nor inside an aggregate function`, pos);
        }
      }
      return replaced;
    };
    const env: ExprEnv = { scope, agg, win, clause: 'the select list', subqueries: selectSubqueries.hook };
    selectExprs = items.map((i) => toPost(isBExpr(i.expr) ? i.expr : bindExpr(i.expr, env), i.pos, 'the select list'));
    if (s.having) {
      const cond = withSelectAliases(s.having, items, scope);
      having = toPost(requireBoolean(bindExpr(cond, { scope, agg, clause: 'HAVING', subqueries: havingSubqueries.hook }), 'the HAVING condition', s.having.pos), s.having.pos, 'HAVING');
    }
    postScope = { columns: [...keyExprs.map((k) => k.col)] };
  } else {
    if (s.having) throw sqlError(`HAVING needs GROUP BY or an aggregate function`, s.having.pos);
    const env: ExprEnv = { scope, win, clause: 'the select list', subqueries: selectSubqueries.hook };
    selectExprs = items.map((i) => (isBExpr(i.expr) ? i.expr : bindExpr(i.expr, env)));
  }

  const outCols: ColumnInfo[] = items.map((i, n) => {
    const e = selectExprs[n]!;
    const src = e.kind === 'ref' ? [...scope.columns, ...postScope.columns].find((c) => c.id === e.id) : undefined;
    return { id: ctx.newId(), name: i.name, type: e.type, qualifier: src?.qualifier };
  });

  // ORDER BY: an output alias, a position, or any expression over the input (a hidden column).
  const hidden: NamedExpr[] = [];
  const sortKeys: SortKey[] = orderBy.map((o) => {
    const pos = positionAlias(ctx, 'order') ? positional(o.expr, outCols) : undefined;
    if (pos) return sortKey(pos, o);
    if (o.expr.kind === 'column' && o.expr.parts.length === 1) {
      const name = o.expr.parts[0]!.toLowerCase();
      const matches = outCols.filter((c) => c.name === name);
      if (matches.length === 1) return sortKey({ kind: 'ref', id: matches[0]!.id, type: matches[0]!.type }, o);
    }
    const raw = bindExpr(o.expr, agg ? { scope, agg, win, clause: 'ORDER BY' } : { scope, win, clause: 'ORDER BY' });
    const e = toPost(raw, o.expr.pos, 'ORDER BY');
    const same = selectExprs.findIndex((x) => JSON.stringify(x) === JSON.stringify(e));
    if (same >= 0) return sortKey({ kind: 'ref', id: outCols[same]!.id, type: outCols[same]!.type }, o);
    if (s.distinct) throw sqlError(`with SELECT DISTINCT, ORDER BY expressions must appear in the select list`, o.expr.pos);
    const col: ColumnInfo = { id: ctx.newId(), name: `_o${hidden.length}`, type: e.type };
    hidden.push({ col, expr: e });
    return sortKey({ kind: 'ref', id: col.id, type: col.type }, o);
  });

  if (aggregating) {
    plan = { kind: 'aggregate', input: plan, keys: aggKeys, aggs: agg!.aggs as AggCall[], phase: 'single' };
    if (having) plan = havingSubqueries.apply(plan, having);
  }
  const scalars = selectSubqueries.joinScalars(plan);
  plan = win.apply(scalars.plan);
  plan = { kind: 'project', input: plan, exprs: [...outCols.map((col, i) => ({ col, expr: scalars.resolve(selectExprs[i]!) })), ...hidden] };
  let bound: Bound = { plan, columns: outCols };
  if (s.distinct) bound = distinctOf(bound, ctx);
  if (sortKeys.length) {
    bound = { plan: { kind: 'sort', input: bound.plan, keys: s.distinct ? remapKeys(sortKeys, outCols, bound.columns) : sortKeys }, columns: bound.columns };
    if (hidden.length) bound = { plan: { kind: 'project', input: bound.plan, exprs: bound.columns.map((c) => ({ col: c, expr: { kind: 'ref', id: c.id, type: c.type } })) }, columns: bound.columns };
  }
  return bound;
}

/**
 * Hive lets HAVING name a select-list alias (`SELECT key, count(*) c … HAVING c > 3`): a
 * bare name that is not a column of the input stands for the aliased expression.
 */
function withSelectAliases(cond: A.Expr, items: readonly { expr: A.Expr | BExpr; name: string }[], scope: Scope): A.Expr {
  const visit = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(visit);
    if (!x || typeof x !== 'object') return x;
    const o = x as Record<string, unknown>;
    if (o.kind === 'query') return x;
    if (o.kind === 'column') {
      const parts = (o as unknown as A.ColumnExpr).parts;
      const name = parts[0]!.toLowerCase();
      if (parts.length !== 1 || scope.columns.some((c) => c.name === name)) return x;
      const item = items.find((i) => i.name === name && !isBExpr(i.expr));
      return item ? item.expr : x;
    }
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, visit(v)]));
  };
  return visit(cond) as A.Expr;
}

const GENERATED = '__generated';

/** `SELECT explode(arr) AS x FROM t`: as in Hive, the function must be the whole select list; its rows are the result. */
function selectGenerator(s: A.SelectCore, orderBy: readonly A.OrderItem[], plan: PlanNode, scope: Scope, ctx: BindContext): { s: A.SelectCore; plan: PlanNode; scope: Scope } {
  const item = s.items[0]!;
  if (s.items.length !== 1 || !isGenerator(item.expr))
    throw sqlError(`a table-generating function must be the only expression in the select list; use LATERAL VIEW to combine it with other columns`, item.pos);
  if (s.groupBy || s.having || s.distinct || s.windows.length || orderBy.some((o) => containsAggregate(o.expr)))
    throw sqlError(`a table-generating function in the select list cannot be combined with GROUP BY, HAVING, DISTINCT or windows; use LATERAL VIEW`, item.pos);
  const g = bindGenerate({ plan, scope }, item.expr, false, GENERATED, item.aliases ?? (item.alias ? [item.alias] : []), ctx.newId);
  return { s: { ...s, items: [{ expr: { kind: 'star', qualifier: [GENERATED], pos: item.pos }, pos: item.pos }] }, plan: g.plan, scope: g.scope };
}

function remapKeys(keys: readonly SortKey[], from: readonly ColumnInfo[], to: readonly ColumnInfo[]): SortKey[] {
  const map = new Map(from.map((c, i) => [c.id, to[i]!]));
  return keys.map((k) => ({ ...k, expr: mapExpr(k.expr, (e) => (e.kind === 'ref' && map.has(e.id) ? { kind: 'ref', id: map.get(e.id)!.id, type: e.type } : undefined)) }));
}

function isBExpr(e: A.Expr | BExpr): e is BExpr {
  return e.kind === 'ref';
}

/** Hive's result-schema name for a select item without an alias. */
function defaultName(e: A.Expr, position: number): string {
  if (e.kind === 'column') return e.parts[e.parts.length - 1]!.toLowerCase();
  if (e.kind === 'field') return e.field.toLowerCase();
  return `_c${position}`;
}

// ───────────────────────── FROM ─────────────────────────

interface FromBound { readonly plan: PlanNode; readonly scope: Scope }

function bindFrom(f: A.FromItem, ctx: BindContext, ctes: CteScope): FromBound {
  switch (f.kind) {
    case 'table': {
      const alias = (f.alias ?? f.name.name).toLowerCase();
      const cte = !f.name.db ? ctes.get(f.name.name.toLowerCase()) : undefined;
      if (cte) return requalify(bindQuery(cte.query, ctx, cte.ctes), alias, ctx, cte.columns, f.pos);
      const meta = lookupTable(ctx, f.name);
      if (meta.type === 'view') return requalify(bindQuery(ctx.parseQuery(meta.viewText ?? ''), ctx), alias, ctx, undefined, f.pos);
      const columns: ColumnInfo[] = [...meta.columns, ...meta.partitionColumns].map((c) => ({ id: ctx.newId(), name: c.name, type: c.type, qualifier: alias }));
      return { plan: { kind: 'scan', table: { db: meta.db, name: meta.name, meta }, columns }, scope: { columns } };
    }
    case 'subquery':
      return requalify(bindQuery(f.query, ctx, ctes), (f.alias ?? '').toLowerCase() || undefined, ctx, undefined, f.pos);
    case 'join': return bindJoin(f, ctx, ctes);
    case 'lateralView': {
      const g = bindGenerate(bindFrom(f.input, ctx, ctes), f.func, f.outer, f.tableAlias.toLowerCase(), f.columnAliases, ctx.newId);
      return { plan: g.plan, scope: g.scope };
    }
  }
}

function requalify(b: Bound, alias: string | undefined, ctx: BindContext, names: readonly string[] | undefined, pos: SourcePos): FromBound {
  if (names && names.length !== b.columns.length) throw sqlError(`the column list names ${names.length} columns but the query has ${b.columns.length}`, pos);
  const columns = b.columns.map((c, i) => ({ ...c, name: names?.[i]?.toLowerCase() ?? c.name, qualifier: alias }));
  void ctx;
  return { plan: b.plan, scope: { columns } };
}

function bindJoin(j: A.JoinRef, ctx: BindContext, ctes: CteScope): FromBound {
  const l = bindFrom(j.left, ctx, ctes);
  const r = bindFrom(j.right, ctx, ctes);
  const scope: Scope = { columns: [...l.scope.columns, ...r.scope.columns] };
  const leftIds = new Set(schemaOf(l.plan).map((c) => c.id));
  const rightIds = new Set(schemaOf(r.plan).map((c) => c.id));
  let cond: BExpr | undefined;
  if (j.using) {
    cond = andAll(j.using.map((name) => {
      const col: A.Expr = { kind: 'column', parts: [name], pos: j.pos };
      const a = bindExpr(col, { scope: l.scope, clause: 'USING' });
      const b = bindExpr(col, { scope: r.scope, clause: 'USING' });
      const t = comparisonType(a.type, b.type);
      return { kind: 'call', fn: '=', args: [castTo(a, t), castTo(b, t)], type: T.boolean } satisfies BExpr;
    }));
  } else if (j.on) {
    if (containsAggregate(j.on)) throw sqlError(`aggregate functions are not allowed in a join condition`, j.on.pos);
    cond = requireBoolean(bindExpr(j.on, { scope, clause: 'a join condition' }), 'the join condition', j.on.pos);
  }
  const leftKeys: BExpr[] = [];
  const rightKeys: BExpr[] = [];
  const residual: BExpr[] = [];
  for (const c of cond ? conjuncts(cond) : []) {
    if (c.kind === 'call' && c.fn === '=') {
      const [a, b] = c.args as [BExpr, BExpr];
      const ra = refsOf(a), rb = refsOf(b);
      const within = (s: Set<string>, ids: Set<string>) => s.size > 0 && [...s].every((id) => ids.has(id));
      if (within(ra, leftIds) && within(rb, rightIds)) { leftKeys.push(a); rightKeys.push(b); continue; }
      if (within(rb, leftIds) && within(ra, rightIds)) { leftKeys.push(b); rightKeys.push(a); continue; }
    }
    residual.push(c);
  }
  const joinType = j.type === 'leftSemi' ? 'semi' : j.type === 'leftAnti' ? 'anti' : j.type === 'cross' ? (cond ? 'inner' : 'cross') : j.type;
  const plan: PlanNode = { kind: 'join', joinType, left: l.plan, right: r.plan, leftKeys, rightKeys, residual: andAll(residual) };
  const outScope = joinType === 'semi' || joinType === 'anti' ? l.scope : scope;
  return { plan, scope: outScope };
}
