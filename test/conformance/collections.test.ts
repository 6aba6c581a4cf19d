// Hive's collection functions and accessors against DuckDB.
import { conformance } from './harness.js';

conformance('collection functions', [
  { semantic: 'array builds an array of the common element type', hive: 'array(i, b, 1)', duck: '[CAST(i AS BIGINT), b, 1]', type: 'array<bigint>' },
  { semantic: 'array elements are 0-based with [i]', hive: 'array(key, key * 2, key * 3)[1]', duck: 'key * 2', rows: 'src' },
  { semantic: 'an array index out of range or negative is NULL', hive: "concat(coalesce(CAST(array(1, 2)[2] AS STRING), 'null'), coalesce(CAST(array(1, 2)[-1] AS STRING), 'null'))", duck: "'nullnull'", rows: 'one' },
  { semantic: 'map builds a map from key, value pairs', hive: "map('k', value, 'n', CAST(key AS STRING))", duck: "MAP {'k': value, 'n': CAST(key AS VARCHAR)}", type: 'map<string,string>', rows: 'src' },
  { semantic: "map lookup with ['k']; a missing key is NULL", hive: "concat(map('a', 1, 'b', 2)['b'], coalesce(CAST(map('a', 1)['z'] AS STRING), 'null'))", duck: "'2null'", rows: 'one' },
  { semantic: 'named_struct and .field access', hive: "named_struct('k', key, 'v', value).v", duck: 'value', rows: 'src' },
  { semantic: 'named_struct result type', hive: "named_struct('a', i, 'b', s)", duck: "{'a': i, 'b': s}", type: 'struct<a:int,b:string>' },
  { semantic: 'struct names its fields col1, col2, …', hive: 'struct(i, s).col2', duck: 's' },
  { semantic: 'size of an array and a map', hive: "size(split(value, '_')) + size(map('a', 1, 'b', 2))", duck: '4', type: 'int', rows: 'src' },
  { semantic: 'size of NULL is -1', hive: "size(if(i > 0, array(1), NULL))", duck: 'CASE WHEN i > 0 THEN 1 ELSE -1 END' },
  { semantic: 'array_contains; a NULL array gives false', hive: 'array_contains(if(i > 0, array(1, 7, 42), NULL), 7)', duck: 'CASE WHEN i > 0 THEN TRUE ELSE FALSE END' },
  { semantic: 'array_contains converts the value to the element type', hive: "array_contains(split(s, ','), 'b')", duck: "coalesce(list_contains(string_split(s, ','), 'b'), FALSE)" },
  { semantic: 'sort_array sorts ascending with NULLs first', hive: "sort_array(array(s, 'm', NULL, 'B'))", duck: "list_sort([s, 'm', NULL, 'B'], 'ASC', 'NULLS FIRST')" },
  { semantic: 'sort_array with false sorts descending', hive: 'sort_array(array(i, 3, 1), false)', duck: "list_sort([i, 3, 1], 'DESC', 'NULLS LAST')" },
  { semantic: 'map_keys and map_values', hive: "concat(concat_ws(',', map_keys(map('x', value))), map_values(map('x', key))[0])", duck: "'x' || CAST(key AS VARCHAR)", rows: 'src' },
  { semantic: 'map_values over a map built from columns', hive: "map_values(map('a', i))", duck: '[i]', type: 'array<int>' },
  { semantic: 'an array of arrays indexed twice', hive: 'array(array(key), array(key + 1))[1][0]', duck: 'key + 1', rows: 'src' },
  { semantic: 'a struct inside an array', hive: "array(named_struct('x', key))[0].x", duck: 'key', rows: 'src' },
], [
  { semantic: 'size of a non-collection is rejected', sql: 'SELECT size(key) FROM src', error: /size\(\): the argument must be an array or a map, but it is int/ },
  { semantic: '[…] on a non-collection is rejected', sql: 'SELECT key[0] FROM src', error: /needs an array or a map/ },
]);
