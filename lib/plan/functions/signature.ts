// The shape of a scalar function as the binder sees it, and the small helpers every
// family of functions builds its signatures from.
import { sqlError, type SourcePos } from '../../common/errors.js';
import { T, isNumeric, isPrimitive, isStringy, isVoid, typeToString, type HiveType } from '../../common/types.js';
import { unionType } from '../coercion.js';
import type { BExpr } from '../nodes.js';

export interface ScalarSignature {
  readonly minArgs: number;
  readonly maxArgs: number;
  /** the type each argument is converted to; undefined keeps the argument's own type */
  readonly argTypes?: (args: readonly HiveType[]) => readonly (HiveType | undefined)[];
  /** the result type; `args` are the bound arguments before conversion, for types that depend on a literal */
  readonly returns: (types: readonly HiveType[], args: readonly BExpr[]) => HiveType;
  /** rejects arguments Hive rejects at compile time (a pattern that must be constant, a wrong type) */
  readonly check?: (args: readonly BExpr[], pos: SourcePos, name: string) => void;
}

export const INF = Number.POSITIVE_INFINITY;
export const fixed = (t: HiveType) => () => t;
export const all = (t: HiveType) => (args: readonly HiveType[]) => args.map(() => t);
export const common = (args: readonly HiveType[]) => args.reduce(unionType, T.void);
/** the first argument's type when it is numeric, else DOUBLE (Hive's math UDFs read strings as doubles) */
export const numericOr = (t: HiveType, fallback: HiveType = T.double): HiveType => (isNumeric(t) ? t : fallback);
/** STRING, except that BINARY stays BINARY (length, substr, hex… work on bytes) */
export const stringOrBinary = (t: HiveType): HiveType => (isPrimitive(t, 'binary') ? t : T.string);

export function fn(minArgs: number, maxArgs: number, returns: ScalarSignature['returns'], argTypes?: ScalarSignature['argTypes'], check?: ScalarSignature['check']): ScalarSignature {
  return { minArgs, maxArgs, returns, argTypes, check };
}
/** `n` STRING arguments (converted), a fixed result. */
export const strings = (minArgs: number, maxArgs: number, result: HiveType): ScalarSignature => fn(minArgs, maxArgs, fixed(result), all(T.string));

/** The text of a string literal argument, or undefined when the argument is not a literal. */
export function literalText(e: BExpr | undefined): string | undefined {
  if (!e) return undefined;
  if (e.kind === 'lit' && typeof e.value === 'string') return e.value;
  if (e.kind === 'cast') return literalText(e.expr);
  return undefined;
}

export function requireLiteral(args: readonly BExpr[], i: number, what: string, pos: SourcePos, name: string): string {
  const t = literalText(args[i]);
  if (t === undefined) throw sqlError(`${name}(): the ${what} (argument ${i + 1}) must be a constant string`, pos);
  return t;
}

export function requireType(args: readonly BExpr[], i: number, ok: (t: HiveType) => boolean, want: string, pos: SourcePos, name: string): void {
  const t = args[i]?.type;
  if (t && !isVoid(t) && !ok(t)) throw sqlError(`${name}(): argument ${i + 1} must be ${want}, but it is ${typeToString(t)}`, pos);
}

export const isTextual = (t: HiveType) => isStringy(t) || isPrimitive(t, 'binary');
