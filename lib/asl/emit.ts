// The job as an Amazon States Language document. Per dataflow statement: for each wave
// of independent stages, plan-stage (sizes the fan-out from upstream bytes) then a Map
// of run-task; waves with several stages run them in a Parallel state; then commit.
// A statement that writes tables runs the compaction (its plan step, then a Map of
// compaction tasks, for all its table sinks at once) between its last stage and its
// commit. Stages that run in another stage's tasks (a multi-insert's shared scan) get
// no states of their own.
// Function ARNs are `${…FunctionArn}` placeholders that CDK (or the local runner) fills.
import type { JobPlan, StatementPlan } from '../plan/job.js';
import { inputsOf, type PlanNode } from '../plan/nodes.js';
import { durationSetting, numberSetting } from '../planner/settings.js';
import { waves } from '../stages/fragment.js';
import type { Stage } from '../stages/stage.js';

export type FunctionName = 'PlanStage' | 'RunTask' | 'Compact' | 'Commit' | 'Cleanup' | 'Speculate';
export const placeholder = (f: FunctionName) => `\${${f}FunctionArn}`;

type State = Record<string, unknown>;
type States = Record<string, State>;

const TRANSIENT = ['Shoal.Transient', 'Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException', 'States.Timeout'];
export const RETRY = [{ ErrorEquals: TRANSIENT, IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 }];
const CATCH = [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'CleanupAfterFailure' }];

/** Step Functions' integration that invokes a Lambda function and waits for a SendTaskSuccess with the task's token. */
export const INVOKE_WITH_TOKEN = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
/** The field of run-task's event that carries the token (`$$.Task.Token`). */
export const TASK_TOKEN_FIELD = 'taskToken';
/** The error a stage's Map branch ends with, so that its Parallel stops the watcher branch at once. */
export const STAGE_COMPLETE = 'Shoal.StageComplete';
const JOB_PARAMS = { 'queryId.$': '$.queryId', 'warehouse.$': '$.warehouse' };

/** Inline Map concurrency: Step Functions runs at most 40 inline iterations at once. */
export const MAP_CONCURRENCY = 40;
/**
 * Distributed Map concurrency: child executions at once. 1,000 is a new account's Lambda
 * concurrency quota; more would only queue behind throttling (Step Functions allows 10,000).
 */
export const DISTRIBUTED_MAP_CONCURRENCY = 1000;

/**
 * The most tasks plan-stage can give a stage: its table's split groups are capped by
 * max-parallelism, a shuffle reader's partition ranges by the upstream partition count too,
 * and a stage that reads only single or broadcast input runs one task.
 */
export function maxTasks(stage: Stage, stages: readonly Stage[], settings: Readonly<Record<string, string>>): number {
  const maxPar = numberSetting(settings, 'shoal.adaptive.max-parallelism');
  const scans = (n: PlanNode): boolean => n.kind === 'scan' || inputsOf(n).some(scans);
  if (scans(stage.fragment)) return maxPar;
  const hashed = stage.inputs
    .map((id) => stages.find((s) => s.id === id)?.output)
    .filter((o): o is Extract<Stage['output'], { kind: 'hash' }> => o?.kind === 'hash');
  return hashed.length === 0 ? 1 : Math.min(maxPar, Math.max(...hashed.map((o) => o.partitions)));
}

/**
 * How a stage's Map runs: inline up to 40 tasks; wider stages as a Distributed Map whose
 * iterations are child executions (STANDARD: a run-task may run 15 minutes, past EXPRESS's 5).
 * The item list stays small either way: plan-stage returns task numbers, never splits.
 */
function mapMode(wide: boolean): State {
  return wide
    ? { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, MaxConcurrency: DISTRIBUTED_MAP_CONCURRENCY }
    : { ProcessorConfig: { Mode: 'INLINE' }, MaxConcurrency: MAP_CONCURRENCY };
}

function task(fn: FunctionName, params: Record<string, unknown>, extra: State): State {
  return { Type: 'Task', Resource: placeholder(fn), Parameters: { ...JOB_PARAMS, ...params }, Retry: RETRY, ...extra };
}

