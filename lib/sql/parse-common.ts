// Pieces shared by DDL and DML statements: partition specs, property lists, column
// definitions and the IF [NOT] EXISTS guards.
import type { ColumnDef, PartitionSpecEntry } from './ast.js';
import { COMPARISON_OPS, parseSimpleExpr } from './parse-expr.js';
import { parseType } from './parse-type.js';
import type { TokenStream } from './token-stream.js';

/**
 * `PARTITION (ds='2024-01-01', hr)`. With `comparisons` (ALTER TABLE … DROP PARTITION) a
 * value may also follow `<`, `<=`, `>`, `>=`, `<>` or `!=`.
 */
export function parsePartitionSpec(ts: TokenStream, comparisons = false): PartitionSpecEntry[] {
  ts.expectKw('partition');
  return ts.parenList(() => {
    const col = ts.ident('a partition column name');
    const t = ts.peek();
    if (t.type === 'op' && (t.value === '=' || t.value === '==')) {
      ts.next();
      return { column: col.name, value: parseSimpleExpr(ts), pos: col.pos };
    }
    if (comparisons && t.type === 'op' && COMPARISON_OPS.includes(t.value) && t.value !== '<=>') {
      ts.next();
      const op = t.value as NonNullable<PartitionSpecEntry['op']>;
      return { column: col.name, op, value: parseSimpleExpr(ts), pos: col.pos };
    }
    return { column: col.name, pos: col.pos };
  });
}

/** `('k'='v', …)` as in TBLPROPERTIES, DBPROPERTIES and SERDEPROPERTIES. */
export function parseProperties(ts: TokenStream): Record<string, string> {
  const props: Record<string, string> = {};
  ts.parenList(() => {
    const key = ts.string('a property name string').value;
    ts.expectOp('=');
    props[key] = ts.string('a property value string').value;
  });
  return props;
}

/** `name type [COMMENT 'text']` */
export function parseColumnDef(ts: TokenStream): ColumnDef {
  const n = ts.ident('a column name');
  const type = parseType(ts);
  if (!ts.acceptKw('comment')) return { name: n.name, type, pos: n.pos };
  return { name: n.name, type, comment: ts.string('a comment string').value, pos: n.pos };
}

export function parseColumnDefs(ts: TokenStream): ColumnDef[] {
  return ts.parenList(() => parseColumnDef(ts));
}

export function parseNameList(ts: TokenStream, what = 'a column name'): string[] {
  return ts.parenList(() => ts.ident(what).name);
}

// `IF` is not reserved, so once it is seen here the rest of the guard is required: that
// turns `IF EXISTS` in the wrong place into an error instead of a table named `if`.
export function parseIfNotExists(ts: TokenStream): boolean {
  if (!ts.isKw('if')) return false;
  ts.next();
  ts.expectKw('not');
  ts.expectKw('exists');
  return true;
}

export function parseIfExists(ts: TokenStream): boolean {
  if (!ts.isKw('if')) return false;
  ts.next();
  ts.expectKw('exists');
  return true;
}
