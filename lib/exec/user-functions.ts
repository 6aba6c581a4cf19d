// User functions (lib/udf/model.ts) on a task's DuckDB: each loaded export is registered
// once per container as JS scalar functions named by module hash, export and signature,
// and each task connection gets temporary macros named by the function's SQL name that
// call them. Rendered plans only ever name the macros (`userMacro`), so two jobs in one
// container that give the same name to different modules never meet.
//
// DuckDB's node API has no aggregate functions, so a user aggregate is three scalars over
// lists that DuckDB's own `list()` aggregate collects per group: `whole` (rows → result),
// `state` (rows → the JSON of a partial state, before the shuffle) and `merge` (states →
// result, after it). A table function is a scalar returning the list of its rows, which
// the generate operator unnests.
import { createHash } from 'node:crypto';
import {
  BOOLEAN, DuckDBScalarFunction, LIST, STRUCT, VARCHAR, listValue, structValue,
  type DuckDBConnection, type DuckDBDataChunk, type DuckDBScalarFunctionInfo, type DuckDBType, type DuckDBValue, type DuckDBVector,
} from '@duckdb/node-api';
import { duckType, type HiveType } from '../common/types.js';
import { taskError, type ShoalError } from '../common/errors.js';
import type { UdfDef } from '../udf/model.js';
import { quoteIdent } from './render-cast.js';
import { duckTypeOf, fromTransport, toDuck, toJs, transportType } from './udf-values.js';

export type UserStep = 'call' | 'whole' | 'state' | 'merge' | 'rows';

/** The per-connection macro that a rendered plan calls for a user function's step. */
export const userMacro = (name: string, step: UserStep) => quoteIdent(`udf:${step}:${name}`);

/** The list a user aggregate's `whole` and `state` steps take: one struct of arguments per row (a boolean per row without arguments). */
export function argumentRows(args: readonly string[], distinct: boolean, over = ''): string {
  const row = args.length ? `{${args.map((a, i) => `'a${i}': ${a}`).join(', ')}}` : 'TRUE';
  return `coalesce(list(${distinct ? 'DISTINCT ' : ''}${row})${over}, [])`;
}

export interface UserAggregate {
  init(): unknown;
  add(state: unknown, ...args: unknown[]): unknown;
  merge(a: unknown, b: unknown): unknown;
  finish(state: unknown): unknown;
}

/** What a module exports for a function, checked against the kind the plan names. */
export function checkExport(def: UdfDef, value: unknown): void {
  const where = `${def.location}#${def.export}`;
  if (value === undefined) throw taskError(`user function ${def.name}: the module ${where} (sha256 ${def.hash}) has no export '${def.export}'`, false);
  if (def.kind === 'aggregate') {
    const missing = ['init', 'add', 'merge', 'finish'].filter((m) => typeof (value as Record<string, unknown> | null)?.[m] !== 'function');
    if (missing.length) throw taskError(`user aggregate ${def.name}: the export ${where} lacks ${missing.join(', ')} (an aggregate is an object with init, add, merge and finish)`, false);
  } else if (typeof value !== 'function') {
    throw taskError(`user function ${def.name}: the export ${where} is ${typeof value}, expected a function`, false);
  }
}

const MARK = 'user function ';

function show(args: readonly unknown[]): string {
  const text = JSON.stringify(args, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? `<${v.length} bytes>` : v));
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function failure(def: UdfDef, e: unknown, args?: readonly unknown[]): string {
  const msg = e instanceof Error ? e.message : String(e);
  return `${MARK}${def.name} (${def.location}#${def.export}) failed: ${msg}${args ? ` (arguments: ${show(args)})` : ''}`;
}

/**
 * A DuckDB error raised by a user function's failure, as the task's error: named for the
 * function, with its message, and not retried (running it again would throw again).
 */
export function userFunctionError(e: unknown): ShoalError | undefined {
  const msg = e instanceof Error ? e.message : String(e);
  const at = msg.indexOf(MARK);
  return at < 0 ? undefined : taskError(msg.slice(at).trim(), false, e);
}

// JSON with bigints: partial states cross the shuffle as text
const encode = (s: unknown) => JSON.stringify(s === undefined ? null : s, (_k, v: unknown) => (typeof v === 'bigint' ? { $bigint: v.toString() } : v));
const decode = (t: string): unknown => JSON.parse(t, (_k, v: unknown) =>
  (v && typeof v === 'object' && typeof (v as { $bigint?: unknown }).$bigint === 'string' && Object.keys(v).length === 1 ? BigInt((v as { $bigint: string }).$bigint) : v));

