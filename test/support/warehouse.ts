// What a warehouse directory holds, for "byte for byte as before" checks.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** Every file below `dir` (relative path → SHA-1 of its bytes), except under the given top-level prefixes. */
export async function snapshot(dir: string, exclude: readonly string[] = ['_jobs/']): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    if (!e.isFile()) continue;
    const full = join(e.parentPath, e.name);
    const rel = relative(dir, full).split('\\').join('/');
    if (exclude.some((p) => rel.startsWith(p))) continue;
    out.set(rel, createHash('sha1').update(await readFile(full)).digest('hex'));
  }
  return new Map([...out].sort(([a], [b]) => a.localeCompare(b)));
}

/** Files below `dir/prefix` (relative to `dir`). */
export async function filesUnder(dir: string, prefix: string): Promise<string[]> {
  return [...(await snapshot(dir, []).then((m) => m.keys()))].filter((k) => k.startsWith(prefix));
}
