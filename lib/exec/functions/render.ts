// What every family of function renderers shares: the renderer type and how Hive reads
// strings as dates and timestamps.
import { T, isPrimitive, isStringy } from '../../common/types.js';
import type { BExpr } from '../../plan/nodes.js';
import { renderCast } from '../render-cast.js';
export { wrapInt } from '../render-cast.js';
export { literalText } from '../../plan/functions/signature.js';

/** `a` are the rendered arguments, `args` the bound ones (their types and literal values). */
export type Render = (a: readonly string[], args: readonly BExpr[], type: BExpr['type']) => string;

/** Hive's session time zone: run-task sets DuckDB's TimeZone from `hive.local.time.zone`. */
export const SESSION_TZ = `current_setting('TimeZone')`;

/** A date, timestamp or string argument as a TIMESTAMP (a string that does not parse is NULL). */
export function asTimestamp(e: BExpr, r: string): string {
  if (isStringy(e.type)) return `TRY_CAST(${r} AS TIMESTAMP)`;
  if (isPrimitive(e.type, 'date')) return `CAST(${r} AS TIMESTAMP)`;
  if (isPrimitive(e.type, 'void')) return `CAST(NULL AS TIMESTAMP)`;
  return r;
}

/** A date, timestamp or string argument as a DATE. */
export function asDate(e: BExpr, r: string): string {
  if (isStringy(e.type)) return renderCast(r, e.type, T.date);
  if (isPrimitive(e.type, 'timestamp')) return `CAST(${r} AS DATE)`;
  if (isPrimitive(e.type, 'void')) return `CAST(NULL AS DATE)`;
  return r;
}
