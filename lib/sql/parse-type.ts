// Hive type names, as written in DDL and CAST. The lexer has no `>>` token, so nested
// types such as `array<map<string,int>>` close one `>` at a time.
import { sqlError } from '../common/errors.js';
import { decimal } from '../common/types.js';
import type { HiveType, PrimitiveName } from '../common/types.js';
import { TokenStream } from './token-stream.js';

const SIMPLE: Readonly<Record<string, PrimitiveName>> = {
  tinyint: 'tinyint', smallint: 'smallint', int: 'int', integer: 'int', bigint: 'bigint',
  float: 'float', real: 'float', string: 'string', boolean: 'boolean', date: 'date',
  timestamp: 'timestamp', binary: 'binary',
};

export function parseType(ts: TokenStream): HiveType {
  const t = ts.peek();
  if (t.type !== 'ident' || t.quoted) ts.fail('a type');
  const name = t.value;
  const simple = SIMPLE[name];
  if (simple) {
    ts.next();
    return { kind: 'primitive', name: simple };
  }
  switch (name) {
    case 'double':
      ts.next();
      ts.acceptKw('precision');
      return { kind: 'primitive', name: 'double' };
    case 'decimal':
    case 'dec':
    case 'numeric': {
      ts.next();
      // Hive's defaults: decimal = decimal(10,0), decimal(p) = decimal(p,0)
      if (!ts.acceptOp('(')) return decimal(10, 0);
      const precision = ts.integer('a decimal precision');
      const scale = ts.acceptOp(',') ? ts.integer('a decimal scale') : 0;
      ts.expectOp(')');
      return decimal(precision, scale);
    }
    case 'varchar':
    case 'char': {
      ts.next();
      ts.expectOp('(');
      const length = ts.integer(`a ${name} length`);
      ts.expectOp(')');
      return { kind: 'primitive', name, length };
    }
    case 'array': {
      ts.next();
      ts.expectOp('<');
      const element = parseType(ts);
      ts.expectOp('>');
      return { kind: 'array', element };
    }
    case 'map': {
      ts.next();
      ts.expectOp('<');
      const key = parseType(ts);
      ts.expectOp(',');
      const value = parseType(ts);
      ts.expectOp('>');
      return { kind: 'map', key, value };
    }
    case 'struct': {
      ts.next();
      ts.expectOp('<');
      const fields = ts.list(() => {
        const field = ts.ident('a struct field name', true).name;
        ts.expectOp(':');
        const type = parseType(ts);
        if (ts.acceptKw('comment')) ts.string();
        return { name: field, type };
      });
      ts.expectOp('>');
      return { kind: 'struct', fields };
    }
    default:
      throw sqlError(`unknown type '${t.text}'`, t.pos);
  }
}

/** A type name on its own, as a UDF module's `meta` spells it (`'array<string>'`); all of the text must be the type. */
export function parseTypeText(text: string): HiveType {
  const ts = new TokenStream(text);
  const t = parseType(ts);
  if (!ts.atEnd()) ts.fail('the end of the type');
  return t;
}
