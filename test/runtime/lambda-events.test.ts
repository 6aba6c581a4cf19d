// What the Lambda side makes of its events and errors: the execution-status event names
// the job to clean up, and thrown errors carry the names the state machine's Retry matches.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShoalError, sqlError, taskError } from '../../lib/common/errors.js';
import { jobOfExecution, type ExecutionStatusChange } from '../../lib/runtime/execution-events.js';
import { lambdaHandler } from '../../lib/runtime/lambda.js';

const event = (detail: Partial<ExecutionStatusChange['detail']>): ExecutionStatusChange => ({
  'detail-type': 'Step Functions Execution Status Change',
  source: 'aws.states',
  detail: {
    executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:Shoal-daily_revenue:4f1c',
    stateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:Shoal-daily_revenue',
    name: '4f1c', status: 'ABORTED', input: '{"vars":{},"time":"2024-01-02T02:00:00Z"}',
    ...detail,
  },
});

test('an aborted scheduled run is cleaned under its execution name; a submitted query under its input\'s query id', () => {
  assert.deepEqual(jobOfExecution(event({}), 's3://wh'), { queryId: '4f1c', warehouse: 's3://wh' });
  assert.deepEqual(jobOfExecution(event({ status: 'FAILED', input: '{"queryId":"q1","warehouse":"s3://other"}' }), 's3://wh'), { queryId: 'q1', warehouse: 's3://wh' });
  assert.deepEqual(jobOfExecution(event({ status: 'TIMED_OUT', input: null }), 's3://wh'), { queryId: '4f1c', warehouse: 's3://wh' });
});

test('succeeded executions and a Distributed Map\'s child executions are not cleaned', () => {
  assert.equal(jobOfExecution(event({ status: 'SUCCEEDED' }), 's3://wh'), undefined);
  for (const child of ['Shoal-daily_revenue/S4Stage1Run', 'Shoal-daily_revenue/S4Stage1Run:1a2b']) {
    assert.equal(jobOfExecution(event({ status: 'FAILED', stateMachineArn: `arn:aws:states:eu-west-1:123456789012:stateMachine:${child}` }), 's3://wh'), undefined);
  }
});

test('handler errors carry Step Functions error names: transient ones are retried, SQL errors are not', async () => {
  process.env['SHOAL_WAREHOUSE'] = 's3://wh';
  const fail = (e: Error) => lambdaHandler(async (_: { warehouse: string }) => { throw e; })({ warehouse: 's3://wh' });
  await assert.rejects(fail(taskError('S3 throttled', true)), { name: 'Shoal.Transient', message: 'S3 throttled' });
  await assert.rejects(fail(sqlError('expected FROM', { line: 2, col: 3, offset: 9 })), { name: 'Shoal.SqlError', message: '<input>:2:3: expected FROM' });
  await assert.rejects(fail(new Error('boom')), { name: 'Shoal.Error' });
  await assert.rejects(lambdaHandler(async (e: { warehouse: string }) => e)({ warehouse: 's3://elsewhere' }), (e: Error) => e.name === 'Shoal.ConfigError' && /serves warehouse s3:\/\/wh/.test(e.message));
  assert.ok(new ShoalError('config', 'x'));
});
