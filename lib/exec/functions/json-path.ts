// Hive's get_json_object (UDFJson, Hive 3): a JSON text read as Jackson reads it (integers
// stay integers, other numbers are doubles and print as Java's Double.toString), then a
// path `$`, `.key`, `[n]`, `[*]`. A key step over an array maps over its objects and
// flattens arrays it finds; `[*]` collects every element; a step that selects several
// values yields an array of them, a step that selects one yields that value. Strings come
// back bare, objects and arrays as compact JSON, a missing value or invalid JSON as NULL.
import { javaDoubleString } from '../../common/java-number.js';

/** A JSON number as Jackson holds it: an integer keeps its digits, anything else is a double. */
class JsonNumber {
  constructor(readonly text: string) {}
}
type Json = null | boolean | string | JsonNumber | Json[] | { [k: string]: Json };

function number(source: string): JsonNumber {
  if (/^-?\d+$/.test(source)) return new JsonNumber(BigInt(source).toString());
  return new JsonNumber(javaDoubleString(Number(source)));
}

function parse(text: string): Json | undefined {
  try {
    // Node 21+ passes each number's source text, so 1.0 stays a double and big integers stay exact
    return JSON.parse(text, (_k, v: unknown, ctx?: { source?: string }) =>
      typeof v === 'number' ? number(ctx?.source ?? String(v)) : v) as Json;
  } catch {
    return undefined;
  }
}

function write(v: Json): string {
  if (v instanceof JsonNumber) return v.text;
  if (Array.isArray(v)) return `[${v.map(write).join(',')}]`;
  if (v !== null && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${write(x)}`).join(',')}}`;
  return JSON.stringify(v);
}

const isObject = (v: Json | undefined): v is { [k: string]: Json } => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof JsonNumber);

function withKey(json: Json | undefined, key: string): Json | undefined {
  if (Array.isArray(json)) {
    const out: Json[] = [];
    for (const e of json) {
      if (!isObject(e)) continue;
      const x = Object.hasOwn(e, key) ? e[key] : undefined;
      if (Array.isArray(x)) out.push(...x);
      else if (x !== undefined && x !== null) out.push(x);
    }
    return out.length ? out : undefined;
  }
  return isObject(json) && Object.hasOwn(json, key) ? json[key] : undefined;
}

function withIndexes(json: Json | undefined, indexes: readonly string[]): Json | undefined {
  let list: (Json | undefined)[] = [json];
  for (const index of indexes) {
    const next: Json[] = [];
    for (const a of list) {
      if (!Array.isArray(a)) continue;
      if (index === '*') next.push(...a);
      else if (Number(index) < a.length) next.push(a[Number(index)]!);
    }
    if (next.length === 0) return undefined;
    list = next;
  }
  return list.length > 1 ? (list as Json[]) : list[0];
}

/** json_tuple's value for one key (GenericUDTFJSONTuple): the text read as a map, the value printed as get_json_object prints it. */
export function jsonTupleValue(text: string, key: string): string | null {
  if (cache.text !== text) Object.assign(cache, { text, json: parse(text) });
  const json = cache.json;
  if (!isObject(json) || !Object.hasOwn(json, key)) return null;
  const v = json[key]!;
  return v === null ? null : typeof v === 'string' ? v : write(v);
}

const KEY = /^([a-zA-Z0-9_\-:\s]+)/;
const INDEX = /\[([0-9]+|\*)\]/g;

const cache = { text: '', json: undefined as Json | undefined };

export function getJsonObject(text: string, path: string): string | null {
  if (text === '' || !path.startsWith('$')) return null;
  const rootArray = path[1] === '[' || (path[1] === '.' && path[2] === '[');
  if (path.length > 1 && path[1] !== '[' && path[1] !== '.') return null;
  if (cache.text !== text) Object.assign(cache, { text, json: parse(text) });
  let json = cache.json;
  // Jackson reads the root as a list or as a map, as the path asks
  if (json === undefined || (path.length > 1 ? (rootArray ? !Array.isArray(json) : !isObject(json)) : !Array.isArray(json) && !isObject(json))) return null;
  const steps = path.split('.');
  const first = path[1] === '[' ? 0 : 1;
  for (let i = first; i < steps.length; i++) {
    if (json === undefined || json === null) return null;
    const step = steps[i]!;
    if (!(i === first && rootArray)) {
      const key = KEY.exec(step);
      if (!key) return null;
      json = withKey(json, key[1]!);
    }
    const indexes = [...step.matchAll(INDEX)].map((m) => m[1]!);
    if (indexes.length) json = withIndexes(json, indexes);
  }
  if (json === undefined || json === null) return null;
  return typeof json === 'string' ? json : write(json);
}
