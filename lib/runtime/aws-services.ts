// The AWS side of lib/runtime/services.ts: Step Functions' task-token API and Lambda's
// asynchronous Invoke. SHOAL_SFN_ENDPOINT (or SHOAL_AWS_ENDPOINT) points them at a
// local endpoint in tests, as for the other clients.
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { SendTaskHeartbeatCommand, SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import type { FunctionName } from '../asl/emit.js';
import { ShoalError } from '../common/errors.js';
import type { Services } from './services.js';

/** The errors that say a token is no longer live: its task completed (another attempt won), timed out or was retried. */
const STALE_TOKEN = new Set(['TaskTimedOut', 'InvalidToken', 'TaskDoesNotExist']);

function staleToken(e: unknown): boolean {
  const name = (e as { name?: string; Code?: string }).name ?? '';
  return STALE_TOKEN.has(name) || STALE_TOKEN.has((e as { Code?: string }).Code ?? '');
}

/** The deployed function a speculative attempt runs on: CDK names it in the watcher's environment. */
function functionArn(fn: FunctionName): string {
  const arns = JSON.parse(process.env['SHOAL_FUNCTION_ARNS'] ?? '{}') as Record<string, string>;
  const arn = arns[fn];
  if (!arn) throw new ShoalError('config', `SHOAL_FUNCTION_ARNS names no ${fn} function`);
  return arn;
}

export function awsServices(): Services {
  const sfnEndpoint = process.env['SHOAL_SFN_ENDPOINT'] || process.env['SHOAL_AWS_ENDPOINT'];
  const lambdaEndpoint = process.env['SHOAL_LAMBDA_ENDPOINT'] || process.env['SHOAL_AWS_ENDPOINT'];
  let sfn: SFNClient | undefined;
  let lambda: LambdaClient | undefined;
  const client = () => (sfn ??= new SFNClient(sfnEndpoint ? { endpoint: sfnEndpoint } : {}));
  const callback = async (send: () => Promise<unknown>) => {
    try {
      await send();
      return true;
    } catch (e) {
      if (staleToken(e)) return false;
      throw e;
    }
  };
  return {
    callbacks: {
      success: (token, output) => callback(() => client().send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) }))),
      heartbeat: (token) => callback(() => client().send(new SendTaskHeartbeatCommand({ taskToken: token }))),
    },
    invoker: {
      async invokeAsync(fn, event) {
        lambda ??= new LambdaClient(lambdaEndpoint ? { endpoint: lambdaEndpoint } : {});
        // 'Event': Lambda queues the invocation and returns at once (202); the function's
        // asynchronous retries are set to 0 by the stack, a shadow is never run twice by Lambda.
        await lambda.send(new InvokeCommand({ FunctionName: functionArn(fn), InvocationType: 'Event', Payload: new TextEncoder().encode(JSON.stringify(event)) }));
      },
    },
  };
}
