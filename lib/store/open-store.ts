// One entry point from a root URI to a store, so the rest of the engine never chooses
// between local and S3 itself.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ShoalError } from '../common/errors.js';
import { LocalStore } from './local-store.js';
import type { ObjectStore } from './object-store.js';
import { S3Store } from './s3-store.js';

export type StoreLocation =
  | { readonly kind: 's3'; readonly bucket: string; /** '' or without leading/trailing '/' */ readonly prefix: string }
  | { readonly kind: 'file'; /** absolute */ readonly dir: string };

/** `s3://bucket[/prefix]`, `file:///abs/dir`, or a plain path (relative to the working directory). */
export function parseStoreUri(uri: string): StoreLocation {
  if (uri.trim() === '') throw new ShoalError('config', 'empty store URI: expected s3://bucket/prefix, file:///dir or a directory path');
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(uri)?.[1]?.toLowerCase();
  if (scheme === 's3') {
    const rest = uri.slice('s3://'.length);
    const slash = rest.indexOf('/');
    const bucket = slash < 0 ? rest : rest.slice(0, slash);
    const prefix = slash < 0 ? '' : rest.slice(slash + 1).replace(/^\/+|\/+$/g, '');
    if (bucket === '') throw new ShoalError('config', `store URI ${uri} names no bucket: expected s3://bucket/prefix`);
    return { kind: 's3', bucket, prefix };
  }
  if (scheme === 'file') {
    let dir: string;
    try {
      dir = fileURLToPath(uri);
    } catch (e) {
      throw new ShoalError('config', `store URI ${uri} is not a usable file URL (expected file:///absolute/dir): ${(e as Error).message}`);
    }
    return { kind: 'file', dir: path.resolve(dir) };
  }
  if (scheme !== undefined) throw new ShoalError('config', `store URI ${uri} has unsupported scheme ${scheme}://: expected s3://, file:// or a path`);
  return { kind: 'file', dir: path.resolve(uri) };
}

export function openStore(uri: string): ObjectStore {
  const loc = parseStoreUri(uri);
  return loc.kind === 's3' ? new S3Store({ bucket: loc.bucket, prefix: loc.prefix }) : new LocalStore(loc.dir);
}
