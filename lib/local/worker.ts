// A local stand-in for a Lambda container: a worker thread that runs handlers one at a
// time and keeps its caches (DuckDB, stores, plans) between invocations. Task-token
// callbacks go to the runner's thread (pool.ts); a worker never invokes functions itself
// (the watcher that launches shadows runs in the runner's thread, see runner.ts).
import { parentPort } from 'node:worker_threads';
import { formatError } from '../common/errors.js';
import { HANDLERS, errorName } from '../runtime/handlers.js';
import { useServices } from '../runtime/services.js';
import type { FunctionName } from '../asl/emit.js';

interface Invocation { readonly id: number; readonly fn: FunctionName; readonly event: unknown }
interface CallbackAnswer { readonly callback: number; readonly ok: boolean }

const answers = new Map<number, (ok: boolean) => void>();
let nextCallback = 0;
const callback = (op: 'success' | 'heartbeat', token: string, output?: unknown) => new Promise<boolean>((resolve) => {
  const id = nextCallback++;
  answers.set(id, resolve);
  parentPort!.postMessage({ callback: id, op, token, output });
});

useServices({
  callbacks: { success: (token, output) => callback('success', token, output), heartbeat: (token) => callback('heartbeat', token) },
  invoker: { invokeAsync: async (fn) => { throw new Error(`a local worker does not invoke ${fn}: the runner's thread does`); } },
});

parentPort!.on('message', async (m: Invocation | CallbackAnswer) => {
  if ('callback' in m) {
    answers.get(m.callback)?.(m.ok);
    answers.delete(m.callback);
    return;
  }
  try {
    const result = await HANDLERS[m.fn](m.event as never);
    parentPort!.postMessage({ id: m.id, ok: true, result });
  } catch (e) {
    parentPort!.postMessage({ id: m.id, ok: false, error: { name: errorName(e), message: formatError(e) } });
  }
});
