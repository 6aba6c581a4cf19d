// The one place the local runner's state machine differs from the one deployed to AWS:
// aws-local-stepfunctions has no Distributed Map (it ignores ItemReader and runs every
// Map inline), so each DISTRIBUTED ItemProcessor becomes INLINE and the fields that only
// a Distributed Map has are dropped. Everything else, Retry and Catch included, is the
// same JSON. The emitted Maps take their items from the state (ItemsPath), never from an
// ItemReader, so an inline run iterates exactly the items a Distributed Map would.

/** Fields only a Distributed Map state may carry. */
export const DISTRIBUTED_ONLY_FIELDS = ['ItemReader', 'ItemBatcher', 'ResultWriter', 'ToleratedFailurePercentage', 'ToleratedFailurePercentagePath', 'ToleratedFailureCount', 'ToleratedFailureCountPath', 'Label'] as const;

type State = Record<string, unknown>;

export function localDefinition(asl: Record<string, unknown>): Record<string, unknown> {
  return { ...asl, States: rewriteStates(asl.States as Record<string, State>) };
}

function rewriteStates(states: Record<string, State>): Record<string, State> {
  return Object.fromEntries(Object.entries(states).map(([name, s]) => [name, rewriteState(s)]));
}

function rewriteState(s: State): State {
  let out: State = s;
  if (Array.isArray(s.Branches)) {
    out = { ...out, Branches: (s.Branches as State[]).map((b) => ({ ...b, States: rewriteStates(b.States as Record<string, State>) })) };
  }
  const proc = s.ItemProcessor as (State & { ProcessorConfig?: { Mode?: string } }) | undefined;
  if (proc) {
    const distributed = proc.ProcessorConfig?.Mode === 'DISTRIBUTED';
    out = { ...out, ItemProcessor: { ...proc, States: rewriteStates(proc.States as Record<string, State>), ...(distributed ? { ProcessorConfig: { Mode: 'INLINE' } } : {}) } };
    if (distributed) for (const f of DISTRIBUTED_ONLY_FIELDS) delete out[f];
  }
  return out;
}
