// A local Step Functions endpoint for the integration tests: the calls Shoal makes
// (CreateStateMachine, StartExecution, DescribeExecution, StopExecution, and run-task's
// SendTaskSuccess and SendTaskHeartbeat) over the AWS JSON 1.0 protocol the SDK speaks,
// executing definitions with aws-local-stepfunctions after the runner's documented rewrite
// (lib/local/local-definition.ts). Lambda tasks go to the bundled functions, `.waitForTaskToken`
// ones through the runner's task tokens (lib/local/task-tokens.ts); every execution that
// ends is reported in the shape of the EventBridge "Step Functions Execution Status Change"
// event. The same server answers Lambda's asynchronous Invoke (the watcher's shadow attempts).
import '../../lib/local/polyfill.js';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { StateMachine } from 'aws-local-stepfunctions';
import { INVOKE_WITH_TOKEN, TASK_TOKEN_FIELD } from '../../lib/asl/emit.js';
import { localDefinition } from '../../lib/local/local-definition.js';
import { TaskTokens } from '../../lib/local/task-tokens.js';
import type { ExecutionStatusChange } from '../../lib/runtime/execution-events.js';

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';

interface Machine { readonly arn: string; readonly name: string; readonly definition: string }
interface Execution {
  readonly arn: string;
  readonly machine: Machine;
  readonly name: string;
  readonly input: string;
  readonly startDate: Date;
  status: string;
  stopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
  abort: () => void;
  readonly done: Promise<void>;
}

export interface LocalStepFunctions {
  readonly endpoint: string;
  /** what the task states invoked, in order: [function name, event] */
  readonly invocations: [string, unknown][];
  createMachine(name: string, definition: string): Machine;
  start(machineArn: string, input: string, name?: string): Execution;
  /** the execution once it has ended */
  wait(executionArn: string): Promise<Execution>;
  close(): Promise<void>;
}

