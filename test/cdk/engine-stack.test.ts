// The CDK app synthesizes offline; its template has what the design asks of a deployment.
// One synth for the file (bundling included), then one behaviour per test.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildApp } from '../../cdk/app.js';
import { functionNames, ROOT } from '../../cdk/bundle.js';
import { FUNCTION_DEFAULTS, hideLiteralPlaceholders, placeholderName, type EngineStack } from '../../cdk/engine-stack.js';
import { definitionFile, definitionText, loadJobs } from '../../cdk/jobs.js';

let app: App;
let stack: EngineStack;
let t: Template;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

before(async () => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'shoal-cdk-'));
  ({ app, stack } = await buildApp(new App({ outdir, context: { 'shoal:functions': { 'plan-stage': { memoryMb: 2048 } }, 'shoal:udfAllowedLocations': 's3://team-udfs/prod/,udfs/' } }), { writeStateMachines: false }));
  t = Template.fromStack(stack);
});

const resources = (type: string) => Object.entries(t.findResources(type)) as [string, Json][];

test('the warehouse bucket is encrypted, private, TLS-only, and expires job files and staging', () => {
  t.hasResourceProperties('AWS::S3::Bucket', {
    BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
    PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    LifecycleConfiguration: {
      Rules: Match.arrayWith([
        Match.objectLike({ Prefix: '_jobs/', ExpirationInDays: 7, Status: 'Enabled' }),
        Match.objectLike({ Prefix: '_staging/', ExpirationInDays: 2, Status: 'Enabled' }),
      ]),
    },
  });
  t.hasResourceProperties('AWS::S3::BucketPolicy', {
    PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
  });
  const [[, bucket]] = resources('AWS::S3::Bucket') as [[string, Json]];
  assert.equal(bucket.DeletionPolicy, 'Retain', 'deleting the stack keeps the tables');
});

test('every function directory is a Node 22 x86_64 Lambda with the DuckDB layer, its log group and settings from context', () => {
  const fns = resources('AWS::Lambda::Function').map(([, r]) => r.Properties as Json);
  assert.deepEqual(fns.map((f) => f.FunctionName).sort(), functionNames().map((n) => `Shoal-${n}`).sort());
  for (const f of fns) {
    const name = (f.FunctionName as string).slice('Shoal-'.length);
    assert.equal(f.Runtime, 'nodejs22.x');
    assert.deepEqual(f.Architectures, ['x86_64']);
    assert.equal(f.Handler, 'index.handler');
    assert.equal(f.Layers.length, 1, `${name} has the DuckDB layer`);
    assert.ok(f.LoggingConfig.LogGroup, `${name} logs to its own group`);
    assert.equal(f.MemorySize, name === 'plan-stage' ? 2048 : FUNCTION_DEFAULTS[name]!.memoryMb, `${name} memory`);
    assert.equal(f.Timeout, FUNCTION_DEFAULTS[name]!.timeoutSeconds);
    assert.deepEqual(Object.keys(f.Environment.Variables).includes('SHOAL_WAREHOUSE'), true);
  }
  t.resourcePropertiesCountIs('AWS::Logs::LogGroup', { RetentionInDays: 30 }, functionNames().length + 2);
  t.hasResourceProperties('AWS::Lambda::LayerVersion', { CompatibleRuntimes: ['nodejs22.x'], CompatibleArchitectures: ['x86_64'] });
});

/** The S3 statements of the role a function runs as, actions → resources as rendered JSON. */
function s3Access(fn: string): Record<string, string[]> {
  const roleId = Object.entries(t.findResources('AWS::Lambda::Function')).find(([, r]) => (r as Json).Properties.FunctionName === `Shoal-${fn}`)![1].Properties.Role['Fn::GetAtt'][0];
  const policy = resources('AWS::IAM::Policy').find(([, p]) => p.Properties.Roles.some((r: Json) => r.Ref === roleId))![1];
  const out: Record<string, string[]> = {};
  for (const st of policy.Properties.PolicyDocument.Statement as Json[]) {
    for (const a of [st.Action].flat() as string[]) {
      if (!a.startsWith('s3:')) continue;
      out[a] = [...(out[a] ?? []), ...[st.Resource].flat().map((r: unknown) => JSON.stringify(r).replace(/Warehouse[0-9A-F]+/g, 'Warehouse'))].sort();
    }
  }
  return out;
}

test('each function role writes only the key prefixes it needs', () => {
  const bucket = '{"Fn::GetAtt":["Warehouse","Arn"]}';
  const under = (p: string) => `{"Fn::Join":["",[${bucket},"/${p}*"]]}`;
  assert.deepEqual(s3Access('run-task'), { 's3:GetObject': [under('')], 's3:ListBucket': [bucket], 's3:PutObject': [under('_jobs/'), under('_staging/')], 's3:DeleteObject': [under('_jobs/'), under('_staging/')] });
  assert.deepEqual(s3Access('plan-stage'), { 's3:GetObject': [under('')], 's3:ListBucket': [bucket], 's3:PutObject': [under('_jobs/')] });
  assert.deepEqual(s3Access('cleanup'), { 's3:GetObject': [under('')], 's3:ListBucket': [bucket], 's3:DeleteObject': [under('')], 's3:PutObject': [under('_jobs/')] });
});

