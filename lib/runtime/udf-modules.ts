// The task side of user functions: a statement's modules fetched from the warehouse by
// hash, once per container, checked against the planned sha256 before anything of them
// runs, imported from a local file named by that hash, and made callable on the task's
// DuckDB connection.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { isShoalError, taskError } from '../common/errors.js';
import { functionRegistry } from '../exec/duck.js';
import { registerUserFunction, userMacros } from '../exec/user-functions.js';
import type { ObjectStore } from '../store/object-store.js';
import { blobKey, type UdfDef } from '../udf/model.js';
import { importModuleBytes, moduleHash } from '../udf/module.js';

const modules = new Map<string, Promise<Record<string, unknown>>>();

/** Where a container keeps the modules it fetched: one file per hash. */
const moduleDir = () => join(process.env.SHOAL_UDF_DIR ?? tmpdir(), 'shoal-udf');

async function fetchModule(store: ObjectStore, def: UdfDef): Promise<Record<string, unknown>> {
  let bytes: Uint8Array;
  try {
    bytes = await store.get(blobKey(def.hash));
  } catch (e) {
    if (isShoalError(e) && e.retryable) throw e;
    throw taskError(`user function ${def.name}: its module (from ${def.location}) is not in the warehouse at ${blobKey(def.hash)}: ${e instanceof Error ? e.message : String(e)}`, false, e);
  }
  const found = moduleHash(bytes);
  if (found !== def.hash) {
    throw taskError(`user function ${def.name}: the module at ${blobKey(def.hash)} (from ${def.location}) has sha256 ${found}, the plan expects ${def.hash}; it changed after the job was planned and is not run`, false);
  }
  try {
    return await importModuleBytes(bytes, def.hash, moduleDir());
  } catch (e) {
    throw taskError(`user function ${def.name}: its module (from ${def.location}, sha256 ${def.hash}) does not load: ${e instanceof Error ? e.message : String(e)}`, false, e);
  }
}

/** The module with the planned hash, fetched and verified once per container. */
export function userModule(store: ObjectStore, def: UdfDef): Promise<Record<string, unknown>> {
  let m = modules.get(def.hash);
  if (!m) {
    m = fetchModule(store, def);
    modules.set(def.hash, m);
    // a failed fetch is not cached: the next task tries again
    m.catch(() => modules.delete(def.hash));
  }
  return m;
}

/** Makes the statement's user functions callable on `con` under the names rendered plans use. */
export async function prepareUserFunctions(store: ObjectStore, udfs: readonly UdfDef[], con: DuckDBConnection): Promise<void> {
  if (udfs.length === 0) return;
  const registry = await functionRegistry();
  for (const def of udfs) {
    const mod = await userModule(store, def);
    registerUserFunction(registry, def, mod[def.export]);
    for (const sql of userMacros(def)) await con.run(sql);
  }
}
