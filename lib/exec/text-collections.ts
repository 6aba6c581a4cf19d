// ARRAY, MAP and STRUCT columns of text tables as Hive's LazySimpleSerDe reads them: one
// separator per nesting level (collection items '\002', map keys '\003', then '\004' …
// unless ROW FORMAT names them), '\N' for a NULL element, the first of duplicate map keys.
import { duckType, isStringy, T, type HiveType } from '../common/types.js';
import type { TableMeta } from '../catalog/model.js';
import { quoteString, renderCast } from './render-expr.js';

/** Hive's separators by level: 0 fields, 1 collection items, 2 map keys, deeper levels \004, \005, … */
function separators(table: TableMeta): string[] {
  const seps = [table.fieldDelimiter ?? '\u0001', table.collectionDelimiter ?? '\u0002', table.mapKeyDelimiter ?? '\u0003'];
  for (let c = 4; c <= 8; c++) seps.push(String.fromCharCode(c));
  return seps;
}

const chr = (s: string) => (s.length === 1 && s.charCodeAt(0) < 32 ? `chr(${s.charCodeAt(0)})` : quoteString(s));

/** A text field of a complex type parsed into DuckDB's LIST, MAP or STRUCT; `field` is SQL for the raw text. */
export function textCollection(field: string, type: HiveType, table: TableMeta): string {
  return parse(field, type, 1, separators(table), table.nullFormat ?? '\\N');
}

function parse(x: string, type: HiveType, level: number, seps: readonly string[], nullText: string): string {
  const sep = chr(seps[level] ?? seps[seps.length - 1]!);
  const v = `v${level}`;
  switch (type.kind) {
    case 'primitive': {
      const value = isStringy(type) ? x : renderCast(x, T.string, type);
      return `(CASE WHEN ${x} = ${quoteString(nullText)} THEN NULL ELSE ${value} END)`;
    }
    case 'array':
      return `(CASE WHEN ${x} = '' THEN CAST([] AS ${duckType(type)}) ELSE list_transform(string_split(${x}, ${sep}), lambda ${v}: ${parse(v, type.element, level + 1, seps, nullText)}) END)`;
    case 'struct': {
      const parts = `string_split(${x}, ${sep})`;
      return `struct_pack(${type.fields.map((f, i) => `"${f.name.replace(/"/g, '""')}" := ${parse(`${parts}[${i + 1}]`, f.type, level + 1, seps, nullText)}`).join(', ')})`;
    }
    case 'map': {
      const kv = chr(seps[level + 1] ?? seps[seps.length - 1]!);
      const entries = `list_transform(string_split(${x}, ${sep}), lambda ${v}: {'key': ${parse(`split_part(${v}, ${kv}, 1)`, type.key, level + 2, seps, nullText)}, 'value': ${parse(`(CASE WHEN strpos(${v}, ${kv}) = 0 THEN ${quoteString(nullText)} ELSE substr(${v}, strpos(${v}, ${kv}) + 1) END)`, type.value, level + 2, seps, nullText)}})`;
      // Hive keeps the first of duplicate keys; DuckDB refuses duplicates.
      const first = `list_filter(${entries}, lambda e${level}, i${level}: list_position(list_transform(${entries}, lambda k${level}: k${level}.key), e${level}.key) = i${level})`;
      return `(CASE WHEN ${x} = '' THEN CAST(map() AS ${duckType(type)}) ELSE CAST(map_from_entries(${first}) AS ${duckType(type)}) END)`;
    }
  }
}
