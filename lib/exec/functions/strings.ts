// Hive's string functions as DuckDB SQL.
import { T, isIntegral, isPrimitive } from '../../common/types.js';
import type { BExpr } from '../../plan/nodes.js';
import { quoteString, renderCast } from '../render-cast.js';
import { literalText, type Render } from './render.js';

const isBinary = (e: BExpr) => isPrimitive(e.type, 'binary');

/** Hive's substr: 1-based, negative from the end, 0 as 1, '' when the start is past either end. */
const substr: Render = (a) => {
  const start = `(CASE WHEN ${a[1]} = 0 THEN 1 ELSE ${a[1]} END)`;
  const body = a.length > 2 ? `substring(${a[0]}, ${start}, ${a[2]})` : `substring(${a[0]}, ${start})`;
  const tooShort = a.length > 2 ? ` OR ${a[2]} < 1` : '';
  return `(CASE WHEN abs(${a[1]}) > length(${a[0]})${tooShort} THEN '' ELSE ${body} END)`;
};

const pad = (f: 'lpad' | 'rpad'): Render => (a) => `(CASE WHEN ${a[1]} < 0 OR ${a[2]} = '' THEN NULL ELSE ${f}(${a[0]}, ${a[1]}, ${a[2]}) END)`;

/** An array<string> argument of concat_ws: its non-NULL elements, or NULL (skipped) when there are none. */
const wsPart = (sep: string, e: BExpr, r: string) =>
  e.type.kind === 'array' ? `(CASE WHEN len(list_filter(${r}, x -> x IS NOT NULL)) > 0 THEN array_to_string(${r}, ${sep}) END)` : r;