test('the planning functions read user-function modules only from the allowed locations and upload them under blobs/', () => {
  const bucket = '{"Fn::GetAtt":["Warehouse","Arn"]}';
  const under = (p: string) => `{"Fn::Join":["",[${bucket},"/${p}*"]]}`;
  const teamUdfs = '{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":s3:::team-udfs/prod/*"]]}';
  for (const fn of ['start-job', 'submit']) {
    const access = s3Access(fn);
    assert.deepEqual(access['s3:GetObject'], [under(''), under('udfs/'), teamUdfs].sort(), `${fn} reads the warehouse and the allowed prefixes`);
    assert.deepEqual(access['s3:PutObject'], [under('_jobs/'), under('_staging/'), under('blobs/')].sort(), `${fn} writes modules only under blobs/`);
  }
  // tasks fetch modules by hash from blobs/ inside the warehouse; they read nothing outside it
  assert.deepEqual(s3Access('run-task')['s3:GetObject'], [under('')]);
  const env = (fn: string) => (resources('AWS::Lambda::Function').find(([, r]) => r.Properties.FunctionName === `Shoal-${fn}`)![1].Properties.Environment.Variables as Json);
  const allowed = JSON.stringify(env('start-job').SHOAL_UDF_ALLOWED_LOCATIONS);
  assert.match(allowed, /s3:\/\/team-udfs\/prod\/,s3:\/\//);
  assert.match(allowed, /"\/udfs\/"/);
  assert.equal(env('run-task').SHOAL_UDF_ALLOWED_LOCATIONS, undefined);
});

/** Every statement of the role a function runs as. */
function statementsOf(fn: string): Json[] {
  const roleId = Object.entries(t.findResources('AWS::Lambda::Function')).find(([, r]) => (r as Json).Properties.FunctionName === `Shoal-${fn}`)![1].Properties.Role['Fn::GetAtt'][0];
  return resources('AWS::IAM::Policy').filter(([, p]) => p.Properties.Roles.some((r: Json) => r.Ref === roleId)).flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Json[]);
}

test('run-task answers task tokens of the stack\'s machines; speculate may invoke run-task only, which Lambda never retries asynchronously', () => {
  const runTask = stack.getLogicalId(stack.functions['run-task']!.node.defaultChild as never);
  const tokens = statementsOf('run-task').find((st) => [st.Action].flat().includes('states:SendTaskSuccess'))!;
  assert.deepEqual([tokens.Action].flat().sort(), ['states:SendTaskHeartbeat', 'states:SendTaskSuccess']);
  assert.match(JSON.stringify(tokens.Resource), /stateMachine:Shoal-\*/);
  const invoke = statementsOf('speculate').filter((st) => [st.Action].flat().some((a: string) => a.startsWith('lambda:')));
  assert.deepEqual(invoke.map((st) => [st.Action, st.Resource]), [['lambda:InvokeFunction', { 'Fn::GetAtt': [runTask, 'Arn'] }]]);
  t.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { FunctionName: { Ref: runTask }, MaximumRetryAttempts: 0 });
  const machines = resources('AWS::StepFunctions::StateMachine');
  for (const [, m] of machines) assert.ok(m.Properties.DefinitionSubstitutions.SpeculateFunctionArn, 'the watcher\'s function is substituted');
});

test('no IAM statement grants on "*" except the APIs that take no resource (logs delivery, X-Ray)', () => {
  for (const [id, p] of resources('AWS::IAM::Policy')) {
    for (const st of p.Properties.PolicyDocument.Statement as Json[]) {
      if ([st.Resource].flat().includes('*')) {
        for (const a of [st.Action].flat() as string[]) assert.match(a, /^(logs:(CreateLogDelivery|GetLogDelivery|UpdateLogDelivery|DeleteLogDelivery|ListLogDeliveries|PutResourcePolicy|DescribeResourcePolicies|DescribeLogGroups)|xray:.*)$/, `${id}: ${a} on *`);
      }
    }
  }
});

