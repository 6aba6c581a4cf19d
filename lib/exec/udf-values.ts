// Values crossing between DuckDB and a user's JavaScript function, by Hive type, as
// lib/udf/model.ts promises them. Arguments are converted in JS from DuckDB's values.
// Results travel in a "transport" type first (dates and timestamps as text, decimals as
// doubles) and are cast to the declared type in SQL, so a result that does not convert
// becomes NULL with Hive's own cast rules instead of failing in JS.
import {
  BIGINT, BLOB, BOOLEAN, DATE, DECIMAL, DOUBLE, FLOAT, INTEGER, LIST, MAP, SMALLINT, STRUCT, TIMESTAMP, TINYINT, VARCHAR,
  blobValue, listValue, mapValue, structValue, type DuckDBType, type DuckDBValue,
} from '@duckdb/node-api';
import { T, duckType, isIntegral, isNumeric, typesEqual, type HiveType } from '../common/types.js';
import { renderCast } from './render-cast.js';

/** The type a result crosses in: the declared one, with date/timestamp as string, decimal as double, char/varchar as string. */
export function transportType(t: HiveType): HiveType {
  switch (t.kind) {
    case 'primitive':
      if (t.name === 'date' || t.name === 'timestamp' || t.name === 'varchar' || t.name === 'char') return T.string;
      if (t.name === 'decimal') return T.double;
      if (t.name === 'void') return T.string;
      return t;
    case 'array': return { kind: 'array', element: transportType(t.element) };
    case 'map': return { kind: 'map', key: transportType(t.key), value: transportType(t.value) };
    case 'struct': return { kind: 'struct', fields: t.fields.map((f) => ({ name: f.name, type: transportType(f.type) })) };
  }
}

/** SQL turning `sql` (of the transport type) into the declared type: Hive's casts at the top, DuckDB's TRY_CAST inside collections. */
export function fromTransport(sql: string, declared: HiveType): string {
  const transport = transportType(declared);
  if (typesEqual(transport, declared)) return sql;
  if (declared.kind === 'primitive') return renderCast(sql, transport, declared);
  return `TRY_CAST(${sql} AS ${duckType(declared)})`;
}

/** The node-api type object of a Hive type (what a registered function declares). */
export function duckTypeOf(t: HiveType): DuckDBType {
  switch (t.kind) {
    case 'primitive':
      switch (t.name) {
        case 'tinyint': return TINYINT;
        case 'smallint': return SMALLINT;
        case 'int': case 'void': return INTEGER;
        case 'bigint': return BIGINT;
        case 'float': return FLOAT;
        case 'double': return DOUBLE;
        case 'boolean': return BOOLEAN;
        case 'binary': return BLOB;
        case 'string': case 'varchar': case 'char': return VARCHAR;
        case 'date': return DATE;
        case 'timestamp': return TIMESTAMP;
        case 'decimal': return DECIMAL(t.precision ?? 10, t.scale ?? 0);
      }
      break;
    case 'array': return LIST(duckTypeOf(t.element));
    case 'map': return MAP(duckTypeOf(t.key), duckTypeOf(t.value));
    case 'struct': return STRUCT(Object.fromEntries(t.fields.map((f) => [f.name, duckTypeOf(f.type)])));
  }
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Hive's timestamp text: 'YYYY-MM-DD HH:MM:SS', with the fraction's significant digits only. */
function timestampText(micros: bigint): string {
  const ms = Number(micros / 1000n) - (micros % 1000n < 0n ? 1 : 0);
  const d = new Date(ms);
  const frac = ((micros % 1_000_000n) + 1_000_000n) % 1_000_000n;
  const base = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return frac === 0n ? base : `${base}.${String(frac).padStart(6, '0').replace(/0+$/, '')}`;
}

/** A DuckDB value of a column of Hive type `t` as the JS value a user function receives. */
export function toJs(v: DuckDBValue, t: HiveType): unknown {
  if (v === null) return null;
  switch (t.kind) {
    case 'primitive':
      switch (t.name) {
        case 'decimal': return (v as { toDouble(): number }).toDouble();
        case 'date': return String(v);
        case 'timestamp': return timestampText((v as { micros: bigint }).micros);
        case 'binary': return (v as { bytes: Uint8Array }).bytes;
        default: return v;
      }
    case 'array': return (v as { items: readonly DuckDBValue[] }).items.map((x) => toJs(x, t.element));
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const e of (v as { entries: readonly { key: DuckDBValue; value: DuckDBValue }[] }).entries) out[String(toJs(e.key, t.key))] = toJs(e.value, t.value);
      return out;
    }
    case 'struct': {
      const entries = (v as { entries: Readonly<Record<string, DuckDBValue>> }).entries;
      return Object.fromEntries(t.fields.map((f) => [f.name, toJs(entries[f.name] ?? null, f.type)]));
    }
  }
}

