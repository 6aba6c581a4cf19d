// A fixed pool of worker threads, each a "container" running one invocation at a time.
// Workers reach the task-token callbacks (task-tokens.ts), which live in this thread with
// the state machine, through messages.
import { Worker } from 'node:worker_threads';
import type { FunctionName } from '../asl/emit.js';
import { localTokens } from './task-tokens.js';

interface Pending { resolve: (v: unknown) => void; reject: (e: Error) => void; onStart?: () => void }
interface Slot { worker: Worker; busy: boolean }

/**
 * DuckDB threads for each local worker: SHOAL_DUCKDB_THREADS, else one. Every core per
 * worker would let a stage with a single task use the whole machine, but on a loaded
 * 2-core machine it was slower (TPC-H SF 1 q1/3/9/18/21: geometric mean 9.8-10.5 with
 * 2 threads against 8.5-8.9 with 1, see docs/NOTES.md), so it stays a choice.
 */
export function localDuckDBThreads(): number {
  const n = Number(process.env['SHOAL_DUCKDB_THREADS']);
  return Number.isInteger(n) && n > 0 ? n : 1;
}

/** A worker's message: an invocation's end, or a task-token callback to answer. */
type Message =
  | { id: number; ok: boolean; result?: unknown; error?: { name: string; message: string } }
  | { callback: number; op: 'success' | 'heartbeat'; token: string; output?: unknown };

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: { fn: FunctionName; event: unknown; pending: Pending }[] = [];
  private readonly pending = new Map<number, Pending & { slot: Slot }>();
  private nextId = 0;

  constructor(size: number, threadsPerWorker = localDuckDBThreads()) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: { threads: threadsPerWorker } });
      const slot: Slot = { worker, busy: false };
      worker.on('message', (m: Message) => {
        if ('callback' in m) {
          const answer = m.op === 'success' ? localTokens.success(m.token, m.output) : localTokens.heartbeat(m.token);
          void answer.then((ok) => worker.postMessage({ callback: m.callback, ok }));
          return;
        }
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        slot.busy = false;
        if (m.ok) p.resolve(m.result);
        else {
          const err = new Error(m.error!.message);
          err.name = m.error!.name;
          p.reject(err);
        }
        this.drain();
      });
      worker.on('error', (e) => {
        for (const [id, p] of this.pending) if (p.slot === slot) { this.pending.delete(id); p.reject(e); }
      });
      this.slots.push(slot);
    }
  }

  /** Runs `fn` on the next free worker; `onStart` is called when it gets one. */
  invoke(fn: FunctionName, event: unknown, onStart?: () => void): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.queue.push({ fn, event, pending: { resolve, reject, onStart } });
      this.drain();
    });
  }

  private drain(): void {
    for (const slot of this.slots) {
      if (slot.busy) continue;
      const job = this.queue.shift();
      if (!job) return;
      const id = this.nextId++;
      slot.busy = true;
      this.pending.set(id, { ...job.pending, slot });
      job.pending.onStart?.();
      slot.worker.postMessage({ id, fn: job.fn, event: job.event });
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
