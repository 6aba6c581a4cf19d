// Hive's operators and NULL semantics against DuckDB.
import { conformance } from './harness.js';

/** a signed 32-bit result of a wider integer, as Java's int arithmetic wraps */
const wrap32 = (x: string) => `CAST(((CAST(${x} AS HUGEINT) % 4294967296 + 6442450944) % 4294967296) - 2147483648 AS INTEGER)`;

conformance('operators and NULL semantics', [
  { semantic: '/ of integers is DOUBLE', hive: 'key / 4', duck: 'key / 4.0', type: 'double', rows: 'src' },
  { semantic: 'division by zero is NULL', hive: 'i / 0', duck: 'CAST(NULL AS DOUBLE)' },
  { semantic: 'DIV is integer division truncating toward zero', hive: 'i DIV 3', duck: 'CAST(trunc(i / 3) AS BIGINT)', type: 'bigint' },
  { semantic: '% keeps the sign of the dividend; % 0 is NULL', hive: 'concat(-7 % 3, 7 % -3, coalesce(CAST(7 % 0 AS STRING), "null"))', duck: "'-11null'", rows: 'one' },
  { semantic: 'int + int wraps around on overflow as Java does', hive: 'i + 1', duck: wrap32('CAST(i AS BIGINT) + 1'), type: 'int' },
  { semantic: 'int * int wraps around', hive: 'i * 3', duck: wrap32('CAST(i AS BIGINT) * 3') },
  { semantic: 'bigint + bigint wraps around', hive: 'b + 1', duck: 'CAST(CASE WHEN b = 9223372036854775807 THEN -9223372036854775808 ELSE b + 1 END AS BIGINT)', type: 'bigint' },
  { semantic: 'negating the smallest int gives itself', hive: '-i', duck: 'CASE WHEN i = -2147483648 THEN i ELSE -i END' },
  { semantic: 'int - int wraps around', hive: 'i - 2', duck: wrap32('CAST(i AS BIGINT) - 2') },
  { semantic: 'a string in arithmetic is read as a double', hive: "'1.5' + key", duck: '1.5 + key', type: 'double', rows: 'src' },
  { semantic: 'a string compared with a number compares as doubles', hive: "s > 0 OR s = '0'", duck: "TRY_CAST(s AS DOUBLE) > 0 OR s = '0'" },
  { semantic: "a string column compared with an int column as doubles ('10' > 9)", hive: "concat(key > '9', '10' > 9)", duck: "CAST(key > 9 AS VARCHAR) || 'true'", rows: 'src' },
  { semantic: 'NULL = NULL is NULL, NULL <=> NULL is true', hive: 'concat(coalesce(CAST(NULL = NULL AS STRING), "null"), CAST(NULL <=> NULL AS STRING), CAST(i <=> NULL AS STRING))', duck: "'nulltrue' || CAST(i IS NULL AS VARCHAR)" },
  { semantic: 'three-valued AND and OR', hive: 'concat_ws(",", CAST(i > 0 AND NULL AS STRING), CAST(i > 0 OR NULL AS STRING), CAST(NOT (i > 0) AS STRING))', duck: "concat_ws(',', CAST(i > 0 AND NULL AS VARCHAR), CAST(i > 0 OR NULL AS VARCHAR), CAST(NOT (i > 0) AS VARCHAR))" },
  { semantic: 'IN with a NULL in the list is NULL when not found', hive: 'i IN (0, 1, NULL)', duck: 'i IN (0, 1, NULL)' },
  { semantic: 'NOT IN with a NULL in the list is never true', hive: 'i NOT IN (0, NULL)', duck: 'i NOT IN (0, NULL)' },
  { semantic: 'BETWEEN is inclusive; NOT BETWEEN', hive: 'concat(key BETWEEN 10 AND 20, key NOT BETWEEN 15 AND 30)', duck: 'CAST(key BETWEEN 10 AND 20 AS VARCHAR) || CAST(key NOT BETWEEN 15 AND 30 AS VARCHAR)', rows: 'src' },
  { semantic: 'LIKE escapes _ with a backslash', hive: "value LIKE 'val\\\\_1%'", duck: "value LIKE 'val\\_1%' ESCAPE '\\'", rows: 'src' },
  { semantic: 'NOT LIKE and NOT RLIKE', hive: "concat(value NOT LIKE '%5%', value NOT RLIKE '[02468]$')", duck: "CAST(value NOT LIKE '%5%' AS VARCHAR) || CAST(NOT regexp_matches(value, '[02468]$') AS VARCHAR)", rows: 'src' },
  { semantic: 'bitwise &, |, ^ and ~', hive: 'concat_ws(",", CAST(key & 6 AS STRING), CAST(key | 1 AS STRING), CAST(key ^ 5 AS STRING), CAST(~key AS STRING))', duck: "concat_ws(',', CAST(key & 6 AS VARCHAR), CAST(key | 1 AS VARCHAR), CAST(xor(key, 5) AS VARCHAR), CAST(~key AS VARCHAR))", rows: 'src' },
  { semantic: '== and != are = and <>', hive: 'concat(key == 10, key != 10)', duck: 'CAST(key = 10 AS VARCHAR) || CAST(key <> 10 AS VARCHAR)', rows: 'src' },
  { semantic: '|| concatenates as strings', hive: "value || '-' || key", duck: "value || '-' || CAST(key AS VARCHAR)", rows: 'src' },
]);
