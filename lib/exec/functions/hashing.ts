// Hive's digests and hash() as DuckDB SQL. hash() is Java's hashCode of each argument
// (ObjectInspectorUtils.hashCode) combined as 31 * h + x; NULL hashes to 0.
import { isPrimitive, type HiveType, type PrimitiveName } from '../../common/types.js';
import { quoteString } from '../render-cast.js';
import type { BExpr } from '../../plan/nodes.js';
import { literalText, wrapInt, type Render } from './render.js';

const asBlob = (e: BExpr, r: string) => (isPrimitive(e.type, 'binary') ? r : `encode(${r})`);

const fold31 = (acc: string, x: string) => wrapInt(`31 * CAST(${acc} AS BIGINT) + ${x}`, 32, 'INTEGER');

/**
 * Java's hashCode of one value, by its Hive type, NULL as 0. Collections as Hive's
 * ObjectInspectorUtils.hashCode: a list and a struct fold their items as 31·h + x from 0,
 * a map sums key-hash xor value-hash over its entries.
 */
function javaHash(t: HiveType, r: string, depth = 0): string {
  const v = `h${depth}`;
  const acc = `a${depth}`;
  switch (t.kind) {
    case 'array':
      return `coalesce(list_reduce(list_transform(${r}, lambda ${v}: ${javaHash(t.element, v, depth + 1)}), lambda ${acc}, ${v}: ${fold31(acc, v)}, 0), 0)`;
    case 'map':
      return `coalesce(list_reduce(list_transform(map_entries(${r}), lambda ${v}: xor(${javaHash(t.key, `${v}.key`, depth + 1)}, ${javaHash(t.value, `${v}.value`, depth + 1)})), lambda ${acc}, ${v}: ${wrapInt(`CAST(${acc} AS BIGINT) + ${v}`, 32, 'INTEGER')}, 0), 0)`;
    case 'struct':
      return `(CASE WHEN ${r} IS NULL THEN 0 ELSE ${t.fields.map((f) => javaHash(f.type, `struct_extract(${r}, ${quoteString(f.name)})`, depth + 1)).reduce((h, x) => fold31(h, x), '0')} END)`;
    case 'primitive':
      return `coalesce(${primitiveHash(t.name, r)}, 0)`;
  }
}

function primitiveHash(name: PrimitiveName, r: string): string {
  switch (name) {
    case 'void': return '0';
    case 'boolean': return `(CASE WHEN ${r} THEN 1 ELSE 0 END)`;
    case 'tinyint': case 'smallint': case 'int': return `CAST(${r} AS INTEGER)`;
    // Long.hashCode: the two halves xor'ed
    case 'bigint': return wrapInt(`xor(${r}, ${r} >> 32)`, 32, 'INTEGER');
    case 'float': return `hive_hash_float(${r})`;
    case 'double': return `hive_hash_double(${r})`;
    case 'decimal': return `hive_hash_decimal(CAST(${r} AS VARCHAR))`;
    case 'string': case 'varchar': case 'char': return `hive_hash_string(${r})`;
    case 'binary': return `hive_hash_binary(${r})`;
    // Hive 3's Date.hashCode is LocalDate.hashCode
    case 'date': return `xor(year(${r}) & -2048, (year(${r}) << 11) + (month(${r}) << 6) + day(${r}))`;
    case 'timestamp': return `hive_hash_timestamp(${r})`;
  }
}

export const HASH_RENDERERS: Record<string, Render> = {
  md5: (a, args) => `md5(${asBlob(args[0]!, a[0]!)})`,
  sha1: (a, args) => `sha1(${asBlob(args[0]!, a[0]!)})`,
  sha: (a, args) => `sha1(${asBlob(args[0]!, a[0]!)})`,
  sha2: (a, args) => {
    const bits = literalText(args[1]);
    return bits === '256' || bits === '0' ? `sha256(${asBlob(args[0]!, a[0]!)})` : `hive_sha2(${asBlob(args[0]!, a[0]!)}, ${bits})`;
  },
  crc32: (a, args) => `hive_crc32(${asBlob(args[0]!, a[0]!)})`,
  hash: (a, args) => a.map((r, i) => javaHash(args[i]!.type, r)).reduce(fold31),
};
