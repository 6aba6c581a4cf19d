// The AWS Step Functions side of `Executions`, for the submit function. Standard state
// machines only: a query may run for hours.
import { CreateStateMachineCommand, DescribeExecutionCommand, SFNClient, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import type { ExecutionState, Executions } from './queries.js';

export class SfnExecutions implements Executions {
  private readonly client: SFNClient;
  constructor(private readonly roleArn: string, client?: SFNClient) {
    // LocalStack serves every API on one endpoint; the tests' local Step Functions has its own.
    const endpoint = process.env['SHOAL_SFN_ENDPOINT'] || process.env['SHOAL_AWS_ENDPOINT'];
    this.client = client ?? new SFNClient(endpoint ? { endpoint } : {});
  }

  async ensureMachine(name: string, definition: string): Promise<string> {
    // CreateStateMachine is idempotent for an equal name, definition and role: it returns the existing machine.
    const r = await this.client.send(new CreateStateMachineCommand({ name, definition, roleArn: this.roleArn, type: 'STANDARD' }));
    return r.stateMachineArn!;
  }

  async start(machineArn: string, name: string, input: string): Promise<string> {
    const r = await this.client.send(new StartExecutionCommand({ stateMachineArn: machineArn, name, input }));
    return r.executionArn!;
  }

  async describe(executionArn: string): Promise<ExecutionState> {
    const r = await this.client.send(new DescribeExecutionCommand({ executionArn }));
    return { status: r.status!, error: r.error, cause: r.cause, startDate: r.startDate?.toISOString(), stopDate: r.stopDate?.toISOString() };
  }

  async stop(executionArn: string, cause: string): Promise<void> {
    await this.client.send(new StopExecutionCommand({ executionArn, cause }));
  }
}
