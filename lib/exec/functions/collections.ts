// Hive's collection functions and accessors as DuckDB SQL (Hive arrays are 0-based).
import { duckType } from '../../common/types.js';
import { quoteIdent } from '../render-cast.js';
import { literalText, type Render } from './render.js';

const emptyOf = (type: Parameters<Render>[2]) => `CAST([] AS ${duckType(type)})`;

export const COLLECTION_RENDERERS: Record<string, Render> = {
  array: (a, _args, type) => (a.length ? `[${a.join(', ')}]` : emptyOf(type)),
  map: (a, _args, type) => (a.length ? `MAP([${a.filter((_, i) => i % 2 === 0).join(', ')}], [${a.filter((_, i) => i % 2 === 1).join(', ')}])` : `CAST(MAP() AS ${duckType(type)})`),
  named_struct: (a, args) => {
    const fields = [];
    for (let i = 0; i + 1 < a.length; i += 2) fields.push(`${quoteIdent(literalText(args[i])!)} := ${a[i + 1]}`);
    return `struct_pack(${fields.join(', ')})`;
  },
  struct: (a) => `struct_pack(${a.map((x, i) => `col${i + 1} := ${x}`).join(', ')})`,
  // Hive's size of NULL is -1
  size: (a, args) => args[0]!.type.kind === 'primitive' ? '-1' : `CAST(coalesce(${args[0]!.type.kind === 'map' ? 'cardinality' : 'len'}(${a[0]}), -1) AS INTEGER)`,
  array_contains: (a) => `coalesce(list_contains(${a[0]}, ${a[1]}), FALSE)`,
  sort_array: (a, args) => {
    const asc = a.length < 2 ? 'true' : literalText(args[1]);
    if (asc === 'true' || asc === undefined && a.length < 2) return `list_sort(${a[0]}, 'ASC', 'NULLS FIRST')`;
    if (asc === 'false') return `list_sort(${a[0]}, 'DESC', 'NULLS LAST')`;
    return `(CASE WHEN ${a[1]} THEN list_sort(${a[0]}, 'ASC', 'NULLS FIRST') ELSE list_sort(${a[0]}, 'DESC', 'NULLS LAST') END)`;
  },
  // Hive gives an empty array for a NULL map
  map_keys: (a, _args, type) => `coalesce(map_keys(${a[0]}), ${emptyOf(type)})`,
  map_values: (a, _args, type) => `coalesce(map_values(${a[0]}), ${emptyOf(type)})`,
  struct_field: (a) => `struct_extract(${a[0]}, ${a[1]})`,
  // out of range, negative included, is NULL (DuckDB counts negative indexes from the end)
  array_index: (a) => `(CASE WHEN ${a[1]} >= 0 THEN ${a[0]}[${a[1]} + 1] END)`,
  map_index: (a) => `${a[0]}[${a[1]}]`,
};
