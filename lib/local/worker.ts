// A local stand-in for a Lambda container: a worker thread that runs handlers one at a
// time and keeps its caches (DuckDB, stores, plans) between invocations.
import { parentPort } from 'node:worker_threads';
import { formatError } from '../common/errors.js';
import { HANDLERS, errorName } from '../runtime/handlers.js';
import type { FunctionName } from '../asl/emit.js';

interface Invocation { readonly id: number; readonly fn: FunctionName; readonly event: unknown }

parentPort!.on('message', async (m: Invocation) => {
  try {
    const result = await HANDLERS[m.fn](m.event as never);
    parentPort!.postMessage({ id: m.id, ok: true, result });
  } catch (e) {
    parentPort!.postMessage({ id: m.id, ok: false, error: { name: errorName(e), message: formatError(e) } });
  }
});
