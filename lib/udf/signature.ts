// What a user function is, read off its loaded module (lib/udf/model.ts has the contract):
// its kind from the export's shape (or the declared kind, which the shape must match), its
// argument and result types from the CREATE FUNCTION statement or else the module's `meta`
// export.
import type { HiveType } from '../common/types.js';
import { isShoalError, sqlError } from '../common/errors.js';
import { parseTypeText } from '../sql/parse-type.js';
import type { UdfKind } from './model.js';

export interface Signature {
  readonly kind: UdfKind;
  readonly args: readonly HiveType[];
  readonly returns: HiveType;
  readonly nullOnNullInput: boolean;
}

/** What the statement itself declares. */
export interface Declared {
  readonly args?: readonly HiveType[];
  readonly returns?: HiveType;
  /** RETURNS TABLE (…) */
  readonly table?: boolean;
  readonly nullOnNullInput?: boolean;
}

/** A reason without a position: the planner adds the module's path and the statement's position. */
const bad = (reason: string): never => { throw sqlError(reason); };

const AGGREGATE_METHODS = ['init', 'add', 'merge', 'finish'] as const;
const KINDS: readonly UdfKind[] = ['scalar', 'aggregate', 'table'];

export function signatureOf(mod: Record<string, unknown>, exportName: string, declared: Declared = {}): Signature {
  if (!Object.hasOwn(mod, exportName)) {
    const names = Object.keys(mod).filter((k) => k !== 'meta' && k !== 'default');
    bad(`it has no export '${exportName}'${names.length ? `; its exports: ${names.join(', ')}` : ''}`);
  }
  const value = mod[exportName];
  const meta = metaFor(mod.meta, exportName);
  const declaredKind = declared.table ? 'table' : meta.kind;
  if (declaredKind !== undefined && !KINDS.includes(declaredKind as UdfKind)) bad(`meta.kind is '${String(declaredKind)}'; expected 'scalar', 'aggregate' or 'table'`);
  const kind = kindOf(value, exportName, declaredKind as UdfKind | undefined);
  const args = declared.args ?? (meta.args === undefined ? bad(noSignature(exportName)) : typeList(meta.args));
  const returns = declared.returns ?? (meta.returns === undefined ? bad(noSignature(exportName)) : typeOf(meta.returns, 'meta.returns'));
  if (kind === 'table' && returns.kind !== 'struct') bad(`a table function returns rows: declare its result as RETURNS TABLE (col type, …) or meta.returns 'struct<col:type,…>'`);
  const nullOnNullInput = declared.nullOnNullInput ?? meta.nullOnNullInput ?? false;
  if (typeof nullOnNullInput !== 'boolean') bad(`meta.nullOnNullInput must be true or false`);
  return { kind, args, returns, nullOnNullInput: nullOnNullInput as boolean };
}

interface Meta { readonly kind?: unknown; readonly args?: unknown; readonly returns?: unknown; readonly nullOnNullInput?: unknown }

/** `meta` describes the one function of its module, or holds one entry per export. */
function metaFor(meta: unknown, exportName: string): Meta {
  if (meta === undefined) return {};
  if (typeof meta !== 'object' || meta === null) bad(`its 'meta' export is not an object`);
  const m = meta as Record<string, unknown>;
  const own = Object.hasOwn(m, exportName) ? m[exportName] : undefined;
  if (own !== undefined) {
    if (typeof own !== 'object' || own === null) bad(`meta.${exportName} is not an object`);
    return own as Meta;
  }
  return 'returns' in m || 'args' in m || 'kind' in m ? (m as Meta) : {};
}

const noSignature = (exportName: string) =>
  `it declares no signature for '${exportName}': export meta = { args: ['string', …], returns: 'string' } beside it, or write one in the statement (CREATE FUNCTION f(string, …) RETURNS string AS …)`;

function typeOf(v: unknown, where: string): HiveType {
  if (typeof v !== 'string') return bad(`${where} must be a Hive type name such as 'string', not ${JSON.stringify(v)}`);
  try {
    return parseTypeText(v);
  } catch (e) {
    if (isShoalError(e)) return bad(`${where} '${v}' is not a Hive type: ${e.message}`);
    throw e;
  }
}

function typeList(v: unknown): HiveType[] {
  if (!Array.isArray(v)) return bad(`meta.args must be an array of Hive type names`);
  return v.map((t, i) => typeOf(t, `meta.args[${i}]`));
}

const isGeneratorFunction = (f: unknown) =>
  typeof f === 'function' && ['GeneratorFunction', 'AsyncGeneratorFunction'].includes((f as { constructor: { name: string } }).constructor.name);

/** The kind the export's shape gives; a declared kind must agree with it. */
function kindOf(value: unknown, exportName: string, declared: UdfKind | undefined): UdfKind {
  if (typeof value === 'object' && value !== null) {
    const missing = AGGREGATE_METHODS.filter((m) => typeof (value as Record<string, unknown>)[m] !== 'function');
    if (missing.length) bad(`'${exportName}' is an object but not an aggregate: it lacks the method${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (an aggregate has init, add, merge and finish)`);
    if (declared && declared !== 'aggregate') bad(`'${exportName}' is declared ${declared} but is an aggregate object`);
    return 'aggregate';
  }
  if (typeof value !== 'function') bad(`'${exportName}' is ${value === null ? 'null' : typeof value}, not a function or an aggregate object`);
  if (declared === 'aggregate') bad(`'${exportName}' is declared an aggregate but is a function; an aggregate is an object with init, add, merge and finish`);
  return declared ?? (isGeneratorFunction(value) ? 'table' : 'scalar');
}
