// Hive's math functions against DuckDB with Hive's semantics spelled out.
import { conformance } from './harness.js';

/** Hive rounds a double through BigDecimal.valueOf: its shortest decimal form, HALF_UP. */
const halfUp = (x: string, d: number) => `CAST(round(CAST(CAST(${x} AS VARCHAR) AS DECIMAL(38,18)), ${d}) AS DOUBLE)`;

conformance('math functions', [
  { semantic: 'round is HALF_UP on the decimal form of a double (round(2.675, 2) = 2.68)', hive: 'round(d, 2)', duck: `CASE WHEN abs(d) < 1e19 THEN ${halfUp('d', 2)} ELSE d END`, type: 'double' },
  { semantic: 'round without places rounds halves away from zero', hive: 'round(d)', duck: `CASE WHEN abs(d) < 1e19 THEN ${halfUp('d', 0)} ELSE d END` },
  { semantic: 'round of an int with negative places keeps the int type', hive: 'round(key, -1)', duck: 'CAST(round(CAST(key AS DECIMAL(38,0)), -1) AS INTEGER)', type: 'int', rows: 'src' },
  { semantic: 'round of a decimal is exact; decimal(p,s) to d places is decimal(p-s+1+d, d), one digit for the carry', hive: 'round(dec, 1)', duck: 'CAST(round(dec, 1) AS DECIMAL(10,1))', type: 'decimal(10,1)' },
  { semantic: 'bround is HALF_EVEN', hive: "concat_ws(' ', CAST(bround(2.5) AS STRING), CAST(bround(3.5) AS STRING), CAST(bround(-2.5) AS STRING), CAST(bround(0.125, 2) AS STRING))", duck: "'2.0 4.0 -2.0 0.12'", rows: 'one' },
  { semantic: 'bround of a column', hive: 'bround(d, 1)', duck: "CASE WHEN abs(d) < 1e19 THEN CAST(round_even(CAST(CAST(d AS VARCHAR) AS DECIMAL(38,18)), 1) AS DOUBLE) ELSE d END" },
  { semantic: 'floor and ceil of a double are BIGINT', hive: 'floor(d) + ceil(d)', duck: 'CAST(floor(d) AS BIGINT) + CAST(ceil(d) AS BIGINT)', type: 'bigint' },
  { semantic: 'ceil of a decimal is a decimal with scale 0', hive: 'ceil(dec)', duck: 'CAST(ceil(dec) AS DECIMAL(9,0))', type: 'decimal(9,0)' },
  { semantic: 'abs keeps the type', hive: 'abs(d)', duck: 'abs(d)', type: 'double' },
  { semantic: 'abs of an int is Java Math.abs: the smallest int stays negative', hive: 'abs(i)', duck: 'CASE WHEN i = -2147483648 THEN i ELSE abs(i) END', type: 'int' },
  { semantic: 'abs of a bigint: the smallest long stays negative', hive: 'abs(b)', duck: 'CASE WHEN b = -9223372036854775808 THEN b ELSE abs(b) END', type: 'bigint' },
  { semantic: 'abs of a tinyint or smallint is an INT (GenericUDFAbs), so -128Y gives 128', hive: 'abs(CAST(-128 AS TINYINT)) + abs(CAST(-32768 AS SMALLINT))', duck: '32896', type: 'int', rows: 'one' },
  { semantic: 'pow and power are DOUBLE', hive: 'pow(key, 2) + power(2, key % 5)', duck: 'pow(key, 2) + pow(2, key % 5)', type: 'double', rows: 'src' },
  { semantic: 'sqrt of a negative number is NULL', hive: 'sqrt(d)', duck: 'CASE WHEN d >= 0 THEN sqrt(d) END' },
  { semantic: 'exp', hive: 'exp(key / 100)', duck: 'exp(key / 100)', rows: 'src' },
  { semantic: 'ln, log10, log2 of zero or less are NULL', hive: "concat_ws(' ', CAST(ln(d) AS STRING), CAST(log10(d) AS STRING), CAST(log2(d) AS STRING))", duck: "CASE WHEN d > 0 THEN concat_ws(' ', CAST(ln(d) AS VARCHAR), CAST(log10(d) AS VARCHAR), CAST(log2(d) AS VARCHAR)) ELSE '' END" },
  { semantic: 'log with one argument is the natural logarithm', hive: 'log(key + 1)', duck: 'ln(key + 1)', rows: 'src' },
  { semantic: 'log(base, x); a base of 1 or less is NULL', hive: 'log(2, key + 1) + log(1, key + 1)', duck: 'CAST(NULL AS DOUBLE)', rows: 'src' },
  { semantic: 'log(base, x) with two arguments', hive: 'log(3, key + 1)', duck: 'ln(key + 1) / ln(3)', rows: 'src' },
  { semantic: 'pmod is never negative', hive: 'pmod(i, 7)', duck: '((i % 7) + 7) % 7', type: 'int' },
  { semantic: 'pmod of doubles and pmod by zero is NULL', hive: "concat(CAST(pmod(-7.5, 2) AS STRING), ' ', coalesce(CAST(pmod(5, 0) AS STRING), 'null'))", duck: "'0.5 null'", rows: 'one' },
  { semantic: 'sign of a double is a DOUBLE', hive: 'sign(d)', duck: 'CAST(sign(d) AS DOUBLE)', type: 'double' },
  { semantic: 'greatest and least are NULL when any argument is NULL (Hive 2+)', hive: 'greatest(i, 5, 0) + least(i, 5, 0)', duck: 'CASE WHEN i IS NULL THEN NULL ELSE greatest(i, 5, 0) + least(i, 5, 0) END' },
  { semantic: 'greatest of strings', hive: "greatest(value, 'val_3')", duck: "greatest(value, 'val_3')", rows: 'src' },
  { semantic: 'rand(seed) is in [0, 1)', hive: 'rand(42) >= 0 AND rand() < 1', duck: 'TRUE', rows: 'src' },
  { semantic: 'pi() and e()', hive: 'pi() + e()', duck: 'pi() + exp(1)', rows: 'one' },
  { semantic: 'conv between bases', hive: "concat_ws(' ', conv('255', 10, 16), conv('ff', 16, 2), conv('zz', 36, 10), conv(100, 10, 36))", duck: "'FF 11111111 1295 2S'", rows: 'one' },
  { semantic: 'conv of a negative number: unsigned for a positive base, signed for a negative one', hive: "concat_ws(' ', conv('-1', 10, 16), conv('-10', 10, -16), conv('12a', 10, 10))", duck: "'FFFFFFFFFFFFFFFF -A 12'", rows: 'one' },
  { semantic: 'hex of a number is uppercase two\'s complement', hive: 'hex(b)', duck: 'hex(b)' },
  { semantic: 'hex of a string is the hex of its UTF-8 bytes', hive: 'hex(s)', duck: 'hex(encode(s))' },
  { semantic: 'unhex and hex round trip; invalid hex is NULL', hive: "concat(hex(unhex(hex(value))), ' ', coalesce(hex(unhex('zz')), 'null'))", duck: "hex(encode(value)) || ' null'", rows: 'src' },
  { semantic: 'bin of a bigint, negative as 64 bits', hive: 'bin(b)', duck: 'bin(b)' },
  { semantic: 'degrees, radians, sin, cos', hive: 'degrees(radians(key)) + sin(key) * cos(key)', duck: 'degrees(radians(key)) + sin(key) * cos(key)', rows: 'src' },
  { semantic: 'factorial is NULL outside 0 to 20', hive: "concat_ws(' ', CAST(factorial(5) AS STRING), CAST(factorial(20) AS STRING), coalesce(CAST(factorial(21) AS STRING), 'null'))", duck: "'120 2432902008176640000 null'", type: 'string', rows: 'one' },
  { semantic: 'a string argument to a math function is read as a double', hive: "abs('-3.5') + floor('2.7')", duck: '3.5 + 2', rows: 'one' },
]);
