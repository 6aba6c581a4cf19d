// The one place the local runner's state machine differs from the one deployed to AWS:
// aws-local-stepfunctions has no Distributed Map (it ignores ItemReader and runs every
// Map inline), so each DISTRIBUTED ItemProcessor becomes INLINE and the fields that only
// a Distributed Map has are dropped. Everything else, Retry and Catch included, is the
// same JSON. The emitted Maps take their items from the state (ItemsPath), never from an
// ItemReader, so an inline run iterates exactly the items a Distributed Map would.
// And a Task state without TimeoutSeconds gets the job's own timeout written out: on AWS
// such a task has no timeout of its own, while aws-local-stepfunctions would fail it with
// States.Timeout after 60 s.
// aws-local-stepfunctions has no task tokens either (`$$.Task.Token` is undefined there),
// so a `.waitForTaskToken` state's Payload loses its token field: the runner's handler for
// the state makes the token and adds it (task-tokens.ts), and keeps its HeartbeatSeconds.
import { INVOKE_WITH_TOKEN, TASK_TOKEN_FIELD } from '../asl/emit.js';

/** Fields only a Distributed Map state may carry. */
export const DISTRIBUTED_ONLY_FIELDS = ['ItemReader', 'ItemBatcher', 'ResultWriter', 'ToleratedFailurePercentage', 'ToleratedFailurePercentagePath', 'ToleratedFailureCount', 'ToleratedFailureCountPath', 'Label'] as const;

type State = Record<string, unknown>;

/** The longest a Node timer can wait (2^31 - 1 ms): AWS's own default, 99999999 s, would overflow it. */
export const LONGEST_LOCAL_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

export function localDefinition(asl: Record<string, unknown>): Record<string, unknown> {
  const timeout = Math.min(LONGEST_LOCAL_TIMEOUT_SECONDS, typeof asl.TimeoutSeconds === 'number' ? asl.TimeoutSeconds : Infinity);
  return { ...asl, States: rewriteStates(asl.States as Record<string, State>, timeout) };
}

function rewriteStates(states: Record<string, State>, timeout: number): Record<string, State> {
  return Object.fromEntries(Object.entries(states).map(([name, s]) => [name, rewriteState(s, timeout)]));
}

function rewriteState(s: State, timeout: number): State {
  let out: State = s;
  if (s.Type === 'Task' && s.TimeoutSeconds === undefined && s.TimeoutSecondsPath === undefined) out = { ...out, TimeoutSeconds: timeout };
  if (s.Type === 'Task' && s.Resource === INVOKE_WITH_TOKEN) {
    const params = s.Parameters as { Payload: Record<string, unknown> };
    const { [`${TASK_TOKEN_FIELD}.$`]: _token, ...payload } = params.Payload;
    out = { ...out, Parameters: { ...params, Payload: payload } };
  }
  if (Array.isArray(s.Branches)) {
    out = { ...out, Branches: (s.Branches as State[]).map((b) => ({ ...b, States: rewriteStates(b.States as Record<string, State>, timeout) })) };
  }
  const proc = s.ItemProcessor as (State & { ProcessorConfig?: { Mode?: string } }) | undefined;
  if (proc) {
    const distributed = proc.ProcessorConfig?.Mode === 'DISTRIBUTED';
    out = { ...out, ItemProcessor: { ...proc, States: rewriteStates(proc.States as Record<string, State>, timeout), ...(distributed ? { ProcessorConfig: { Mode: 'INLINE' } } : {}) } };
    if (distributed) for (const f of DISTRIBUTED_ONLY_FIELDS) delete out[f];
  }
  return out;
}
