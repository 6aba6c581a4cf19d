// Step Functions' task tokens, locally: what a `.waitForTaskToken` Task state does on AWS.
// aws-local-stepfunctions has no callback pattern, so the runner's handler for such a
// state comes here: it makes a token, starts the invocation without waiting for its
// return, and resolves with the first SendTaskSuccess for the token. Like AWS, it fails
// the state with States.HeartbeatTimeout when no heartbeat came for HeartbeatSeconds
// (counted from when the invocation got a worker: a queued one is not running yet), and
// with the invocation's own error when it fails.
import { randomUUID } from 'node:crypto';
import type { TaskCallbacks } from '../runtime/services.js';

interface Waiting {
  readonly resolve: (output: unknown) => void;
  readonly reject: (e: Error) => void;
  /** last heartbeat (or start), epoch ms; undefined while queued */
  beat?: number;
}

export class TaskTokens implements TaskCallbacks {
  private readonly waiting = new Map<string, Waiting>();

  /**
   * Runs `invoke(token, started)` and waits for the token's success. `started` is for the
   * invoker to call when the work begins running; `heartbeatMs` is the state's HeartbeatSeconds.
   */
  wait(heartbeatMs: number | undefined, invoke: (token: string, started: () => void) => Promise<unknown>): Promise<unknown> {
    const token = randomUUID();
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const done = () => { clearInterval(timer); this.waiting.delete(token); };
      const w: Waiting = { resolve: (o) => { done(); resolve(o); }, reject: (e) => { done(); reject(e); } };
      this.waiting.set(token, w);
      if (heartbeatMs !== undefined) {
        timer = setInterval(() => {
          if (w.beat !== undefined && Date.now() - w.beat > heartbeatMs) w.reject(Object.assign(new Error(`no heartbeat for ${heartbeatMs} ms`), { name: 'States.HeartbeatTimeout' }));
        }, Math.max(20, Math.min(1000, heartbeatMs / 5)));
      }
      invoke(token, () => { w.beat = Date.now(); }).catch((e: unknown) => {
        // the invocation failed without completing the task: its error fails the state
        if (this.waiting.get(token) === w) w.reject(e instanceof Error ? e : new Error(String(e)));
      });
    });
  }

  async success(token: string, output: unknown): Promise<boolean> {
    const w = this.waiting.get(token);
    w?.resolve(output);
    return w !== undefined;
  }

  async heartbeat(token: string): Promise<boolean> {
    const w = this.waiting.get(token);
    if (w) w.beat = Date.now();
    return w !== undefined;
  }
}

/** The tokens of this process: the pool's workers reach them through messages (pool.ts). */
export const localTokens = new TaskTokens();
