// The bundled Lambda functions, each in its own Node 22 process started on first use (a
// cold start), with the environment a deployment gives them and NODE_PATH naming the
// DuckDB layer's node_modules, as /opt/nodejs/node_modules is on Lambda.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Bundles } from '../../cdk/bundle.js';

const HOST = fileURLToPath(new URL('./lambda-host.mjs', import.meta.url));

export interface LambdaError extends Error { readonly name: string }

export interface LambdaFunctions {
  invoke(fn: string, event: unknown): Promise<unknown>;
  /** ms from process start to handler loaded, per function started */
  readonly coldStarts: Readonly<Record<string, number>>;
  close(): Promise<void>;
}

export function startFunctions(bundles: Bundles, env: Readonly<Record<string, string>>): LambdaFunctions {
  const procs = new Map<string, Promise<ChildProcess>>();
  const coldStarts: Record<string, number> = {};
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let next = 0;
  const start = (fn: string): Promise<ChildProcess> => {
    const bundle = bundles.functions[fn];
    if (!bundle) throw new Error(`no bundled function ${fn}`);
    const base = { ...process.env };
    delete base['NODE_OPTIONS']; // no tsx: the bundle must run on plain Node
    delete base['NODE_TEST_CONTEXT'];
    const t0 = Date.now();
    const child = fork(HOST, [bundle.dir], {
      execPath: process.execPath,
      execArgv: [],
      env: { ...base, ...env, NODE_PATH: path.join(bundles.duckDbLayer, 'nodejs', 'node_modules'), AWS_LAMBDA_FUNCTION_NAME: fn },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Promise((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`function ${fn} exited with ${code} before it was ready`)));
      child.on('message', (m: { ready?: boolean; id?: number; ok?: boolean; result?: unknown; errorType?: string; errorMessage?: string }) => {
        if (m.ready) { coldStarts[fn] = Date.now() - t0; resolve(child); return; }
        const p = pending.get(m.id!);
        if (!p) return;
        pending.delete(m.id!);
        if (m.ok) p.resolve(m.result);
        else {
          const err = new Error(m.errorMessage);
          err.name = m.errorType!;
          p.reject(err);
        }
      });
    });
  };
  return {
    coldStarts,
    async invoke(fn, event) {
      let p = procs.get(fn);
      if (!p) procs.set(fn, (p = start(fn)));
      const child = await p;
      const id = next++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child.send({ id, event: JSON.parse(JSON.stringify(event)) });
      });
    },
    async close() {
      await Promise.all([...procs.values()].map(async (p) => {
        const child = await p.catch(() => undefined);
        if (!child || child.exitCode !== null) return;
        await new Promise<void>((resolve) => { child.once('exit', () => resolve()); child.kill('SIGTERM'); });
      }));
    },
  };
}