test('each job is a Standard state machine whose definition is the checked-in statemachines file', async () => {
  const jobs = await loadJobs(ROOT);
  assert.ok(jobs.length >= 1);
  const machines = resources('AWS::StepFunctions::StateMachine');
  assert.equal(machines.length, jobs.length);
  for (const job of jobs) {
    const [, sm] = machines.find(([, m]) => m.Properties.StateMachineName === `Shoal-${job.name}`)!;
    assert.equal(sm.Properties.StateMachineType, 'STANDARD');
    const deployed = JSON.parse(sm.Properties.DefinitionString as string);
    assert.deepEqual(deployed, JSON.parse(readFileSync(definitionFile(ROOT, job), 'utf8')));
    const used = [...new Set((sm.Properties.DefinitionString as string).match(/\$\{[^}]*\}/g))].sort();
    assert.deepEqual(used, Object.keys(sm.Properties.DefinitionSubstitutions).map((k) => `\${${k}}`).sort(), 'every placeholder left is a function ARN');
    assert.deepEqual(sm.Properties.DefinitionSubstitutions.RunTaskFunctionArn, { 'Fn::GetAtt': [stack.getLogicalId(stack.functions['run-task']!.node.defaultChild as never), 'Arn'] });
  }
});

test('a checked-in statemachines file that is stale fails here: regenerate it with `npx cdk synth`', async () => {
  for (const job of await loadJobs(ROOT)) assert.equal(readFileSync(definitionFile(ROOT, job), 'utf8'), definitionText(job), `${job.file} changed: run npx cdk synth`);
});

test('hiding literal ${…} keeps the definition\'s JSON value and leaves only substitutions visible', () => {
  const d = { Resource: '${RunTaskFunctionArn}', sql: "SELECT '${ds}' -- ${yesterday}" };
  const text = hideLiteralPlaceholders(JSON.stringify(d), ['RunTaskFunctionArn']);
  assert.deepEqual(JSON.parse(text), d);
  assert.deepEqual(text.match(/\$\{[^}]*\}/g), ['${RunTaskFunctionArn}']);
});

test('a job\'s schedule header becomes an EventBridge Scheduler schedule starting its state machine at the scheduled time', () => {
  t.hasResourceProperties('AWS::Scheduler::Schedule', {
    ScheduleExpression: 'cron(0 2 * * ? *)',
    ScheduleExpressionTimezone: 'Etc/UTC',
    Target: {
      Arn: { Ref: stack.getLogicalId(stack.stateMachines['daily_revenue']!.node.defaultChild as never) },
      Input: JSON.stringify({ vars: {}, time: '<aws.scheduler.scheduled-time>' }),
    },
  });
});

test('executions that fail, time out or are aborted run cleanup through an EventBridge rule', () => {
  const cleanup = stack.getLogicalId(stack.functions['cleanup']!.node.defaultChild as never);
  t.hasResourceProperties('AWS::Events::Rule', {
    EventPattern: {
      source: ['aws.states'],
      'detail-type': ['Step Functions Execution Status Change'],
      detail: { status: ['FAILED', 'TIMED_OUT', 'ABORTED'], stateMachineArn: [{ prefix: Match.anyValue() }] },
    },
    Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [cleanup, 'Arn'] } })],
  });
});

test('every API method is IAM-authorised; jobs start through a Step Functions StartExecution integration', () => {
  const methods = resources('AWS::ApiGateway::Method').map(([, m]) => m.Properties as Json).filter((m) => m.HttpMethod !== 'OPTIONS');
  assert.ok(methods.length >= 4);
  for (const m of methods) assert.equal(m.AuthorizationType, 'AWS_IAM');
  const paths = resources('AWS::ApiGateway::Resource').map(([, r]) => r.Properties.PathPart as string).sort();
  assert.deepEqual(paths, ['daily_revenue', 'jobs', 'queries', 'runs', '{id}']);
  const start = methods.find((m) => m.Integration.Type === 'AWS')!;
  assert.equal(start.HttpMethod, 'POST');
  assert.match(start.Integration.Uri['Fn::Join'][1].filter((x: unknown) => typeof x === 'string').join(''), /:apigateway:.*states:action\/StartExecution$/);
  const [text, arn] = (start.Integration.RequestTemplates['application/json']['Fn::Join'][1] as unknown[]).reduce<[string, unknown[]]>(([t, refs], p) => (typeof p === 'string' ? [t + p, refs] : [t, [...refs, p]]), ['', []]);
  assert.equal(text, `{"stateMachineArn": "", "name": "$context.requestId", "input": "$util.escapeJavaScript($input.json('$'))"}`);
  assert.equal(start.Integration.IntegrationResponses[0].ResponseTemplates['application/json'], `{"queryId": "$context.requestId", "executionArn": "$input.path('$.executionArn')"}`);
  assert.deepEqual(arn, [{ Ref: stack.getLogicalId(stack.stateMachines['daily_revenue']!.node.defaultChild as never) }], 'the job\'s own state machine');
  for (const m of methods.filter((x) => x.Integration.Type === 'AWS_PROXY')) assert.ok(['POST', 'GET', 'DELETE'].includes(m.HttpMethod));
});

test('cdk-nag AwsSolutions finds nothing unacknowledged', () => {
  const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(app);
  assert.deepEqual(report.violations.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`), []);
});

test('the function list matches functions/ and each has a placeholder name', () => {
  assert.deepEqual(Object.keys(stack.functions).sort(), functionNames());
  assert.equal(placeholderName('run-task'), 'RunTask');
});
