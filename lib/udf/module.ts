// A user function's module as bytes. Its identity is the sha256 of exactly those bytes,
// and what is imported is those bytes (from a file named by their hash), never the path
// again: a module changed after it was hashed cannot slip in between the check and the
// import. A module therefore has to be self-contained (bundled): its own relative imports
// do not travel with it.
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const moduleHash = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** The module's namespace object; throws what the import throws (a syntax error, an exception at its top level). */
export async function importModuleBytes(bytes: Uint8Array, hash: string, dir = join(tmpdir(), 'shoal-udf')): Promise<Record<string, unknown>> {
  if (moduleHash(bytes) !== hash) throw new Error(`the module's bytes do not have the sha256 ${hash}`);
  const file = join(dir, `${hash}.mjs`);
  const existing = await readFile(file).catch(() => undefined);
  if (!existing || moduleHash(existing) !== hash) {
    await mkdir(dir, { recursive: true });
    // Written aside and renamed, so a concurrent import never reads a half-written file.
    const part = `${file}.${randomUUID()}.part`;
    await writeFile(part, bytes);
    await rename(part, file);
  }
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}
