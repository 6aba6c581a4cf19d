// User-defined functions (issue 9) as the plan carries them. Two sides meet here: the
// planner (which loads a module, checks its signature and type-checks calls) and the
// tasks (which fetch a module by hash, verify it and register it with DuckDB). Only this
// data crosses between them, inside the plan; tasks never see a path or a URL.
//
// The module contract (an ES module, `.mjs` or `.js`):
// * scalar: the export is a function `(...args) => value`;
// * aggregate: the export is an object `{ init(): S, add(s: S, ...args): S, merge(a: S, b: S): S,
//   finish(s: S): R }`; states are JSON-serialisable because partial states cross the shuffle;
// * table: the export is a function returning an iterable of rows, each row an array with one
//   value per output column (a generator function is the natural form).
// The signature: `export const meta = { kind?, args: ['string', 'int'], returns: 'string',
// nullOnNullInput? }` for a module with one function, or `export const meta = { <exportName>:
// {...} }` for several; a signature in the CREATE FUNCTION statement takes precedence. A table
// function's `returns` is a struct whose fields name and type its output columns.
// Values cross as: string/varchar/char → string; tinyint/smallint/int/float/double → number;
// bigint → bigint; decimal → number; boolean → boolean; date → 'YYYY-MM-DD'; timestamp →
// 'YYYY-MM-DD HH:MM:SS[.fffffffff]'; binary → Uint8Array; array → Array; map → plain object;
// struct → plain object keyed by field name; NULL → null.
import type { HiveType } from '../common/types.js';

export type UdfKind = 'scalar' | 'aggregate' | 'table';

export interface UdfDef {
  /** the name calls use, lower case; `db.name` for a permanent function */
  readonly name: string;
  readonly kind: UdfKind;
  /** the module's export that implements it */
  readonly export: string;
  /** sha256 of the module's bytes, hex: the module's only identity in the plan */
  readonly hash: string;
  /** where the module came from (a local path or an s3:// URI), for messages only */
  readonly location: string;
  readonly args: readonly HiveType[];
  readonly returns: HiveType;
  /** Hive's contract: a NULL argument gives NULL without calling the function */
  readonly nullOnNullInput: boolean;
  readonly temporary: boolean;
}

/** Where a module's bytes live in the warehouse's store: content-addressed. */
export const blobKey = (hash: string) => `blobs/${hash}.mjs`;
