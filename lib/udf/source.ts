// Where a user function's module may come from, and reading it from there. A path is a
// local file (relative paths are the script's directory's), a `file://` URL or an `s3://`
// URI (read through the store layer, so SHOAL_AWS_ENDPOINT applies). Only locations under
// one of the deployment's allowed prefixes are read at all: the planner imports what it
// reads, so this is the line between the operator's choice of code and anybody's.
import { readFile, realpath } from 'node:fs/promises';
import { isAbsolute, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ShoalError, isShoalError, sqlError, type SourcePos } from '../common/errors.js';
import { openStore, parseStoreUri } from '../store/open-store.js';
import { moduleHash } from './module.js';

/** The setting (and, for a deployment, the environment variable) listing the allowed prefixes, comma-separated. */
export const ALLOWED_LOCATIONS = 'shoal.udf.allowed-locations';
export const ALLOWED_LOCATIONS_ENV = 'SHOAL_UDF_ALLOWED_LOCATIONS';

export interface ModuleSource {
  /** an absolute local path or an s3:// URI */
  readonly location: string;
  readonly bytes: Uint8Array;
  /** sha256 of the bytes, hex */
  readonly hash: string;
}

const isS3 = (p: string) => /^s3:\/\//i.test(p);

/** A module path as written, made absolute: relative local paths are relative to `baseDir`. */
export function resolveLocation(path: string, baseDir: string): string {
  if (isS3(path)) return `s3://${path.slice(5)}`;
  if (/^file:\/\//i.test(path)) return fileURLToPath(path);
  return isAbsolute(path) ? resolve(path) : resolve(baseDir, path);
}

/**
 * The allowed prefixes: the setting's list when given, else the environment's (an empty
 * list allows nothing: a deployment always sets it); without either, only local files
 * under `baseDir` (the script's directory) are allowed.
 */
export function allowedLocations(setting: string | undefined, baseDir: string): string[] {
  const list = setting ?? process.env[ALLOWED_LOCATIONS_ENV];
  if (list === undefined) return [resolve(baseDir)];
  return list.split(',').map((p) => p.trim()).filter((p) => p !== '').map((p) => resolveLocation(p, process.cwd()));
}

/** Whether `location` is `prefix` or lies under it, at a path boundary (`s3://b/udf` allows `s3://b/udf/x.mjs`, not `s3://b/udf2/x.mjs`). */
function under(location: string, prefix: string): boolean {
  if (isS3(prefix) !== isS3(location)) return false;
  const slash = isS3(prefix) ? '/' : sep;
  return location === prefix || location.startsWith(prefix.endsWith(slash) ? prefix : prefix + slash);
}

/** Reads a module after checking that its location is allowed; errors name the location and the reason. */
export async function readModuleSource(location: string, allowed: readonly string[], pos?: SourcePos): Promise<ModuleSource> {
  if (!/\.(mjs|js)$/i.test(location))
    throw sqlError(`module ${location}: Shoal loads JavaScript ES modules (.mjs or .js)${/\.jar$/i.test(location) ? ', not Java archives' : ''}`, pos);
  // A local path is checked as it really is, so a symbolic link cannot lead out of an allowed directory.
  const real = isS3(location) ? location : await realpath(location).catch(() => undefined);
  if (real === undefined) throw sqlError(`module ${location}: no such file`, pos);
  const realAllowed = await Promise.all(allowed.map((p) => (isS3(p) ? p : realpath(p).catch(() => p))));
  if (!realAllowed.some((p) => under(real, p)))
    throw sqlError(`module ${location} is not in an allowed location; ${allowed.length ? `allowed (${ALLOWED_LOCATIONS}): ${allowed.join(', ')}` : `${ALLOWED_LOCATIONS} allows none`}`, pos);
  let bytes: Uint8Array;
  try {
    bytes = isS3(location) ? await readS3(location) : await readFile(real);
  } catch (e) {
    throw sqlError(`module ${location} cannot be read: ${isShoalError(e) || e instanceof Error ? e.message : String(e)}`, pos);
  }
  return { location, bytes, hash: moduleHash(bytes) };
}

async function readS3(uri: string): Promise<Uint8Array> {
  const loc = parseStoreUri(uri);
  if (loc.kind !== 's3' || loc.prefix === '') throw new ShoalError('config', `${uri} names no object`);
  return openStore(`s3://${loc.bucket}`).get(loc.prefix);
}