const describe = (x: unknown) => (x instanceof Uint8Array ? 'bytes' : Array.isArray(x) ? 'an array' : typeof x === 'string' ? `the string ${JSON.stringify(x.length > 40 ? `${x.slice(0, 40)}…` : x)}` : typeof x === 'object' ? 'an object' : `${typeof x} ${String(x)}`);
const wrong = (x: unknown, t: HiveType) => new TypeError(`returned ${describe(x)} where ${t.kind === 'primitive' ? t.name : t.kind} was declared`);

const RANGE: Record<string, number> = { tinyint: 2 ** 7, smallint: 2 ** 15, int: 2 ** 31 };

function integer(x: unknown, t: HiveType & { kind: 'primitive' }): number | bigint {
  let n: bigint;
  if (typeof x === 'bigint') n = x;
  else if (typeof x === 'number' && Number.isInteger(x)) n = BigInt(x);
  else throw wrong(x, t);
  if (t.name === 'bigint') {
    if (n !== BigInt.asIntN(64, n)) throw wrong(x, t);
    return n;
  }
  const r = RANGE[t.name]!;
  if (n < -BigInt(r) || n >= BigInt(r)) throw wrong(x, t);
  return Number(n);
}

function dateTimeText(x: unknown, t: HiveType): string {
  if (typeof x === 'string') return x;
  if (x instanceof Date) {
    const iso = x.toISOString();
    return t.kind === 'primitive' && t.name === 'date' ? iso.slice(0, 10) : iso.slice(0, 23).replace('T', ' ');
  }
  throw wrong(x, t);
}

/**
 * A user function's JS result as the DuckDB value of `declared`'s transport type. Loose
 * where nothing is lost (a number for a string column becomes its text, an integral
 * number a bigint); anything else throws, and the caller names the function.
 */
export function toDuck(x: unknown, declared: HiveType): DuckDBValue {
  if (x === null || x === undefined) return null;
  const t = declared;
  switch (t.kind) {
    case 'primitive':
      switch (t.name) {
        case 'tinyint': case 'smallint': case 'int': case 'bigint': return integer(x, t);
        case 'float': case 'double': case 'decimal':
          if (typeof x === 'number') return x;
          if (typeof x === 'bigint') return Number(x);
          throw wrong(x, t);
        case 'boolean':
          if (typeof x === 'boolean') return x;
          throw wrong(x, t);
        case 'binary':
          if (x instanceof Uint8Array) return blobValue(x);
          if (typeof x === 'string') return blobValue(new TextEncoder().encode(x));
          throw wrong(x, t);
        case 'date': case 'timestamp': return dateTimeText(x, t);
        default:
          if (typeof x === 'string') return x;
          if (typeof x === 'number' || typeof x === 'bigint' || typeof x === 'boolean') return String(x);
          throw wrong(x, t);
      }
    case 'array':
      if (!Array.isArray(x)) throw wrong(x, t);
      return listValue(x.map((e) => toDuck(e, t.element)));
    case 'map': {
      const entries = x instanceof Map ? [...x.entries()] : typeof x === 'object' && !Array.isArray(x) ? Object.entries(x as object) : undefined;
      if (!entries) throw wrong(x, t);
      // a plain object's keys are strings: numeric keys are read back as numbers
      const key = (k: unknown) => (typeof k === 'string' && isNumeric(t.key) ? (isIntegral(t.key) ? BigInt(k) : Number(k)) : k);
      return mapValue(entries.map(([k, v]) => ({ key: toDuck(key(k), t.key), value: toDuck(v, t.value) })));
    }
    case 'struct': {
      if (typeof x !== 'object' || Array.isArray(x)) throw wrong(x, t);
      const o = x as Record<string, unknown>;
      return structValue(Object.fromEntries(t.fields.map((f) => [f.name, toDuck(o[f.name], f.type)])));
    }
  }
}
