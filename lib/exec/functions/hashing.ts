// Hive's digests and hash() as DuckDB SQL. hash() is Java's hashCode of each argument
// (ObjectInspectorUtils.hashCode) combined as 31 * h + x; NULL hashes to 0.
import { isPrimitive } from '../../common/types.js';
import type { BExpr } from '../../plan/nodes.js';
import { literalText, wrapInt, type Render } from './render.js';

const asBlob = (e: BExpr, r: string) => (isPrimitive(e.type, 'binary') ? r : `encode(${r})`);

/** Java's hashCode of one value, by its Hive type. */
function javaHash(e: BExpr, r: string): string {
  const t = e.type;
  if (t.kind !== 'primitive') throw new Error(`hash() of ${t.kind} values is not supported`);
  switch (t.name) {
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
  hash: (a, args) => a.map((r, i) => `coalesce(${javaHash(args[i]!, r)}, 0)`).reduce((h, x) => wrapInt(`31 * CAST(${h} AS BIGINT) + ${x}`, 32, 'INTEGER')),
};
