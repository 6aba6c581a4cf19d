// Hive's types, casts and arithmetic result types against DuckDB with Hive's semantics
// spelled out.
import { conformance } from './harness.js';

/** Java's (int) of a long: the low 32 bits, signed. */
const lowInt = (x: string) => `CAST(CASE WHEN (${x} & 4294967295) >= 2147483648 THEN (${x} & 4294967295) - 4294967296 ELSE ${x} & 4294967295 END AS INTEGER)`;

conformance('types and casts', [
  { semantic: 'a string that is not a number casts to NULL', hive: 'CAST(s AS INT)', duck: "TRY_CAST(regexp_extract(trim(s), '^([+-]?[0-9]+)(\\.[0-9]*)?$', 1) AS INTEGER)", type: 'int' },
  { semantic: 'CAST of a double to INT truncates toward zero', hive: 'CAST(d AS INT)', duck: 'TRY_CAST(trunc(d) AS INTEGER)' },
  { semantic: 'CAST of a bigint to INT keeps the low 32 bits (Java narrowing)', hive: 'CAST(b AS INT)', duck: lowInt('b') },
  { semantic: 'CAST of an int to TINYINT wraps', hive: 'CAST(i AS TINYINT)', duck: 'CAST(CASE WHEN (i & 255) >= 128 THEN (i & 255) - 256 ELSE i & 255 END AS TINYINT)', type: 'tinyint' },
  { semantic: 'CAST of a double to STRING is Java Double.toString (1.0E10, 1.0E-5)', hive: 'CAST(d AS STRING)', duck: "CASE WHEN d = 1e10 THEN '1.0E10' WHEN d = 1e-5 THEN '1.0E-5' ELSE CAST(d AS VARCHAR) END", type: 'string' },
  { semantic: 'concat of a double uses the Java form too', hive: "concat('x', key * 1000000.0)", duck: "'x' || CASE WHEN key * 1000000.0 >= 1e7 THEN CAST(key / 10 AS VARCHAR) || 'E7' ELSE CAST(key * 1000000.0 AS VARCHAR) END", rows: 'src' },
  { semantic: 'CAST of a string that is not a date to DATE is NULL', hive: 'CAST(ds AS DATE)', duck: 'TRY_CAST(ds AS DATE)', type: 'date' },
  { semantic: 'CAST of a timestamp to BIGINT is epoch seconds', hive: 'CAST(ts AS BIGINT)', duck: 'CAST(floor(epoch(ts)) AS BIGINT)' },
  { semantic: 'CAST of a number to TIMESTAMP reads epoch seconds (UTC)', hive: 'CAST(i AS TIMESTAMP)', duck: "to_timestamp(i) AT TIME ZONE 'UTC'", type: 'timestamp' },
  { semantic: 'CAST to VARCHAR(n) truncates', hive: 'CAST(s AS VARCHAR(4))', duck: 'substring(s, 1, 4)', type: 'varchar(4)' },
  { semantic: 'CAST to CHAR(n) pads with spaces (the value keeps its padding)', hive: 'CAST(value AS CHAR(8))', duck: "rpad(value, 8, ' ')", type: 'char(8)', rows: 'src' },
  { semantic: 'a CHAR used as a STRING (concat, length) loses its padding: trailing spaces are not part of a CHAR value', hive: "concat('[', CAST(value AS CHAR(8)), ']', length(CAST(value AS CHAR(9))))", duck: "'[' || value || ']' || length(value)", rows: 'src' },
  { semantic: 'CHAR comparisons ignore trailing spaces (with STRING and with a CHAR of another length)', hive: "concat(CAST(CAST(value AS CHAR(8)) = value AS STRING), CAST(CAST(value AS CHAR(8)) = CAST(value AS CHAR(10)) AS STRING))", duck: "'truetrue'", rows: 'src' },
  { semantic: 'CAST of a string to BINARY is its UTF-8 bytes', hive: 'length(CAST(s AS BINARY))', duck: 'strlen(s)' },
  { semantic: 'CAST of a string to BOOLEAN: empty is false, other text true', hive: "concat(CAST('' AS BOOLEAN), CAST('yes' AS BOOLEAN), CAST('false' AS BOOLEAN))", duck: "'falsetruefalse'", rows: 'one' },
  { semantic: 'CAST of a string to DECIMAL rounds to the scale', hive: "CAST('1.005' AS DECIMAL(5,2))", duck: '1.01', rows: 'one' },
  { semantic: 'a decimal literal with BD has the exact decimal type', hive: '1.25BD', duck: '1.25', type: 'decimal(3,2)', rows: 'one' },
  { semantic: 'decimal + decimal: scale max, one more integer digit', hive: 'dec + dec', duck: 'dec + dec', type: 'decimal(11,2)' },
  { semantic: 'decimal * decimal: precisions and scales add', hive: 'dec * dec', duck: 'CAST(dec AS DECIMAL(38,2)) * dec', type: 'decimal(21,4)' },
  { semantic: 'decimal / decimal: scale max(6, s1 + p2 + 1), precision p1 - s1 + s2 + scale', hive: 'dec / 3BD', duck: 'CAST(dec / 3 AS DECIMAL(14,6))', type: 'decimal(14,6)' },
  { semantic: 'decimal + int reads the int as decimal(10,0)', hive: 'dec + i', duck: 'dec + i', type: 'decimal(13,2)' },
  { semantic: 'decimal with double is double', hive: 'dec * 0.5', duck: 'CAST(dec AS DOUBLE) * 0.5', type: 'double' },
  { semantic: 'an integer literal beyond int is a bigint', hive: '2147483648 + 0', duck: '2147483648', type: 'bigint', rows: 'one' },
  { semantic: 'a literal with a point is a double', hive: '1.5 + 1', duck: '2.5', type: 'double', rows: 'one' },
  { semantic: 'Y, S and L literal suffixes give tinyint, smallint, bigint', hive: '1Y + 2S + 3L', duck: '6', type: 'bigint', rows: 'one' },
]);
