// The two services a task attempt and a stage's watcher call besides the store: the
// Step Functions task-token callbacks and asynchronous Lambda invocation. AWS gets them
// from the SDK (aws-services.ts); the local runner gives its own (lib/local/task-tokens.ts,
// lib/local/runner.ts), so the code above these interfaces is the same on both.
import type { FunctionName } from '../asl/emit.js';

/** The callbacks of a `.waitForTaskToken` task: the first SendTaskSuccess for a token completes its Task state. */
export interface TaskCallbacks {
  /** resolves whether the call completed the task; a token that is already used or timed out gives false */
  success(token: string, output: unknown): Promise<boolean>;
  /** resets the Task state's HeartbeatSeconds clock; false when the token is no longer live */
  heartbeat(token: string): Promise<boolean>;
}

/** Starts a function without waiting for it (a speculative attempt). */
export interface Invoker {
  invokeAsync(fn: FunctionName, event: unknown): Promise<void>;
}

export interface Services { readonly callbacks: TaskCallbacks; readonly invoker: Invoker }

let current: Services | undefined;

/** Installs the services this process's handlers use (the local runner and its workers do). */
export function useServices(s: Services): void {
  current = s;
}

/** The installed services; AWS's unless a local runner installed its own. */
export async function services(): Promise<Services> {
  if (!current) current = (await import('./aws-services.js')).awsServices();
  return current;
}