/** A result that is a promise means an async function: DuckDB calls synchronously. */
function settled(v: unknown): unknown {
  if (v && typeof (v as { then?: unknown }).then === 'function') throw new TypeError('returned a Promise: user functions must be synchronous');
  return v;
}

type Row = (r: number) => DuckDBValue;

/** Runs `row` for every row of the chunk into the output; a throw fails the query with its message. */
function perRow(info: DuckDBScalarFunctionInfo, input: DuckDBDataChunk, out: DuckDBVector, row: Row, def: UdfDef, argsOf: (r: number) => readonly unknown[] | undefined): void {
  for (let r = 0; r < input.rowCount; r++) {
    try {
      out.setItem(r, row(r));
    } catch (e) {
      info.setError(failure(def, e, argsOf(r)));
      return;
    }
  }
  out.flush();
}

const argStruct = (types: readonly HiveType[]): DuckDBType => (types.length ? STRUCT(Object.fromEntries(types.map((t, i) => [`a${i}`, duckTypeOf(t)]))) : BOOLEAN);
const argStructSql = (types: readonly HiveType[]) => (types.length ? `STRUCT(${types.map((t, i) => `"a${i}" ${duckType(t)}`).join(', ')})[]` : 'BOOLEAN[]');

interface Fn { readonly name: string; readonly params: readonly DuckDBType[]; readonly returns: DuckDBType; readonly special: boolean; readonly main: (info: DuckDBScalarFunctionInfo, input: DuckDBDataChunk, out: DuckDBVector) => void }