/** `arn:…:function:NAME` → NAME; `invoke` runs the bundled function of that name. */
export async function startLocalStepFunctions(
  invoke: (functionArn: string, event: unknown) => Promise<unknown>,
  onEnd: (e: ExecutionStatusChange) => void | Promise<void> = () => undefined,
): Promise<LocalStepFunctions> {
  const machines = new Map<string, Machine>();
  const executions = new Map<string, Execution>();
  const invocations: [string, unknown][] = [];
  const tokens = new TaskTokens();

  const createMachine = (name: string, definition: string): Machine => {
    const arn = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${name}`;
    const existing = machines.get(arn);
    if (existing && existing.definition !== definition) throw apiError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
    const m = existing ?? { arn, name, definition };
    machines.set(arn, m);
    return m;
  };

  const start = (machineArn: string, input: string, name: string = randomUUID()): Execution => {
    const machine = machines.get(machineArn);
    if (!machine) throw apiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${machineArn}'`);
    const arn = `arn:aws:states:${REGION}:${ACCOUNT}:execution:${machine.name}:${name}`;
    if (executions.has(arn)) throw apiError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    const asl = localDefinition(JSON.parse(machine.definition) as Record<string, unknown>);
    const handlers: Record<string, (input: unknown) => Promise<never>> = {};
    const retries: Record<string, number> = {};
    for (const [state, resource, heartbeatMs] of taskStates(asl)) {
      handlers[state] = async (input: unknown) => {
        if (resource !== INVOKE_WITH_TOKEN) {
          invocations.push([resource.split(':').pop()!, input]);
          return (await invoke(resource, input)) as never;
        }
        const { FunctionName: fn, Payload } = input as { FunctionName: string; Payload: Record<string, unknown> };
        return (await tokens.wait(heartbeatMs, (token, started) => {
          const event = { ...Payload, [TASK_TOKEN_FIELD]: token };
          invocations.push([fn.split(':').pop()!, event]);
          started();
          return invoke(fn, event);
        })) as never;
      };
      retries[state] = 50;
    }
    const startDate = new Date();
    const run = new StateMachine(asl as never, { validationOptions: { noValidate: true } }).run(JSON.parse(input), {
      overrides: { taskResourceLocalHandlers: handlers, retryIntervalOverrides: retries },
      context: { Execution: { Id: arn, Name: name, StartTime: startDate.toISOString(), Input: JSON.parse(input) } },
    });
    const exec: Execution = {
      arn, machine, name, input, startDate, status: 'RUNNING', abort: run.abort,
      done: run.result.then(
        (out) => { exec.status = 'SUCCEEDED'; exec.output = JSON.stringify(out); },
        (e: Error & { name: string; cause?: { name?: string; message?: string; error?: string; cause?: string } }) => {
          exec.status = e.name === 'ExecutionAbortedError' ? 'ABORTED' : e.name === 'ExecutionTimeoutError' ? 'TIMED_OUT' : 'FAILED';
          exec.error = e.cause?.error ?? e.cause?.name ?? e.name;
          exec.cause = e.cause?.cause ?? e.cause?.message ?? e.message;
        },
      ).then(async () => {
        exec.stopDate = new Date();
        await onEnd(statusEvent(exec));
      }),
    };
    executions.set(arn, exec);
    return exec;
  };

  const calls: Record<string, (b: Record<string, string>) => unknown | Promise<unknown>> = {
    CreateStateMachine: (b) => ({ stateMachineArn: createMachine(b['name']!, b['definition']!).arn, creationDate: Date.now() / 1000 }),
    StartExecution: (b) => {
      const e = start(b['stateMachineArn']!, b['input'] ?? '{}', b['name']);
      return { executionArn: e.arn, startDate: e.startDate.getTime() / 1000 };
    },
    DescribeExecution: (b) => {
      const e = executions.get(b['executionArn']!);
      if (!e) throw apiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${b['executionArn']}'`);
      return {
        executionArn: e.arn, stateMachineArn: e.machine.arn, name: e.name, status: e.status, input: e.input, output: e.output,
        error: e.error, cause: e.cause, startDate: e.startDate.getTime() / 1000, stopDate: e.stopDate ? e.stopDate.getTime() / 1000 : undefined,
      };
    },
    SendTaskSuccess: async (b) => {
      if (!(await tokens.success(b['taskToken']!, JSON.parse(b['output'] ?? 'null')))) throw apiError('TaskTimedOut', 'Task Timed Out');
      return {};
    },
    SendTaskHeartbeat: async (b) => {
      if (!(await tokens.heartbeat(b['taskToken']!))) throw apiError('TaskTimedOut', 'Task Timed Out');
      return {};
    },
    StopExecution: (b) => {
      const e = executions.get(b['executionArn']!);
      if (!e) throw apiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${b['executionArn']}'`);
      e.abort();
      return { stopDate: Date.now() / 1000 };
    },
  };

  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString('utf8'); });
    req.on('end', async () => {
      // Lambda's Invoke (REST): only the asynchronous kind, which returns before the function runs
      const lambda = /^\/2015-03-31\/functions\/([^/]+)\/invocations/.exec(req.url ?? '');
      if (lambda) {
        const fn = decodeURIComponent(lambda[1]!);
        const event = JSON.parse(body || '{}') as unknown;
        invocations.push([fn.split(':').pop()!, event]);
        void invoke(fn, event).catch(() => undefined);
        res.statusCode = req.headers['x-amz-invocation-type'] === 'Event' ? 202 : 400;
        res.end();
        return;
      }
      const target = String(req.headers['x-amz-target'] ?? '').replace(/^AWSStepFunctions\./, '');
      res.setHeader('content-type', 'application/x-amz-json-1.0');
      try {
        const call = calls[target];
        if (!call) throw apiError('UnknownOperationException', `${target} is not served here`);
        res.end(JSON.stringify(await call(JSON.parse(body || '{}') as Record<string, string>)));
      } catch (e) {
        res.statusCode = 400;
        res.end(JSON.stringify({ __type: (e as { code?: string }).code ?? 'InternalError', message: (e as Error).message }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    invocations,
    createMachine,
    start,
    async wait(executionArn) {
      const e = executions.get(executionArn);
      if (!e) throw new Error(`no execution ${executionArn}`);
      await e.done;
      return e;
    },
    async close() {
      for (const e of executions.values()) if (e.status === 'RUNNING') e.abort();
      await Promise.all([...executions.values()].map((e) => e.done.catch(() => undefined)));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function apiError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

/** Task state name → its Resource and HeartbeatSeconds (in ms), through Map processors and Parallel branches. */
function taskStates(asl: unknown, out: [string, string, number | undefined][] = []): [string, string, number | undefined][] {
  const states = (asl as { States?: Record<string, Record<string, unknown>> }).States ?? {};
  for (const [name, s] of Object.entries(states)) {
    if (s.Type === 'Task') out.push([name, s.Resource as string, typeof s.HeartbeatSeconds === 'number' ? s.HeartbeatSeconds * 1000 : undefined]);
    if (s.ItemProcessor) taskStates(s.ItemProcessor, out);
    for (const b of (s.Branches as unknown[] | undefined) ?? []) taskStates(b, out);
  }
  return out;
}

function statusEvent(e: Execution): ExecutionStatusChange {
  return {
    version: '0', id: randomUUID(), 'detail-type': 'Step Functions Execution Status Change', source: 'aws.states',
    account: ACCOUNT, time: (e.stopDate ?? new Date()).toISOString(), region: REGION, resources: [e.arn],
    detail: {
      executionArn: e.arn, stateMachineArn: e.machine.arn, name: e.name, status: e.status,
      startDate: e.startDate.getTime(), stopDate: e.stopDate?.getTime() ?? null,
      input: e.input, output: e.output ?? null, inputDetails: { included: true }, outputDetails: e.output ? { included: true } : null,
      error: e.error ?? null, cause: e.cause ?? null,
    },
  } as ExecutionStatusChange;
}
