// Hive's conditional functions and CASE against DuckDB.
import { conformance } from './harness.js';

conformance('conditional functions', [
  { semantic: 'if picks the second argument when the condition is true', hive: "if(key > 30, 'big', 'small')", duck: "CASE WHEN key > 30 THEN 'big' ELSE 'small' END", rows: 'src' },
  { semantic: 'if with a NULL condition takes the else branch', hive: "if(i > 0, 'pos', 'not')", duck: "CASE WHEN i > 0 THEN 'pos' ELSE 'not' END" },
  { semantic: 'if widens its branches to a common type', hive: 'if(i > 0, i, d)', duck: 'CASE WHEN i > 0 THEN CAST(i AS DOUBLE) ELSE d END', type: 'double' },
  { semantic: 'nvl replaces NULL', hive: "nvl(s, 'none')", duck: "coalesce(s, 'none')" },
  { semantic: 'coalesce takes the first non-NULL of many', hive: 'coalesce(NULL, i, b, 0)', duck: 'coalesce(i, b, 0)', type: 'bigint' },
  { semantic: 'nullif gives NULL for equal arguments', hive: 'nullif(i, 0)', duck: 'nullif(i, 0)' },
  { semantic: 'isnull and isnotnull', hive: 'concat(isnull(s), isnotnull(i))', duck: 'CAST(s IS NULL AS VARCHAR) || CAST(i IS NOT NULL AS VARCHAR)' },
  { semantic: 'CASE WHEN with no match and no ELSE is NULL', hive: "CASE WHEN i > 100 THEN 'x' WHEN i < -100 THEN 'y' END", duck: "CASE WHEN i > 100 THEN 'x' WHEN i < -100 THEN 'y' END" },
  { semantic: 'CASE with an operand compares with =, so NULL matches nothing', hive: "CASE i WHEN 0 THEN 'zero' WHEN NULL THEN 'null' ELSE 'other' END", duck: "CASE WHEN i = 0 THEN 'zero' ELSE 'other' END" },
  { semantic: 'CASE operand string compared with numbers as doubles', hive: "CASE value WHEN 'val_0' THEN 0 ELSE key END", duck: "CASE WHEN value = 'val_0' THEN 0 ELSE key END", rows: 'src' },
  { semantic: 'assert_true of a true condition is NULL', hive: 'assert_true(key >= 0)', duck: 'CAST(NULL AS INTEGER)', rows: 'src' },
], [
  { semantic: 'assert_true of a false condition fails the job', sql: 'SELECT assert_true(key < 10) FROM src', error: /ASSERT_TRUE\(\): assertion failed/ },
]);
