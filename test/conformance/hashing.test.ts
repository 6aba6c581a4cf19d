// Hive's digests and hash(). hash() is Java's hashCode (ObjectInspectorUtils.hashCode):
// spelled out in DuckDB SQL for integers and strings; for doubles, where DuckDB cannot
// read a double's bits, the expected values are Java's Double.hashCode per its Javadoc
// ((int)(bits ^ (bits >>> 32)) of doubleToLongBits).
import { conformance } from './harness.js';

/** Java's String.hashCode over the UTF-8 bytes as Hive computes it: r = 31 * r + (signed byte), 32-bit. */
const javaStringHash = (s: string) =>
  `list_reduce(list_transform(range(0, strlen(${s})), k -> ((CAST('0x' || substr(hex(${s}), 2 * k + 1, 2) AS INTEGER) + 128) % 256) - 128), (r, x) -> (((r * 31 + x) % 4294967296 + 6442450944) % 4294967296) - 2147483648, CAST(0 AS BIGINT))`;
const signed32 = (x: string) => `(CASE WHEN (${x}) >= 2147483648 THEN (${x}) - 4294967296 ELSE (${x}) END)`;

conformance('hash and digest functions', [
  { semantic: 'hash of an int is the int', hive: 'hash(i)', duck: 'coalesce(i, 0)', type: 'int' },
  { semantic: 'hash of a string is Java hashCode over its UTF-8 bytes', hive: 'hash(s)', duck: `coalesce(${javaStringHash('s')}, 0)` },
  { semantic: "hash('abc') is 96354, as String.hashCode", hive: "hash('abc')", duck: '96354', rows: 'one' },
  { semantic: 'hash of several values is 31 * h + x, NULL hashing to 0', hive: 'hash(key, value)', duck: `CAST(${signed32(`((31 * key + ${javaStringHash('value')}) % 4294967296 + 4294967296) % 4294967296`)} AS INTEGER)`, rows: 'src' },
  { semantic: 'hash of a bigint is (int)(v ^ (v >>> 32))', hive: 'hash(b)', duck: `coalesce(CAST(${signed32('xor(b, b >> 32) & 4294967295')} AS INTEGER), 0)` },
  { semantic: 'hash of booleans is 1 or 0', hive: 'hash(true) * 10 + hash(false)', duck: '10', rows: 'one' },
  { semantic: 'hash of a double is Double.hashCode (1.5 → 0x3FF80000, 2.0 → 0x40000000, 0.0 → 0)', hive: 'concat_ws(\' \', CAST(hash(1.5) AS STRING), CAST(hash(2.0) AS STRING), CAST(hash(0.0) AS STRING))', duck: "'1073217536 1073741824 0'", rows: 'one' },
  { semantic: 'hash of an array folds its elements as 31 * h + x from 0 (ObjectInspectorUtils), wrapping at 32 bits, a NULL element as 0', hive: 'hash(array(i, i, CAST(NULL AS INT)))', duck: `coalesce(CAST(${signed32('((31 * 31 * CAST(i AS BIGINT) + 31 * CAST(i AS BIGINT)) % 4294967296 + 4294967296) % 4294967296')} AS INTEGER), 0)` },
  { semantic: 'hash of a struct folds its fields like an array; of a NULL array 0', hive: "hash(named_struct('k', key, 'v', value)) + hash(CAST(NULL AS ARRAY<INT>))", duck: `CAST(${signed32(`((31 * key + ${javaStringHash('value')}) % 4294967296 + 4294967296) % 4294967296`)} AS INTEGER)`, rows: 'src' },
  { semantic: 'hash of a map sums hash(key) xor hash(value) over its entries', hive: 'hash(map(key, key * 3, key + 1, 7))', duck: 'xor(key, key * 3) + xor(key + 1, 7)', rows: 'src' },
  { semantic: 'hash of nested arrays hashes each inner array first', hive: 'hash(array(array(key), array(key, 1)))', duck: '31 * key + (31 * key + 1)', rows: 'src' },
  { semantic: 'md5 is lowercase hex', hive: 'md5(value)', duck: 'md5(value)', type: 'string', rows: 'src' },
  { semantic: 'md5 of NULL is NULL', hive: 'md5(s)', duck: 'md5(s)' },
  { semantic: 'sha1 and sha', hive: 'concat(sha1(value), sha(value))', duck: 'sha1(value) || sha1(value)', rows: 'src' },
  { semantic: 'sha2 with 256 and 0 bits is SHA-256', hive: 'concat(sha2(value, 256), sha2(value, 0))', duck: 'sha256(value) || sha256(value)', rows: 'src' },
  { semantic: "sha2('abc', 224/384/512) match the FIPS 180-2 test vectors", hive: "concat_ws(' ', sha2('abc', 224), sha2('abc', 384), sha2('abc', 512))",
    duck: "'23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7 cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7 ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f'", rows: 'one' },
  { semantic: 'crc32 is the unsigned CRC-32 as BIGINT (zlib check value)', hive: "crc32('The quick brown fox jumps over the lazy dog') + crc32('')", duck: '1095738169', type: 'bigint', rows: 'one' },
  { semantic: 'crc32 of binary', hive: "crc32(CAST('abc' AS BINARY))", duck: '891568578', rows: 'one' },
], [
  { semantic: 'sha2 with an unsupported bit length is rejected', sql: 'SELECT sha2(value, 128) FROM src', error: /sha2\(\): the bit length must be a constant 224, 256, 384 or 512/ },
]);
