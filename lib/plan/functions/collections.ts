// Hive's collection constructors and functions. `[i]`, `['k']` and `.field` are syntax
// and bind in bind-expr.
import { sqlError } from '../../common/errors.js';
import { T, isVoid, typeToString, type HiveType } from '../../common/types.js';
import type { BExpr } from '../nodes.js';
import { INF, common, fixed, fn, literalText, type ScalarSignature } from './signature.js';

const orString = (t: HiveType) => (isVoid(t) ? T.string : t);
const arrayOf = (a: readonly HiveType[]): HiveType => ({ kind: 'array', element: orString(common(a)) });
const keys = (a: readonly HiveType[]) => a.filter((_, i) => i % 2 === 0);
const values = (a: readonly HiveType[]) => a.filter((_, i) => i % 2 === 1);
const mapOf = (a: readonly HiveType[]): HiveType => ({ kind: 'map', key: orString(common(keys(a))), value: orString(common(values(a))) });

function namedStructType(types: readonly HiveType[], args: readonly BExpr[]): HiveType {
  const fields = [];
  for (let i = 0; i + 1 < args.length; i += 2) fields.push({ name: literalText(args[i])!, type: orString(types[i + 1]!) });
  return { kind: 'struct', fields };
}

function collectionArg(kind: 'array' | 'map' | 'either'): ScalarSignature['check'] {
  return (args, pos, name) => {
    const t = args[0]!.type;
    const ok = isVoid(t) || (kind === 'either' ? t.kind === 'array' || t.kind === 'map' : t.kind === kind);
    if (!ok) throw sqlError(`${name}(): the argument must be ${kind === 'either' ? 'an array or a map' : `a${kind === 'array' ? 'n' : ''} ${kind}`}, but it is ${typeToString(t)}`, pos);
  };
}

const elementOf = (t: HiveType): HiveType => (t.kind === 'array' ? t.element : T.string);

export const COLLECTION_FUNCTIONS: Record<string, ScalarSignature> = {
  array: fn(0, INF, arrayOf, (a) => a.map(() => orString(common(a)))),
  map: fn(0, INF, mapOf, (a) => { const m = mapOf(a) as { key: HiveType; value: HiveType }; return a.map((_, i) => (i % 2 === 0 ? m.key : m.value)); }, (args, pos) => {
    if (args.length % 2 !== 0) throw sqlError(`map() takes key, value pairs, but ${args.length} arguments were given`, pos);
  }),
  named_struct: fn(2, INF, namedStructType, undefined, (args, pos) => {
    if (args.length % 2 !== 0) throw sqlError(`named_struct() takes name, value pairs, but ${args.length} arguments were given`, pos);
    for (let i = 0; i < args.length; i += 2)
      if (literalText(args[i]) === undefined) throw sqlError(`named_struct(): field name ${i / 2 + 1} must be a constant string`, pos);
  }),
  struct: fn(1, INF, (a) => ({ kind: 'struct', fields: a.map((t, i) => ({ name: `col${i + 1}`, type: orString(t) })) })),
  size: fn(1, 1, fixed(T.int), undefined, collectionArg('either')),
  array_contains: fn(2, 2, fixed(T.boolean), (a) => [undefined, elementOf(a[0]!)], collectionArg('array')),
  sort_array: fn(1, 2, (a) => a[0]!, () => [undefined, T.boolean], collectionArg('array')),
  map_keys: fn(1, 1, (a) => ({ kind: 'array', element: a[0]!.kind === 'map' ? a[0]!.key : T.string }), undefined, collectionArg('map')),
  map_values: fn(1, 1, (a) => ({ kind: 'array', element: a[0]!.kind === 'map' ? a[0]!.value : T.string }), undefined, collectionArg('map')),
};