/** A plan Task whose result lists the work, then a Map running `fn` over it; returns [first, states]. */
function fanOut(names: { plan: string; map: string; run: string }, planTask: State, fn: FunctionName, itemParams: Record<string, unknown>, wide: boolean, next: string | undefined): [string, States] {
  const end = next ? { Next: next } : { End: true };
  const mode = mapMode(wide);
  return [names.plan, {
    [names.plan]: { ...planTask, ResultPath: '$.plan', Next: names.map },
    [names.map]: {
      Type: 'Map',
      ItemsPath: '$.plan.items',
      MaxConcurrency: mode.MaxConcurrency,
      ItemSelector: { ...JOB_PARAMS, ...itemParams, 'task.$': '$$.Map.Item.Value.t' },
      ItemProcessor: {
        ProcessorConfig: mode.ProcessorConfig,
        StartAt: names.run,
        States: { [names.run]: { Type: 'Task', Resource: placeholder(fn), Retry: RETRY, ResultPath: null, End: true } },
      },
      ResultPath: null,
      ...end,
    },
  }];
}

/**
 * The states of one stage: plan → a Parallel of the Map of run-task and the stage's watcher.
 * Each Map iteration is a `.waitForTaskToken` Lambda invocation: the first attempt of the
 * task to publish (the Map's own, its retry, or a shadow the watcher launched with the same
 * token) completes it with SendTaskSuccess, and a task that sends no heartbeat for
 * shoal.task.heartbeat-timeout fails with States.HeartbeatTimeout and is retried. The watcher
 * (Wait → Speculate → Choice) launches shadows and aborts a job that stands still. The Map's
 * branch ends in a Fail the Parallel catches: a failing branch stops the other one, so the
 * stage ends when its tasks do, not at the watcher's next look. Returns [first, states].
 */
function stageStates(k: number, s: number, wide: boolean, settings: Readonly<Record<string, string>>, next: string | undefined): [string, States] {
  const n = `S${k}Stage${s}`;
  const names = { plan: `${n}Plan`, map: `${n}Run`, run: `${n}Task` };
  const [first, states] = fanOut(names, task('PlanStage', { statement: k, stage: s }, {}), 'RunTask', { statement: k, stage: s }, wide, `${n}Complete`);
  const map = states[names.map]!;
  const proc = map.ItemProcessor as { States: States };
  const fields = ['queryId', 'warehouse', 'statement', 'stage', 'task'];
  proc.States[names.run] = {
    Type: 'Task',
    Resource: INVOKE_WITH_TOKEN,
    Parameters: { FunctionName: placeholder('RunTask'), Payload: { ...Object.fromEntries(fields.map((f) => [`${f}.$`, `$.${f}`])), [`${TASK_TOKEN_FIELD}.$`]: '$$.Task.Token' } },
    HeartbeatSeconds: Math.max(1, Math.ceil(durationSetting(settings, 'shoal.task.heartbeat-timeout') / 1000)),
    Retry: [{ ...RETRY[0], ErrorEquals: [...TRANSIENT, 'States.HeartbeatTimeout'] }],
    ResultPath: null,
    End: true,
  };
  delete map.Next;
  map.Next = `${n}Complete`;
  const watch = `${n}Speculate`;
  const parallel: State = {
    Type: 'Parallel',
    Branches: [
      { StartAt: names.map, States: { [names.map]: map, [`${n}Complete`]: { Type: 'Fail', Error: STAGE_COMPLETE, Cause: 'every task of the stage has finished' } } },
      {
        StartAt: `${n}Wait`,
        States: {
          [`${n}Wait`]: { Type: 'Wait', Seconds: Math.max(1, Math.ceil(watchInterval(settings) / 1000)), Next: watch },
          [watch]: task('Speculate', { statement: k, stage: s }, { ResultPath: '$.watch', Next: `${n}Watched` }),
          [`${n}Watched`]: { Type: 'Choice', Choices: [{ Variable: '$.watch.done', BooleanEquals: true, Next: `${n}Finished` }], Default: `${n}Wait` },
          [`${n}Finished`]: { Type: 'Succeed' },
        },
      },
    ],
    ResultPath: null,
    Catch: [{ ErrorEquals: [STAGE_COMPLETE], ResultPath: null, Next: next ?? `${n}Done` }],
    ...(next ? { Next: next } : { End: true }),
  };
  const out: States = { [first]: states[first]!, [n]: parallel };
  out[first]!.Next = n;
  if (!next) out[`${n}Done`] = { Type: 'Succeed' };
  return [first, out];
}

