// Window nodes as DuckDB SQL: every call gets its frame written out (the binder already
// chose Hive's default), NULL ordering is explicit, and results are cast to the Hive
// result type (sum of ints is BIGINT in Hive, HUGEINT in DuckDB).
import { duckType, isIntegral } from '../common/types.js';
import { wrapInt } from './render-cast.js';
import type { FrameBound, SortKey, WindowCall, WindowNode } from '../plan/nodes.js';
import { quoteIdent, renderAgg, renderExpr } from './render-expr.js';
import { FRAME_AGGREGATES } from '../plan/bind-window.js';
import { argumentRows, userMacro } from './user-functions.js';

export function renderSortKeys(keys: readonly SortKey[]): string {
  return keys.map((k) => `${renderExpr(k.expr)} ${k.desc ? 'DESC' : 'ASC'} NULLS ${k.nullsFirst ? 'FIRST' : 'LAST'}`).join(', ');
}

function bound(b: FrameBound): string {
  switch (b.kind) {
    case 'unboundedPreceding': return 'UNBOUNDED PRECEDING';
    case 'unboundedFollowing': return 'UNBOUNDED FOLLOWING';
    case 'currentRow': return 'CURRENT ROW';
    case 'preceding': return `${b.offset} PRECEDING`;
    case 'following': return `${b.offset} FOLLOWING`;
  }
}

function callText(c: WindowCall): string {
  const a = c.args.map(renderExpr);
  const d = c.distinct ? 'DISTINCT ' : '';
  switch (c.fn) {
    case 'count':
      if (a.length === 0) return 'count(*)';
      if (a.length === 1) return `count(${d}${a[0]})`;
      // Hive counts rows (or distinct tuples) where no argument is NULL.
      return `count(${d}CASE WHEN ${a.map((x) => `${x} IS NOT NULL`).join(' AND ')} THEN row(${a.join(', ')}) END)`;
    case 'first_value': case 'last_value':
      return `${c.fn}(${a[0]}${c.ignoreNulls ? ' IGNORE NULLS' : ''})`;
    default:
      return `${c.fn}(${d}${a.join(', ')})`;
  }
}

export function renderWindow(node: WindowNode, input: string): string {
  const over = [
    node.partitionBy.length ? `PARTITION BY ${node.partitionBy.map(renderExpr).join(', ')}` : '',
    node.orderBy.length ? `ORDER BY ${renderSortKeys(node.orderBy)}` : '',
  ].filter(Boolean).join(' ');
  const calls = node.calls.map((c) => {
    const frame = c.frame ? ` ${c.frame.unit.toUpperCase()} BETWEEN ${bound(c.frame.start)} AND ${bound(c.frame.end)}` : '';
    const window = `OVER (${over}${frame})`;
    // a user aggregate folds the frame's rows, collected with list() over the same window
    let value = c.udf ? `${userMacro(c.fn, 'whole')}(${argumentRows(c.args.map(renderExpr), c.distinct, ` ${window}`)})`
      : FRAME_AGGREGATES.has(c.fn) ? renderAgg({ col: c.col, fn: c.fn, args: c.args, distinct: c.distinct }, `${over}${frame}`)
      : `${callText(c)} ${window}`;
    // Hive's sample variance of a single value is 0 (GenericUDAFVariance's terminate), DuckDB's NULL.
    if (!c.udf && (c.fn === 'stddev_samp' || c.fn === 'var_samp')) value = `CASE WHEN count(${renderExpr(c.args[0]!)}) ${window} = 1 THEN 0 ELSE ${value} END`;
    // Hive's sum of integers is a Java long: past 64 bits it wraps around
    if (!c.udf && c.fn === 'sum' && isIntegral(c.col.type)) return `${wrapInt(value, 64, 'BIGINT')} AS ${quoteIdent(c.col.id)}`;
    return `CAST(${value} AS ${duckType(c.col.type)}) AS ${quoteIdent(c.col.id)}`;
  });
  return `SELECT *, ${calls.join(', ')} FROM (${input}) AS w`;
}