/** The scalar functions implementing one user function, by the name each is registered under. */
function implementations(def: UdfDef, impl: unknown, base: string): Fn[] {
  const convertArgs = (values: readonly DuckDBValue[]) => values.map((v, i) => toJs(v, def.args[i]!));
  const skips = (values: readonly DuckDBValue[]) => def.nullOnNullInput && values.some((v) => v === null);
  /** A function of the row's arguments: NULL without a call where nullOnNullInput says so. */
  // one array per row (the user's function may keep it); values of plain types need no conversion
  const converters = def.args.map((t) => (t.kind === 'primitive' && !['decimal', 'date', 'timestamp', 'binary'].includes(t.name) ? undefined : (v: DuckDBValue) => toJs(v, t)));
  const perCall = (result: (args: unknown[]) => DuckDBValue): Fn['main'] => (info, input, out) => {
    const cols = def.args.map((_, i) => input.getColumnVector(i));
    const n = cols.length;
    let args: unknown[] = [];
    perRow(info, input, out, (r) => {
      args = new Array<unknown>(n);
      let nulls = false;
      for (let i = 0; i < n; i++) {
        const v = cols[i]!.getItem(r);
        if (v === null) nulls = true;
        const conv = converters[i];
        args[i] = v === null || !conv ? v : conv(v);
      }
      return nulls && def.nullOnNullInput ? null : result(args);
    }, def, () => args);
  };
  const fn = impl as (...a: unknown[]) => unknown;
  const params = def.args.map(duckTypeOf);
  if (def.kind === 'scalar') {
    const returns = transportType(def.returns);
    return [{ name: base, params, returns: duckTypeOf(returns), special: !def.nullOnNullInput, main: perCall((args) => toDuck(settled(fn(...args)), returns)) }];
  }
  if (def.kind === 'table') {
    const cols = def.returns.kind === 'struct' ? def.returns.fields.map((f) => transportType(f.type)) : [transportType(def.returns)];
    const rowType = STRUCT(Object.fromEntries(cols.map((t, i) => [`c${i}`, duckTypeOf(t)])));
    return [{
      name: base, params, returns: LIST(rowType), special: !def.nullOnNullInput,
      main: perCall((args) => {
        const rows = settled(fn(...args)) as Iterable<unknown> | null | undefined;
        if (rows === null || rows === undefined) return null;
        if (typeof (rows as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function') throw new TypeError(`returned ${typeof rows}, expected an iterable of rows`);
        const items: DuckDBValue[] = [];
        for (const row of rows) {
          const vals = Array.isArray(row) ? row : cols.length === 1 ? [row] : undefined;
          if (!vals || vals.length > cols.length) throw new TypeError(`produced a row ${show([row])}, expected an array of ${cols.length} value(s)`);
          items.push(structValue(Object.fromEntries(cols.map((t, i) => [`c${i}`, toDuck(vals[i], t)]))));
        }
        return listValue(items);
      }),
    }];
  }
  const agg = impl as UserAggregate;
  const fold = (list: DuckDBValue, state: unknown): unknown => {
    let s = state;
    for (const item of (list as { items: readonly DuckDBValue[] } | null)?.items ?? []) {
      const entries = def.args.length ? (item as { entries: Readonly<Record<string, DuckDBValue>> }).entries : {};
      const values = def.args.map((_, i) => entries[`a${i}`] ?? null);
      if (skips(values)) continue;
      const next = settled(agg.add(s, ...convertArgs(values)));
      s = next === undefined ? s : next;
    }
    return s;
  };
  const returns = transportType(def.returns);
  const rowsIn = [LIST(argStruct(def.args))];
  const listed = (input: DuckDBDataChunk) => {
    const v = input.getColumnVector(0);
    return (r: number) => v.getItem(r);
  };
  const none = () => undefined;
  return [
    {
      name: `${base}_whole`, params: rowsIn, returns: duckTypeOf(returns), special: true,
      main: (info, input, out) => { const l = listed(input); perRow(info, input, out, (r) => toDuck(settled(agg.finish(fold(l(r), agg.init()))), returns), def, none); },
    },
    {
      name: `${base}_state`, params: rowsIn, returns: VARCHAR, special: true,
      main: (info, input, out) => { const l = listed(input); perRow(info, input, out, (r) => encode(fold(l(r), agg.init())), def, none); },
    },
    {
      name: `${base}_merge`, params: [LIST(VARCHAR)], returns: duckTypeOf(returns), special: true,
      main: (info, input, out) => {
        const l = listed(input);
        perRow(info, input, out, (r) => {
          let s = agg.init();
          for (const text of (l(r) as { items: readonly DuckDBValue[] } | null)?.items ?? []) {
            if (text === null) continue;
            const next = settled(agg.merge(s, decode(text as string)));
            s = next === undefined ? s : next;
          }
          return toDuck(settled(agg.finish(s)), returns);
        }, def, none);
      },
    },
  ];
}

/** The registered name of a function: one per module hash, export and signature. */
export function registeredName(def: UdfDef): string {
  const key = JSON.stringify([def.hash, def.export, def.kind, def.args, def.returns, def.nullOnNullInput]);
  return `udf_${createHash('sha256').update(key).digest('hex').slice(0, 24)}`;
}

const registered = new Set<string>();

/** Registers `def`'s implementation on the database once per container. */
export function registerUserFunction(registry: DuckDBConnection, def: UdfDef, impl: unknown): void {
  checkExport(def, impl);
  const base = registeredName(def);
  if (registered.has(base)) return;
  for (const f of implementations(def, impl, base)) {
    registry.registerScalarFunction(DuckDBScalarFunction.create({
      name: f.name, parameterTypes: f.params, returnType: f.returns, specialHandling: f.special, mainFunction: f.main,
    }));
  }
  registered.add(base);
}

/** The statements that give one task connection its macros for `def` (temporary: they die with the connection). */
export function userMacros(def: UdfDef): string[] {
  const base = registeredName(def);
  const macro = (step: UserStep, params: readonly string[], body: string) => `CREATE OR REPLACE TEMP MACRO ${userMacro(def.name, step)}(${params.join(', ')}) AS ${body}`;
  const params = def.args.map((_, i) => `_u${i}`);
  const call = `${base}(${params.map((p, i) => `CAST(${p} AS ${duckType(def.args[i]!)})`).join(', ')})`;
  switch (def.kind) {
    case 'scalar': return [macro('call', params, fromTransport(call, def.returns))];
    case 'table': {
      const fields = def.returns.kind === 'struct' ? def.returns.fields.map((f) => f.type) : [def.returns];
      const converted = fields.map((t, i) => fromTransport(`_r.c${i}`, t));
      const same = converted.every((c, i) => c === `_r.c${i}`);
      return [macro('rows', params, same ? call : `list_transform(${call}, _r -> {${converted.map((c, i) => `'c${i}': ${c}`).join(', ')}})`)];
    }
    case 'aggregate': {
      const rows = `CAST(_l AS ${argStructSql(def.args)})`;
      return [
        macro('whole', ['_l'], fromTransport(`${base}_whole(${rows})`, def.returns)),
        macro('state', ['_l'], `${base}_state(${rows})`),
        macro('merge', ['_l'], fromTransport(`${base}_merge(_l)`, def.returns)),
      ];
    }
  }
}