const watchInterval = (settings: Readonly<Record<string, string>>) => durationSetting(settings, 'shoal.speculation.interval');

/** The watchers' Wait states with their interval in milliseconds: the local runner waits exactly that (ASL's Wait takes whole seconds). */
export function watchWaits(job: JobPlan): Record<string, number> {
  const out: Record<string, number> = {};
  for (const st of job.statements) if (st.kind === 'dataflow') for (const s of st.stages) out[`S${st.index}Stage${s.id}Wait`] = watchInterval(st.settings);
  return out;
}

/** Compaction of a table sink's files: plan (per written partition) → map of compaction tasks, as many as max-parallelism. */
function compactStates(k: number, wide: boolean, next: string): [string, States] {
  const names = { plan: `S${k}CompactPlan`, map: `S${k}CompactRun`, run: `S${k}CompactTask` };
  const [first, states] = fanOut(names, task('Compact', { statement: k, phase: 'plan' }, {}), 'Compact', { statement: k, phase: 'run' }, wide, next);
  for (const s of Object.values(states)) s.Catch = CATCH;
  return [first, states];
}

function statementStates(st: StatementPlan, next: string): [string | undefined, States] {
  const k = st.index;
  const commit = `S${k}Commit`;
  const states: States = {};
  if (st.kind === 'rows') return [undefined, states];
  states[commit] = task('Commit', { statement: k }, { ResultPath: null, Catch: CATCH, Next: next });
  if (st.kind === 'ddl') return [commit, states];
  const ws = waves(st.stages);
  const wide = (s: number) => maxTasks(st.stages.find((x) => x.id === s)!, st.stages, st.settings) > MAP_CONCURRENCY;
  let after = commit;
  if (st.sinks.some((k) => k.kind === 'table')) {
    const [first, ss] = compactStates(k, numberSetting(st.settings, 'shoal.adaptive.max-parallelism') > MAP_CONCURRENCY, commit);
    Object.assign(states, ss);
    after = first;
  }
  for (let w = ws.length - 1; w >= 0; w--) {
    const wave = ws[w]!;
    if (wave.length === 1) {
      const [first, ss] = stageStates(k, wave[0]!, wide(wave[0]!), st.settings, after);
      Object.assign(states, ss);
      states[first]!.Catch = CATCH;
      (states[`S${k}Stage${wave[0]}`]!.Catch as unknown[]).push(...CATCH);
      after = first;
    } else {
      const name = `S${k}Wave${w}`;
      states[name] = {
        Type: 'Parallel',
        Branches: wave.map((s) => {
          const [first, ss] = stageStates(k, s, wide(s), st.settings, undefined);
          return { StartAt: first, States: ss };
        }),
        ResultPath: null,
        Catch: CATCH,
        Next: after,
      };
      after = name;
    }
  }
  return [after, states];
}

export function emitAsl(job: JobPlan): Record<string, unknown> {
  const states: States = {};
  let next = 'Cleanup';
  for (let i = job.statements.length - 1; i >= 0; i--) {
    const [first, ss] = statementStates(job.statements[i]!, next);
    Object.assign(states, ss);
    if (first) next = first;
  }
  states.Cleanup = task('Cleanup', {}, { ResultPath: null, Next: 'Done' });
  states.Done = { Type: 'Succeed' };
  // A job of plan-time rows only has no state that can fail, and ASL forbids unreachable states.
  if (JSON.stringify(states).includes('"CleanupAfterFailure"')) {
    states.CleanupAfterFailure = task('Cleanup', {}, { ResultPath: null, Next: 'Failed' });
    states.Failed = { Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' };
  }
  return {
    Comment: `Shoal job ${job.name}: ${job.statements.length} statement(s)`,
    StartAt: next,
    TimeoutSeconds: 6 * 3600,
    States: states,
  };
}

/** Fills the placeholders, e.g. with real ARNs or with local stand-ins. */
export function substitute(asl: unknown, arns: Record<FunctionName, string>): Record<string, unknown> {
  let text = JSON.stringify(asl);
  for (const [f, arn] of Object.entries(arns)) text = text.split(placeholder(f as FunctionName)).join(arn);
  return JSON.parse(text) as Record<string, unknown>;
}
