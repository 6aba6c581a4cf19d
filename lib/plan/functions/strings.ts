// Hive's string functions: argument conversions and result types.
import { sqlError } from '../../common/errors.js';
import { T, isStringy, isVoid, type HiveType } from '../../common/types.js';
import { parseDecimalPattern } from '../../common/java-decimal-format.js';
import { comparisonType } from '../coercion.js';
import { INF, fixed, fn, literalText, requireLiteral, stringOrBinary, strings, type ScalarSignature } from './signature.js';

const stringArray: HiveType = { kind: 'array', element: T.string };
const lenient = (t: HiveType): HiveType => (t.kind === 'array' ? stringArray : T.string);
const oneString = strings(1, 1, T.string);

export const STRING_FUNCTIONS: Record<string, ScalarSignature> = {
  concat: fn(1, INF, (a) => (a.every((t) => t.kind === 'primitive' && t.name === 'binary') ? T.binary : T.string), (a) => (a.every((t) => t.kind === 'primitive' && t.name === 'binary') ? a : a.map(() => T.string))),
  // concat_ws flattens array<string> arguments and skips NULLs
  concat_ws: fn(2, INF, fixed(T.string), (a) => a.map((t, i) => (i === 0 ? T.string : lenient(t)))),
  upper: oneString, lower: oneString, ucase: oneString, lcase: oneString,
  trim: oneString, ltrim: oneString, rtrim: oneString,
  reverse: oneString, initcap: oneString,
  length: fn(1, 1, fixed(T.int), (a) => [stringOrBinary(a[0]!)]),
  char_length: strings(1, 1, T.int), character_length: strings(1, 1, T.int),
  octet_length: fn(1, 1, fixed(T.int), (a) => [stringOrBinary(a[0]!)]),
  substr: fn(2, 3, (a) => stringOrBinary(a[0]!), (a) => [stringOrBinary(a[0]!), T.int, T.int]),
  substring: fn(2, 3, (a) => stringOrBinary(a[0]!), (a) => [stringOrBinary(a[0]!), T.int, T.int]),
  lpad: fn(3, 3, fixed(T.string), () => [T.string, T.int, T.string]),
  rpad: fn(3, 3, fixed(T.string), () => [T.string, T.int, T.string]),
  instr: strings(2, 2, T.int),
  locate: fn(2, 3, fixed(T.int), () => [T.string, T.string, T.int]),
  find_in_set: strings(2, 2, T.int),
  split: strings(2, 2, stringArray),
  regexp_replace: strings(3, 3, T.string),
  regexp_extract: fn(2, 3, fixed(T.string), () => [T.string, T.string, T.int]),
  rlike: strings(2, 2, T.boolean),
  regexp: strings(2, 2, T.boolean),
  repeat: fn(2, 2, fixed(T.string), () => [T.string, T.int]),
  replace: strings(3, 3, T.string),
  translate: strings(3, 3, T.string),
  space: fn(1, 1, fixed(T.string), () => [T.int]),
  ascii: strings(1, 1, T.int),
  // printf's format is Java's Formatter syntax; the values keep their types
  printf: fn(1, INF, fixed(T.string), (a) => [T.string, ...a.slice(1).map(() => undefined)], (args, pos, name) => {
    requireLiteral(args, 0, 'format', pos, name);
  }),
  format_number: fn(2, 2, fixed(T.string), (a) => [a[0]!.kind === 'primitive' && a[0]!.name === 'decimal' ? a[0] : T.double, undefined], (args, pos, name) => {
    const d = args[1]!;
    // the second argument is a number of decimal places or a DecimalFormat pattern
    if (isStringy(d.type) || isVoid(d.type)) {
      const text = literalText(d);
      if (text !== undefined) {
        try { parseDecimalPattern(text); } catch (e) { throw sqlError(`${name}(): ${(e as Error).message}`, pos); }
      }
      return;
    }
    if (!(d.kind === 'lit' && typeof d.value === 'string' && /^\d+$/.test(d.value)))
      throw sqlError(`${name}(): the number of decimal places must be a non-negative integer constant or a format pattern string`, pos);
  }),
  get_json_object: strings(2, 2, T.string),
  parse_url: strings(2, 3, T.string),
  str_to_map: strings(1, 3, { kind: 'map', key: T.string, value: T.string }),
  levenshtein: strings(2, 2, T.int),
  substring_index: fn(3, 3, fixed(T.string), () => [T.string, T.string, T.int]),
  chr: fn(1, 1, fixed(T.string), () => [T.bigint]),
  elt: fn(2, INF, fixed(T.string), (a) => [T.int, ...a.slice(1).map(() => T.string)]),
  field: fn(2, INF, fixed(T.int), (a) => { const t = a.slice(1).reduce(comparisonType, a[0]!); return a.map(() => t); }),
  base64: fn(1, 1, fixed(T.string), () => [T.binary]),
  unbase64: strings(1, 1, T.binary),
};
