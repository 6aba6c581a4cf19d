// A stage's fragment as one DuckDB query. Every operator becomes a subquery whose
// columns are named by column id, so no two columns ever clash and DuckDB's own
// optimizer flattens the nesting.
import type { PlanNode, ScanNode, ShuffleReadNode } from '../plan/nodes.js';
import { schemaOf } from '../plan/nodes.js';
import { quoteIdent, renderAgg, renderExpr } from './render-expr.js';
import { renderSortKeys, renderWindow } from './render-window.js';
import { renderExpand, renderGenerate } from './render-generate.js';
import { duckType } from '../common/types.js';

/** Where a task's leaves come from: SQL relations over the files it downloaded. */
export interface LeafSources {
  scan(node: ScanNode): string;
  shuffle(node: ShuffleReadNode): string;
}


export function renderPlan(node: PlanNode, src: LeafSources): string {
  switch (node.kind) {
    case 'scan': {
      const base = src.scan(node);
      return node.filter ? `SELECT * FROM (${base}) AS s WHERE ${renderExpr(node.filter)}` : base;
    }
    case 'shuffleRead': return src.shuffle(node);
    case 'values': {
      if (node.columns.length === 0) return `SELECT 1 AS "__unit"`;
      if (node.rows.length === 0) return `SELECT ${node.columns.map((c) => `CAST(NULL AS ${duckType(c.type)}) AS ${quoteIdent(c.id)}`).join(', ')} WHERE FALSE`;
      return node.rows
        .map((r) => `SELECT ${r.map((e, i) => `${renderExpr(e)} AS ${quoteIdent(node.columns[i]!.id)}`).join(', ')}`)
        .join(' UNION ALL ');
    }
    case 'filter': return `SELECT * FROM (${renderPlan(node.input, src)}) AS f WHERE ${renderExpr(node.predicate)}`;
    case 'project': {
      const list = node.exprs.map((e) => `${renderExpr(e.expr)} AS ${quoteIdent(e.col.id)}`);
      return `SELECT ${list.length ? list.join(', ') : '1 AS "__unit"'} FROM (${renderPlan(node.input, src)}) AS p`;
    }
    case 'aggregate': {
      const keys = node.keys.map((k) => `${renderExpr(k.expr)} AS ${quoteIdent(k.col.id)}`);
      const aggs = node.aggs.map((a) => `${renderAgg(a)} AS ${quoteIdent(a.col.id)}`);
      const list = [...keys, ...aggs];
      const group = node.keys.length ? ` GROUP BY ${node.keys.map((k) => renderExpr(k.expr)).join(', ')}` : '';
      return `SELECT ${list.length ? list.join(', ') : '1 AS "__unit"'} FROM (${renderPlan(node.input, src)}) AS a${group}`;
    }
    case 'join': {
      const l = renderPlan(node.left, src);
      const r = renderPlan(node.right, src);
      if (node.joinType === 'cross') return `SELECT * FROM (${l}) AS l CROSS JOIN (${r}) AS r`;
      const conds = node.leftKeys.map((k, i) => `${renderExpr(k)} = ${renderExpr(node.rightKeys[i]!)}`);
      if (node.residual) conds.push(renderExpr(node.residual));
      const on = conds.length ? conds.join(' AND ') : 'TRUE';
      const kw = { inner: 'INNER JOIN', left: 'LEFT JOIN', right: 'RIGHT JOIN', full: 'FULL JOIN', semi: 'SEMI JOIN', anti: 'ANTI JOIN' }[node.joinType];
      return `SELECT * FROM (${l}) AS l ${kw} (${r}) AS r ON ${on}`;
    }
    case 'union':
      return node.inputs
        .map((i) => {
          const from = schemaOf(i);
          return `SELECT ${node.columns.map((c, n) => `${quoteIdent(from[n]!.id)} AS ${quoteIdent(c.id)}`).join(', ')} FROM (${renderPlan(i, src)}) AS u`;
        })
        .join(' UNION ALL ');
    case 'sort':
      return `SELECT * FROM (${renderPlan(node.input, src)}) AS o ORDER BY ${renderSortKeys(node.keys)}`;
    case 'window': return renderWindow(node, renderPlan(node.input, src));
    case 'expand': return renderExpand(node, renderPlan(node.input, src));
    case 'generate': return renderGenerate(node, renderPlan(node.input, src));
    case 'limit':
      return `SELECT * FROM (${renderPlan(node.input, src)}) AS lim LIMIT ${node.limit}${node.offset ? ` OFFSET ${node.offset}` : ''}`;
    case 'exchange':
      throw new Error('an exchange inside a stage fragment: the stage split left one behind');
  }
}