/** Java Formatter conversions as {fmt} replacement fields, with what each argument is converted to. */
function javaFormat(fmt: string, args: readonly BExpr[], rendered: readonly string[]): string {
  let out = '';
  let argIndex = 1;
  const values: string[] = [];
  const re = /%(\d+\$)?([-#+ 0,(]*)(\d+)?(\.\d+)?([a-zA-Z%])/g;
  let last = 0;
  for (let m = re.exec(fmt); m; m = re.exec(fmt)) {
    out += fmt.slice(last, m.index).replace(/[{}]/g, '$&$&');
    last = re.lastIndex;
    const [, pos, flags = '', width = '', prec = '', conv] = m;
    if (conv === '%') { out += '%'; continue; }
    if (conv === 'n') { out += '\n'; continue; }
    const i = pos ? Number(pos.slice(0, -1)) : argIndex++;
    const e = args[i];
    if (!e) throw new Error(`printf: format '${fmt}' needs argument ${i}, but there are ${args.length - 1}`);
    const r = rendered[i]!;
    let spec = '';
    if (flags.includes('-')) spec += '<';
    else if (/[sSbBcC]/.test(conv!)) spec += '>';
    if (flags.includes('+')) spec += '+';
    if (flags.includes(' ')) spec += ' ';
    if (flags.includes('#')) spec += '#';
    if (flags.includes('0')) spec += '0';
    spec += width;
    if (flags.includes(',')) spec += ',';
    spec += prec;
    switch (conv!.toLowerCase()) {
      // Java prints a NULL argument as "null"
      case 's': values.push(`coalesce(${renderCast(r, e.type, T.string)}, 'null')`); break;
      case 'b': values.push(`(CASE WHEN ${r} IS NULL THEN 'false' ELSE ${isPrimitive(e.type, 'boolean') ? `CAST(${r} AS VARCHAR)` : `'true'`} END)`); break;
      case 'c': values.push(`chr(CAST(${r} AS INTEGER))`); break;
      case 'd': values.push(r); spec += 'd'; break;
      case 'x': case 'o': values.push(r); spec += conv; break;
      case 'f': case 'e': case 'g': values.push(`CAST(${r} AS DOUBLE)`); spec += conv; break;
      default: throw new Error(`printf: conversion '%${conv}' is not supported`);
    }
    if (conv === 'S' || conv === 'B') values[values.length - 1] = `upper(${values[values.length - 1]})`;
    out += spec ? `{:${spec}}` : '{}';
  }
  out += fmt.slice(last).replace(/[{}]/g, '$&$&');
  return `format(${[quoteString(out), ...values].join(', ')})`;
}

/** get_json_object's path ($.a.b[0]) as DuckDB's, with keys quoted so any character in a key works. */
// scheme, authority, path, query, fragment (RFC 3986, appendix B)
const URL_RE = '^(([^:/?#]+):)?(//([^/?#]*))?([^?#]*)(\\?([^#]*))?(#(.*))?';

function urlPart(u: string, part: string, key: string | undefined): string {
  const g = (n: number) => `regexp_extract(${u}, ${quoteString(URL_RE)}, ${n})`;
  const auth = g(4);
  const query = `(CASE WHEN regexp_matches(${u}, '^[^#]*\\?') THEN ${g(7)} END)`;
  switch (part) {
    case 'PROTOCOL': return g(2);
    case 'AUTHORITY': return `(CASE WHEN regexp_matches(${u}, '^[^:/?#]+://') THEN ${auth} END)`;
    case 'HOST': return `regexp_extract(${auth}, '^(?:[^@]*@)?(\\[[^\\]]*\\]|[^:]*)', 1)`;
    case 'PATH': return g(5);
    case 'QUERY':
      if (key === undefined) return query;
      return `(CASE WHEN regexp_matches(${query}, ${key}) THEN regexp_extract(${query}, ${key}, 2) END)`;
    case 'REF': return `(CASE WHEN contains(${u}, '#') THEN ${g(9)} END)`;
    case 'FILE': return `(${g(5)} || coalesce('?' || ${query}, ''))`;
    case 'USERINFO': return `(CASE WHEN contains(${auth}, '@') THEN regexp_extract(${auth}, '^([^@]*)@', 1) END)`;
    default: return 'CAST(NULL AS VARCHAR)';
  }
}

const PARTS = ['PROTOCOL', 'AUTHORITY', 'HOST', 'PATH', 'QUERY', 'REF', 'FILE', 'USERINFO'];

export const STRING_RENDERERS: Record<string, Render> = {
  // Hive's concat is NULL when any argument is; DuckDB's concat() skips NULLs but `||` does not.
  concat: (a) => `(${a.join(' || ')})`,
  concat_ws: (a, args) => `concat_ws(${a[0]}, ${a.slice(1).map((r, i) => wsPart(a[0]!, args[i + 1]!, r)).join(', ')})`,
  upper: (a) => `upper(${a[0]})`, ucase: (a) => `upper(${a[0]})`,
  lower: (a) => `lower(${a[0]})`, lcase: (a) => `lower(${a[0]})`,
  // Hive trims spaces only, as DuckDB's one-argument trim does
  trim: (a) => `trim(${a[0]})`, ltrim: (a) => `ltrim(${a[0]})`, rtrim: (a) => `rtrim(${a[0]})`,
  reverse: (a) => `reverse(${a[0]})`,
  // WordUtils.capitalizeFully: every word lower case but its first letter
  initcap: (a) => `array_to_string(list_transform(string_split(lower(${a[0]}), ' '), w -> upper(left(w, 1)) || substr(w, 2)), ' ')`,
  length: (a, args) => (isBinary(args[0]!) ? `CAST(octet_length(${a[0]}) AS INTEGER)` : `CAST(length(${a[0]}) AS INTEGER)`),
  char_length: (a) => `CAST(length(${a[0]}) AS INTEGER)`,
  character_length: (a) => `CAST(length(${a[0]}) AS INTEGER)`,
  octet_length: (a, args) => `CAST(${isBinary(args[0]!) ? 'octet_length' : 'strlen'}(${a[0]}) AS INTEGER)`,
  substr, substring: substr,
  lpad: pad('lpad'), rpad: pad('rpad'),
  instr: (a) => `CAST(instr(${a[0]}, ${a[1]}) AS INTEGER)`,
  locate: (a) => {
    if (a.length < 3) return `CAST(instr(${a[1]}, ${a[0]}) AS INTEGER)`;
    const found = `instr(substring(${a[1]}, ${a[2]}), ${a[0]})`;
    return `CAST(CASE WHEN ${a[2]} < 1 THEN 0 WHEN ${found} = 0 THEN 0 ELSE ${found} + ${a[2]} - 1 END AS INTEGER)`;
  },
  find_in_set: (a) => `(CASE WHEN ${a[0]} IS NULL OR ${a[1]} IS NULL THEN NULL WHEN contains(${a[0]}, ',') THEN 0 ELSE CAST(coalesce(list_position(string_split(${a[1]}, ','), ${a[0]}), 0) AS INTEGER) END)`,
  repeat: (a) => `repeat(${a[0]}, greatest(${a[1]}, 0))`,
  replace: (a) => `replace(${a[0]}, ${a[1]}, ${a[2]})`,
  translate: (a) => `translate(${a[0]}, ${a[1]}, ${a[2]})`,
  space: (a) => `repeat(' ', greatest(${a[0]}, 0))`,
  // the first byte of the UTF-8 encoding, as a signed Java byte
  ascii: (a) => `(CASE WHEN ${a[0]} = '' THEN 0 ELSE ((CAST('0x' || left(hex(${a[0]}), 2) AS INTEGER) + 128) % 256) - 128 END)`,
  printf: (a, args) => javaFormat(literalText(args[0])!, args, a),
  format_number: (a, args) => {
    if (!isIntegral(args[1]!.type)) return `hive_format_number(CAST(${a[0]} AS DOUBLE), ${a[1]})`;
    const d = literalText(args[1])!;
    return `(CASE WHEN ${a[0]} IS NOT NULL THEN format('{:,.${d}f}', CAST(${a[0]} AS DOUBLE)) END)`;
  },
  get_json_object: (a) => `hive_get_json_object(${a[0]}, ${a[1]})`,
  parse_url: (a, args) => {
    const part = literalText(args[1]);
    const keyText = args.length > 2 ? literalText(args[2]) : undefined;
    const key = args.length < 3 ? undefined : keyText !== undefined ? quoteString(`(&|^)${keyText}=([^&]*)`) : `('(&|^)' || ${a[2]} || '=([^&]*)')`;
    const parts = part !== undefined ? [part] : PARTS;
    const body = parts.map((p) => (part !== undefined ? urlPart(a[0]!, p, key) : `WHEN ${a[1]} = '${p}' THEN ${urlPart(a[0]!, p, key)}`));
    const value = part !== undefined ? body[0] : `(CASE ${body.join(' ')} END)`;
    // java.net.URL rejects a string without a scheme
    return `(CASE WHEN regexp_matches(${a[0]}, '^[a-zA-Z][a-zA-Z0-9+.\\-]*:') THEN ${value} END)`;
  },
  str_to_map: (a) => `hive_str_to_map(${a[0]}, ${a[1] ?? "','"}, ${a[2] ?? "':'"})`,
  levenshtein: (a) => `CAST(levenshtein(${a[0]}, ${a[1]}) AS INTEGER)`,
  // the text before the count-th delimiter (from the right when negative); all of it when there are fewer
  substring_index: (a) => `(CASE WHEN ${a[2]} = 0 OR ${a[1]} = '' THEN '' WHEN ${a[2]} > 0 THEN array_to_string(string_split(${a[0]}, ${a[1]})[1:${a[2]}], ${a[1]}) ELSE array_to_string(string_split(${a[0]}, ${a[1]})[${a[2]}:], ${a[1]}) END)`,
  // Hive's chr: the character of n mod 256; '' below 0
  chr: (a) => `(CASE WHEN ${a[0]} < 0 THEN '' ELSE chr(CAST(${a[0]} % 256 AS INTEGER)) END)`,
  elt: (a) => `(CASE WHEN ${a[0]} >= 1 THEN [${a.slice(1).join(', ')}][${a[0]}] END)`,
  // 0 for a NULL value or no match, as Hive
  field: (a) => `CAST(coalesce(list_position([${a.slice(1).join(', ')}], ${a[0]}), 0) AS INTEGER)`,
  base64: (a) => `to_base64(${a[0]})`,
  unbase64: (a) => `from_base64(${a[0]})`,
};
