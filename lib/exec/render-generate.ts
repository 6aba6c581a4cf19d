// Row-multiplying operators as DuckDB SQL: table-generating functions as a LATERAL join
// (LEFT for Hive's OUTER, which keeps an input row that generates nothing), and Expand
// as one pass over the input crossed with the projection numbers.
import { duckType } from '../common/types.js';
import type { ExpandNode, GenerateNode } from '../plan/nodes.js';
import { quoteIdent, quoteString, renderExpr } from './render-expr.js';
import { userMacro } from './user-functions.js';

export function renderGenerate(node: GenerateNode, input: string): string {
  const a = node.args.map(renderExpr);
  const out = node.columns.map((c) => quoteIdent(c.id));
  const typed = (sql: string, i: number) => `CAST(${sql} AS ${duckType(node.columns[i]!.type)}) AS ${out[i]}`;
  let rows: string;
  // a user table function returns the list of its rows as structs (see user-functions.ts)
  if (node.udf) rows = `SELECT ${node.columns.map((_, i) => typed(`struct_extract("__s", 'c${i}')`, i)).join(', ')} FROM (SELECT unnest(${userMacro(node.fn, 'rows')}(${a.join(', ')})) AS "__s") AS u`;
  else switch (node.fn) {
    case 'explode':
      rows = node.args[0]!.type.kind === 'map'
        ? `SELECT ${typed(`unnest(map_keys(${a[0]}))`, 0)}, ${typed(`unnest(map_values(${a[0]}))`, 1)}`
        : `SELECT ${typed(`unnest(${a[0]})`, 0)}`;
      break;
    case 'posexplode':
      // Two unnests in one select list advance together: position and element stay paired.
      rows = `SELECT ${typed(`unnest(range(len(${a[0]})))`, 0)}, ${typed(`unnest(${a[0]})`, 1)}`;
      break;
    case 'inline': {
      // The binder checked the argument is an array of structs; the columns are its fields in order.
      const t = node.args[0]!.type;
      const fields = t.kind === 'array' && t.element.kind === 'struct' ? t.element.fields : [];
      rows = `SELECT ${fields.map((f, i) => typed(`struct_extract("__s", ${quoteString(f.name)})`, i)).join(', ')} FROM (SELECT unnest(${a[0]}) AS "__s") AS u`;
      break;
    }
    case 'json_tuple': {
      // Hive: one row per input row; NULLs where the text is not a JSON object or lacks the
      // key; values printed as Jackson reads them (as get_json_object)
      const json = a[0]!;
      rows = `SELECT ${a.slice(1).map((k, i) => typed(`hive_json_tuple_value(${json}, ${k})`, i)).join(', ')}`;
      break;
    }
    case 'replicate_rows':
      rows = `SELECT ${typed(`unnest(range(${a[0]}))`, 0)}`;
      break;
    default:
      throw new Error(`no renderer for the table function ${node.fn}`);
  }
  return `SELECT * FROM (${input}) AS i ${node.outer ? 'LEFT JOIN' : 'CROSS JOIN'} LATERAL (${rows}) AS g${node.outer ? ' ON TRUE' : ''}`;
}

export function renderExpand(node: ExpandNode, input: string): string {
  const cols = node.columns.map((c, i) => {
    const exprs = node.projections.map((p) => renderExpr(p[i]!));
    const value = exprs.every((x) => x === exprs[0]) ? exprs[0]! : `CASE "__g" ${exprs.map((x, n) => `WHEN ${n} THEN ${x}`).join(' ')} END`;
    return `${value} AS ${quoteIdent(c.id)}`;
  });
  return `SELECT ${cols.join(', ')} FROM (${input}) AS x CROSS JOIN (SELECT range AS "__g" FROM range(${node.projections.length})) AS g`;
}
