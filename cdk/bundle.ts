// Bundles the Lambda functions locally with esbuild (no Docker): one ESM file per function
// under dist/functions/<name>/index.mjs, and the DuckDB native binding as a Lambda layer
// (dist/layers/duckdb/nodejs/node_modules), shared by the functions that run DuckDB.
//
// Architecture: x86_64. The binding for linux-x64 (glibc, as on the nodejs22.x runtime's
// Amazon Linux 2023) is the one npm installs on a Linux x64 build machine and in CI, so a
// deploy needs no network at bundle time. arm64 (Graviton, about 20% cheaper per GB-second)
// would need @duckdb/node-bindings-linux-arm64 fetched from the registry for every bundle;
// `SHOAL_ARCH=arm64` is not offered until that package is part of the lockfile.
//
// The binding stays outside the bundle (esbuild cannot inline a .node file into ESM); the
// bundle loads it with `require`, which on Lambda finds /opt/nodejs/node_modules through
// NODE_PATH, as it does locally when NODE_PATH names the layer's directory.
import { buildSync, type Metafile } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ARCHITECTURE = 'x86_64';
/** Packages the layer holds: the binding's loader, its libc probe, and the native library. */
const LAYER_PACKAGES = ['@duckdb/node-bindings', '@duckdb/node-bindings-linux-x64', 'detect-libc'];

export interface FunctionBundle {
  readonly name: string;
  readonly dir: string;
  /** bytes of index.mjs */
  readonly bytes: number;
  readonly usesDuckDb: boolean;
}

export interface Bundles {
  readonly functions: Readonly<Record<string, FunctionBundle>>;
  /** the layer's root: holds nodejs/node_modules */
  readonly duckDbLayer: string;
}

export function functionNames(root = ROOT): string[] {
  return readdirSync(path.join(root, 'functions')).filter((n) => existsSync(path.join(root, 'functions', n, 'index.ts'))).sort();
}

export function bundleFunctions(outDir = path.join(ROOT, 'dist')): Bundles {
  const functions: Record<string, FunctionBundle> = {};
  for (const name of functionNames()) {
    const dir = path.join(outDir, 'functions', name);
    rmSync(dir, { recursive: true, force: true });
    const outfile = path.join(dir, 'index.mjs');
    const r = buildSync({
      entryPoints: [path.join(ROOT, 'functions', name, 'index.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node22',
      format: 'esm',
      minify: true,
      sourcemap: false,
      legalComments: 'none',
      metafile: true,
      external: ['@duckdb/node-bindings'],
      // CommonJS dependencies call require(); ESM has none unless we make one.
      banner: { js: "import { createRequire as __shoalRequire } from 'node:module'; const require = __shoalRequire(import.meta.url);" },
      logLevel: 'error',
    });
    functions[name] = { name, dir, bytes: statSync(outfile).size, usesDuckDb: importsDuckDb(r.metafile!) };
  }
  return { functions, duckDbLayer: buildDuckDbLayer(path.join(outDir, 'layers', 'duckdb')) };
}

function importsDuckDb(meta: Metafile): boolean {
  return Object.keys(meta.inputs).some((k) => k.includes('@duckdb/node-api'));
}

function buildDuckDbLayer(dir: string): string {
  const modules = path.join(dir, 'nodejs', 'node_modules');
  const require = createRequire(path.join(ROOT, 'package.json'));
  for (const pkg of LAYER_PACKAGES) {
    const from = path.dirname(require.resolve(`${pkg}/package.json`));
    const to = path.join(modules, pkg);
    if (existsSync(to) && statSync(path.join(to, 'package.json')).mtimeMs >= statSync(path.join(from, 'package.json')).mtimeMs) continue;
    mkdirSync(path.dirname(to), { recursive: true });
    cpSync(from, to, { recursive: true, dereference: true });
  }
  return dir;
}
