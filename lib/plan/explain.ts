// Indented EXPLAIN text for plans and expressions: what tests compare and users read.
import { typeToString } from '../common/types.js';
import type { BExpr, FrameBound, PlanNode, SortKey, WindowCall } from './nodes.js';
import { inputsOf } from './nodes.js';

export function explainExpr(e: BExpr): string {
  switch (e.kind) {
    case 'ref': return `#${e.id}`;
    case 'lit': return e.value === null ? 'NULL' : typeof e.value === 'string' && e.type.kind === 'primitive' && ['string', 'varchar', 'char'].includes(e.type.name) ? `'${e.value}'` : String(e.value);
    case 'cast': return `CAST(${explainExpr(e.expr)} AS ${typeToString(e.type)})`;
    case 'case': return `CASE ${e.whens.map((w) => `WHEN ${explainExpr(w.when)} THEN ${explainExpr(w.then)}`).join(' ')}${e.else ? ` ELSE ${explainExpr(e.else)}` : ''} END`;
    case 'in': return `${explainExpr(e.expr)} ${e.not ? 'NOT IN' : 'IN'} (${e.list.map(explainExpr).join(', ')})`;
    case 'call':
      if (/^[^a-z]/.test(e.fn) || e.fn === 'and' || e.fn === 'or' || e.fn === 'div') {
        if (e.args.length === 2) return `(${explainExpr(e.args[0]!)} ${e.fn.toUpperCase()} ${explainExpr(e.args[1]!)})`;
      }
      return `${e.fn}(${e.args.map(explainExpr).join(', ')})`;
  }
}

function sortKeys(keys: readonly SortKey[]): string {
  return keys.map((k) => `${explainExpr(k.expr)} ${k.desc ? 'DESC' : 'ASC'} NULLS ${k.nullsFirst ? 'FIRST' : 'LAST'}`).join(', ');
}

function frameBound(b: FrameBound): string {
  return b.kind === 'preceding' || b.kind === 'following' ? `${b.offset} ${b.kind}` : b.kind;
}

function describe(n: PlanNode): string {
  switch (n.kind) {
    case 'scan': {
      const parts = [`Scan ${n.table.db}.${n.table.name} [${n.columns.map((c) => `${c.name}#${c.id}`).join(', ')}]`];
      if (n.partitionFilter) parts.push(`partitions: ${explainExpr(n.partitionFilter)}`);
      if (n.filter) parts.push(`filter: ${explainExpr(n.filter)}`);
      return parts.join(' ');
    }
    case 'values': return `Values ${n.rows.length} row(s) [${n.columns.map((c) => `${c.name}#${c.id}`).join(', ')}]`;
    case 'filter': return `Filter ${explainExpr(n.predicate)}`;
    case 'project': return `Project ${n.exprs.map((e) => `${explainExpr(e.expr)} AS ${e.col.name}#${e.col.id}`).join(', ')}`;
    case 'aggregate':
      return `Aggregate(${n.phase}) keys=[${n.keys.map((k) => `${explainExpr(k.expr)} AS #${k.col.id}`).join(', ')}] aggs=[${n.aggs.map((a) => `${a.fn}(${a.distinct ? 'DISTINCT ' : ''}${a.args.map(explainExpr).join(', ')}) AS #${a.col.id}`).join(', ')}]`;
    case 'join': {
      const on = n.leftKeys.map((k, i) => `${explainExpr(k)} = ${explainExpr(n.rightKeys[i]!)}`);
      if (n.residual) on.push(explainExpr(n.residual));
      return `Join ${n.joinType}${n.strategy ? ` (${n.strategy})` : ''}${on.length ? ` on ${on.join(' AND ')}` : ''}`;
    }
    case 'union': return `UnionAll [${n.columns.map((c) => `${c.name}#${c.id}`).join(', ')}]`;
    case 'sort': return `Sort${n.local ? '(per task)' : ''} ${sortKeys(n.keys)}`;
    case 'window': {
      const over = [n.partitionBy.length ? `partition by ${n.partitionBy.map(explainExpr).join(', ')}` : '', n.orderBy.length ? `order by ${sortKeys(n.orderBy)}` : ''].filter(Boolean).join(' ');
      const frame = (c: WindowCall) => (c.frame ? ` ${c.frame.unit} ${frameBound(c.frame.start)}..${frameBound(c.frame.end)}` : '');
      return `Window [${over}] ${n.calls.map((c) => `${c.fn}(${c.distinct ? 'DISTINCT ' : ''}${c.args.map(explainExpr).join(', ')}${c.ignoreNulls ? ' IGNORE NULLS' : ''})${frame(c)} AS #${c.col.id}`).join(', ')}`;
    }
    case 'expand': return `Expand ${n.projections.length} projection(s) [${n.columns.map((c) => `${c.name}#${c.id}`).join(', ')}]`;
    case 'generate': return `Generate ${n.fn}${n.outer ? ' outer' : ''}(${n.args.map(explainExpr).join(', ')}) [${n.columns.map((c) => `${c.name}#${c.id}`).join(', ')}]`;
    case 'limit': return `Limit ${n.limit}${n.offset ? ` offset ${n.offset}` : ''}`;
    case 'exchange': return `Exchange ${n.dist.kind}${n.dist.kind === 'hash' ? `(${n.dist.keys.map(explainExpr).join(', ')})` : ''}`;
    case 'shuffleRead': return `ShuffleRead stage ${n.stage} (${n.dist.kind}) [${n.columns.map((c) => `#${c.id}`).join(', ')}]`;
  }
}

export function explainPlan(n: PlanNode, indent = 0): string[] {
  return [`${'  '.repeat(indent)}${describe(n)}`, ...inputsOf(n).flatMap((i) => explainPlan(i, indent + 1))];
}
