// The engine stack: one bucket (warehouse, shuffle, staging), the Lambda functions, one
// Standard state machine per job file with its schedules, the API, and the rule that
// cleans up after executions that ended without running their own cleanup.
import { ArnFormat, CfnOutput, type CfnElement, Duration, RemovalPolicy, Size, Stack, Token, Validations, type StackProps } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct, IConstruct } from 'constructs';
import { UNCLEAN_END } from '../lib/runtime/execution-events.js';
import type { Bundles } from './bundle.js';
import { ARCHITECTURE } from './bundle.js';
import type { DeployedJob } from './jobs.js';

export interface FunctionSettings {
  readonly memoryMb?: number;
  readonly timeoutSeconds?: number;
  /** /tmp size: run-task and compact keep their inputs and outputs there */
  readonly ephemeralMb?: number;
}

export interface EngineStackProps extends StackProps {
  readonly jobs: readonly DeployedJob[];
  readonly bundles: Bundles;
  /** per function name (`run-task`, …), over the defaults below */
  readonly functions?: Readonly<Record<string, FunctionSettings>>;
  readonly logRetentionDays?: number;
  /** days after which `_jobs/` (plans, shuffle, result rows) and `_staging/` objects expire */
  readonly jobFilesExpiryDays?: number;
  readonly stagingExpiryDays?: number;
  /**
   * Where user-function modules may be read from (CREATE FUNCTION … USING FILE): `s3://bucket/prefix`
   * URIs, or key prefixes in the warehouse bucket (`udfs/`). The planning functions' roles read
   * these and nothing else outside the warehouse; none means no module can be loaded.
   */
  readonly udfAllowedLocations?: readonly string[];
}

/** The functions a deployment has: the directories under functions/, each with its defaults. */
export const FUNCTION_DEFAULTS: Readonly<Record<string, Required<FunctionSettings>>> = {
  'plan-stage': { memoryMb: 1024, timeoutSeconds: 300, ephemeralMb: 512 },
  // 3,008 MB gives about two vCPUs to DuckDB; a task may run the full 15 minutes.
  'run-task': { memoryMb: 3008, timeoutSeconds: 900, ephemeralMb: 4096 },
  compact: { memoryMb: 3008, timeoutSeconds: 900, ephemeralMb: 4096 },
  commit: { memoryMb: 1024, timeoutSeconds: 900, ephemeralMb: 512 },
  cleanup: { memoryMb: 512, timeoutSeconds: 900, ephemeralMb: 512 },
  // a stage's watcher: reads a few small objects every shoal.speculation.interval, launches shadows
  speculate: { memoryMb: 512, timeoutSeconds: 60, ephemeralMb: 512 },
  'start-job': { memoryMb: 1024, timeoutSeconds: 300, ephemeralMb: 512 },
  submit: { memoryMb: 1024, timeoutSeconds: 29, ephemeralMb: 512 },
};

/** The functions a job's state machine calls (the `${…FunctionArn}` placeholders of statemachines/ and of the ones submit creates). */
export const STATE_MACHINE_FUNCTIONS = ['plan-stage', 'run-task', 'compact', 'commit', 'cleanup', 'speculate'] as const;

/** The `${…FunctionArn}` placeholder name of a function directory: run-task → RunTask. */
export const placeholderName = (fn: string) => fn.split('-').map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');

/** Key prefixes of the warehouse (at the bucket's root) that hold job files, not tables. */
export const JOB_FILES_PREFIX = '_jobs/';
export const STAGING_PREFIX = '_staging/';
/** user-function modules, content-addressed (lib/udf/model.ts blobKey) */
export const BLOBS_PREFIX = 'blobs/';

/** An allowed UDF location as bucket (undefined: the warehouse's) and key prefix. */
export function udfLocation(location: string): { readonly bucket?: string; readonly prefix: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/i.exec(location);
  if (m) return { bucket: m[1]!, prefix: m[2]! };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location) || location.startsWith('/'))
    throw new Error(`shoal:udfAllowedLocations: '${location}' is neither s3://bucket/prefix nor a key prefix of the warehouse; a deployment reads modules from S3 only`);
  return { prefix: location };
}

export class EngineStack extends Stack {
  readonly bucket: s3.Bucket;
  readonly functions: Readonly<Record<string, lambda.Function>> = {};
  readonly stateMachines: Readonly<Record<string, sfn.StateMachine>> = {};
  readonly api: apigw.RestApi;

  constructor(scope: Construct, id: string, props: EngineStackProps) {
    super(scope, id, props);
    const prefix = this.stackName;
    const retention = props.logRetentionDays ?? 30;
    const logGroup = (name: string) => new logs.LogGroup(this, `${name}Logs`, { retention: retention as logs.RetentionDays, removalPolicy: RemovalPolicy.DESTROY });

    this.bucket = new s3.Bucket(this, 'Warehouse', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // The warehouse holds the tables: deleting the stack must not delete them.
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        // Plans, shuffle objects (`_jobs/<id>/shuffle/`), task lists and result rows of finished
        // jobs; a job runs at most 6 hours, so what is older is a leftover or an old result.
        { id: 'job-files', prefix: JOB_FILES_PREFIX, expiration: Duration.days(props.jobFilesExpiryDays ?? 7) },
        // Sink output before commit, per task attempt; a failed job's cleanup removes it, this catches what it could not.
        { id: 'staging', prefix: STAGING_PREFIX, expiration: Duration.days(props.stagingExpiryDays ?? 2) },
        { id: 'incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });
    acknowledge(this.bucket, 'Server access logs would log every shuffle and staging request (thousands per job) and cost more than the data; CloudTrail S3 data events can be enabled per prefix where an audit trail of the tables is wanted.', 'AwsSolutions-S1');
    const bucketArn = `<${this.resolve(this.getLogicalId(this.bucket.node.defaultChild as CfnElement))}.Arn>`;
    const objectFindings = (...prefixes: string[]) => prefixes.map((p) => `AwsSolutions-IAM5[Resource::${bucketArn}/${p}*]`);
    const warehouse = `s3://${this.bucket.bucketName}`;

    // ---- functions, each with its own role: the S3 prefixes it writes and nothing more
    const layer = new lambda.LayerVersion(this, 'DuckDbLayer', {
      code: lambda.Code.fromAsset(props.bundles.duckDbLayer),
      compatibleRuntimes: [lambda.Runtime.NODEJS_22_X],
      compatibleArchitectures: [lambda.Architecture.X86_64],
      description: 'DuckDB native binding (@duckdb/node-bindings-linux-x64) for Shoal',
    });
    const objects = (...prefixes: string[]) => prefixes.map((p) => this.bucket.arnForObjects(`${p}*`));
    const read = [
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: objects('') }),
      new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }),
    ];
    const write = (actions: string[], ...prefixes: string[]) => new iam.PolicyStatement({ actions, resources: objects(...prefixes) });
    // The planners read user-function modules from the allowed locations only and upload them to blobs/;
    // tasks fetch them from blobs/ (inside the warehouse they read anyway).
    const udfLocations = (props.udfAllowedLocations ?? []).map(udfLocation);
    const udfRead = udfLocations.length
      ? [new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: udfLocations.map((l) => (l.bucket ? this.formatArn({ service: 's3', region: '', account: '', resource: l.bucket, resourceName: `${l.prefix}*` }) : this.bucket.arnForObjects(`${l.prefix}*`))),
      })]
      : [];
    const udfEnv = udfLocations.map((l) => (l.bucket ? `s3://${l.bucket}/${l.prefix}` : `${warehouse}/${l.prefix}`)).join(',');
    const planners = ['start-job', 'submit'];
    const access: Record<string, iam.PolicyStatement[]> = {
      'plan-stage': [...read, write(['s3:PutObject'], JOB_FILES_PREFIX)],
      'run-task': [...read, write(['s3:PutObject', 's3:DeleteObject'], JOB_FILES_PREFIX, STAGING_PREFIX)],
      compact: [...read, write(['s3:PutObject', 's3:DeleteObject'], JOB_FILES_PREFIX, STAGING_PREFIX)],
      // commit places table files anywhere in the warehouse and switches the catalog
      commit: [...read, write(['s3:PutObject', 's3:DeleteObject'], '')],
      // cleanup removes placed-but-uncommitted table files, wherever the table lives; like
      // every handler it leaves its metrics under _jobs/<id>/metrics/
      cleanup: [...read, write(['s3:DeleteObject'], ''), write(['s3:PutObject'], JOB_FILES_PREFIX)],
      'start-job': [...read, ...udfRead, write(['s3:PutObject'], JOB_FILES_PREFIX, STAGING_PREFIX, BLOBS_PREFIX)],
      // the one-shadow-per-task markers under _jobs/<id>/…/shadows/
      speculate: [...read, write(['s3:PutObject'], JOB_FILES_PREFIX)],
      submit: [...read, ...udfRead, write(['s3:PutObject'], JOB_FILES_PREFIX, STAGING_PREFIX, BLOBS_PREFIX)],
    };
    const fns: Record<string, lambda.Function> = {};
    for (const [name, bundle] of Object.entries(props.bundles.functions)) {
      const defaults = FUNCTION_DEFAULTS[name];
      if (!defaults || !access[name]) throw new Error(`functions/${name} has no defaults or IAM statements in cdk/engine-stack.ts`);
      const s = { ...defaults, ...props.functions?.[name] };
      const role = new iam.Role(this, `${placeholderName(name)}Role`, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      for (const st of access[name]) role.addToPolicy(st);
      const fnLogs = logGroup(placeholderName(name));
      fnLogs.grantWrite(role);
      fns[name] = new lambda.Function(this, `${placeholderName(name)}Function`, {
        functionName: `${prefix}-${name}`,
        runtime: lambda.Runtime.NODEJS_22_X,
        architecture: ARCHITECTURE === 'x86_64' ? lambda.Architecture.X86_64 : lambda.Architecture.ARM_64,
        handler: 'index.handler',
        code: lambda.Code.fromAsset(bundle.dir),
        layers: bundle.usesDuckDb ? [layer] : [],
        memorySize: s.memoryMb,
        timeout: Duration.seconds(s.timeoutSeconds),
        ephemeralStorageSize: Size.mebibytes(s.ephemeralMb),
        role,
        logGroup: fnLogs,
        // A shadow attempt is an asynchronous invocation (Event); Lambda must not run one again
        // on failure: the Map's own attempt and its Retry are what retries a task.
        ...(name === 'run-task' ? { retryAttempts: 0 } : {}),
        environment: {
          SHOAL_WAREHOUSE: warehouse,
          // DuckDB writes its home directory's extension cache; only /tmp is writable.
          HOME: '/tmp',
          SHOAL_DUCKDB_THREADS: String(Math.max(1, Math.floor(s.memoryMb / 1769))),
          // set even when empty: a deployment without the list loads no module (lib/udf/source.ts)
          ...(planners.includes(name) && { SHOAL_UDF_ALLOWED_LOCATIONS: udfEnv }),
        },
      });
      acknowledge(role, 'Object keys are per query, task and attempt, so access is granted on key prefixes: reads anywhere in the warehouse (tables live anywhere), writes under _jobs/ and _staging/, and for commit and cleanup, which place and remove table files, the whole warehouse.',
        ...objectFindings('', JOB_FILES_PREFIX, STAGING_PREFIX, ...(planners.includes(name) ? [BLOBS_PREFIX] : [])),
        ...(planners.includes(name) ? udfLocations.map((l) => (l.bucket ? `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${l.bucket}/${l.prefix}*]` : objectFindings(l.prefix)[0]!)) : []));
    }
    this.functions = fns;
    // run-task completes its Map iteration and sends heartbeats with the iteration's task token
    // (`.waitForTaskToken`); the token calls are authorised on the state machines that issue them.
    const machineArn = (name: string) => this.formatArn({ service: 'states', resource: 'stateMachine', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const runTask = fns['run-task'];
    const speculate = fns['speculate'];
    if (runTask) {
      (runTask.role as iam.Role).addToPolicy(new iam.PolicyStatement({ actions: ['states:SendTaskSuccess', 'states:SendTaskHeartbeat'], resources: [machineArn(`${prefix}-*`)] }));
      acknowledge(runTask.role!, 'run-task answers the task tokens of the stack\'s state machines, all named under the stack prefix (submit creates one per plan).', ...statesFindings(this, `stateMachine:${prefix}-*`));
    }
    if (speculate && runTask) {
      // the watcher launches shadow attempts of run-task (asynchronous invocations)
      (speculate.role as iam.Role).addToPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [runTask.functionArn] }));
      speculate.addEnvironment('SHOAL_FUNCTION_ARNS', this.toJsonString({ RunTask: runTask.functionArn }));
    }
    acknowledge(this, 'Node.js 22 (nodejs22.x) is the runtime Shoal is built and tested for (the design fixes it); the DuckDB binding is built per Node ABI.', 'AwsSolutions-L1');

    // ---- the role every Shoal state machine runs as, including the ones submit creates per plan
    const executionArn = (name: string) => this.formatArn({ service: 'states', resource: 'execution', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const sfnRole = new iam.Role(this, 'StateMachineRole', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });
    const taskFunctions = ['plan-stage', 'run-task', 'compact', 'commit', 'cleanup', 'speculate', 'start-job'].filter((n) => fns[n]);
    sfnRole.addToPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: taskFunctions.map((n) => fns[n]!.functionArn) }));
    // A Distributed Map runs its iterations as child executions of its own state machine.
    sfnRole.addToPolicy(new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [machineArn(`${prefix}-*`)] }));
    sfnRole.addToPolicy(new iam.PolicyStatement({ actions: ['states:DescribeExecution', 'states:StopExecution'], resources: [executionArn(`${prefix}-*`)] }));
    const machineLogs = logGroup('StateMachine');

    const definitionSubstitutions = Object.fromEntries(taskFunctions.map((n) => [`${placeholderName(n)}FunctionArn`, fns[n]!.functionArn]));
    const machines: Record<string, sfn.StateMachine> = {};
    for (const job of props.jobs) {
      const sm = new sfn.StateMachine(this, `Job${placeholderName(job.name.replace(/_/g, '-'))}`, {
        stateMachineName: `${prefix}-${job.name}`,
        stateMachineType: sfn.StateMachineType.STANDARD,
        definitionBody: sfn.DefinitionBody.fromString(hideLiteralPlaceholders(JSON.stringify(job.definition), Object.keys(definitionSubstitutions))),
        definitionSubstitutions,
        role: sfnRole,
        logs: { destination: machineLogs, level: sfn.LogLevel.ALL, includeExecutionData: false },
        tracingEnabled: true,
      });
      machines[job.name] = sm;
      job.header.schedules.forEach((expr, i) => {
        new scheduler.Schedule(this, `Job${placeholderName(job.name.replace(/_/g, '-'))}Schedule${i}`, {
          description: `${job.file}: ${expr} (UTC)`,
          schedule: scheduler.ScheduleExpression.expression(expr),
          target: new schedulerTargets.StepFunctionsStartExecution(sm, {
            // StartJob resolves the job's variables (e.g. ds=${yesterday}) against this time.
            input: scheduler.ScheduleTargetInput.fromObject({ vars: {}, time: scheduler.ContextAttribute.scheduledTime }),
            retryAttempts: 3,
          }),
        });
      });
    }
    this.stateMachines = machines;
    acknowledge(sfnRole, 'A Distributed Map starts child executions of its own state machine, and submit creates one state machine per plan: all are named under the stack prefix. CloudWatch Logs delivery and X-Ray APIs take no resource ARNs.',
      ...statesFindings(this, `stateMachine:${prefix}-*`, `execution:${prefix}-*`), 'AwsSolutions-IAM5[Resource::*]');

    // ---- executions that failed, timed out or were aborted: cleanup runs for them
    const cleanup = fns['cleanup']!;
    new events.Rule(this, 'CleanupAfterUncleanEnd', {
      description: 'Runs cleanup for Shoal executions that FAILED, TIMED_OUT or were ABORTED (a Catch cannot run then)',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: { status: [...UNCLEAN_END], stateMachineArn: events.Match.prefix(machineArn(`${prefix}-`)) },
      },
      targets: [new eventTargets.LambdaFunction(cleanup, { retryAttempts: 4, maxEventAge: Duration.hours(6) })],
    });

    // ---- the API: IAM-authorised; ad-hoc queries through submit, jobs started directly
    this.api = this.buildApi(prefix, fns, machines, sfnRole, machineArn, executionArn, logGroup('Api'));

    new CfnOutput(this, 'BucketName', { value: this.bucket.bucketName });
    new CfnOutput(this, 'WarehouseUri', { value: warehouse });
    new CfnOutput(this, 'ApiUrl', { value: this.api.url });
    for (const [name, sm] of Object.entries(machines)) new CfnOutput(this, `Job${placeholderName(name.replace(/_/g, '-'))}Arn`, { value: sm.stateMachineArn });
  }

  private buildApi(
    prefix: string, fns: Record<string, lambda.Function>, machines: Record<string, sfn.StateMachine>, sfnRole: iam.Role,
    machineArn: (n: string) => string, executionArn: (n: string) => string, accessLogs: logs.LogGroup,
  ): apigw.RestApi {
    const api = new apigw.RestApi(this, 'Api', {
      restApiName: `${prefix}-api`,
      description: 'Shoal: submit queries, start jobs, read their status',
      endpointTypes: [apigw.EndpointType.REGIONAL],
      cloudWatchRole: true,
      deployOptions: {
        stageName: 'v1',
        accessLogDestination: new apigw.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields(),
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        tracingEnabled: true,
      },
      defaultMethodOptions: { authorizationType: apigw.AuthorizationType.IAM },
    });
    const validator = api.addRequestValidator('Validator', { validateRequestBody: true, validateRequestParameters: true });
    const submit = fns['submit'];
    if (submit) {
      const sub = submit.role as iam.Role;
      sub.addToPolicy(new iam.PolicyStatement({ actions: ['states:CreateStateMachine', 'states:StartExecution'], resources: [machineArn(`${prefix}-q-*`)] }));
      sub.addToPolicy(new iam.PolicyStatement({ actions: ['states:DescribeExecution', 'states:StopExecution'], resources: [executionArn(`${prefix}-*`)] }));
      sub.addToPolicy(new iam.PolicyStatement({ actions: ['iam:PassRole'], resources: [sfnRole.roleArn], conditions: { StringEquals: { 'iam:PassedToService': 'states.amazonaws.com' } } }));
      submit.addEnvironment('SHOAL_MACHINE_PREFIX', `${prefix}-q-`);
      submit.addEnvironment('SHOAL_STATE_MACHINE_ROLE', sfnRole.roleArn);
      submit.addEnvironment('SHOAL_FUNCTION_ARNS', this.toJsonString(Object.fromEntries(STATE_MACHINE_FUNCTIONS.map((n) => [placeholderName(n), fns[n]!.functionArn]))));
      acknowledge(sub, 'submit creates one state machine per distinct plan, named <stack>-q-<plan hash>, and reads and stops executions of any of the stack\'s state machines.',
        ...statesFindings(this, `stateMachine:${prefix}-q-*`, `execution:${prefix}-*`));
      const queryModel = api.addModel('QueryRequest', {
        contentType: 'application/json',
        schema: {
          type: apigw.JsonSchemaType.OBJECT,
          required: ['sql'],
          properties: { sql: { type: apigw.JsonSchemaType.STRING, minLength: 1 }, vars: { type: apigw.JsonSchemaType.OBJECT, additionalProperties: { type: apigw.JsonSchemaType.STRING } } },
        },
      });
      const integration = new apigw.LambdaIntegration(submit);
      const queries = api.root.addResource('queries');
      queries.addMethod('POST', integration, { requestValidator: validator, requestModels: { 'application/json': queryModel } });
      const one = queries.addResource('{id}');
      for (const m of ['GET', 'DELETE']) one.addMethod(m, integration, { requestValidator: validator, requestParameters: { 'method.request.path.id': true } });
    }
    if (Object.keys(machines).length > 0) {
      // StepFunctionsIntegration.startExecution takes EXPRESS machines only; a job's is STANDARD.
      const startRole = new iam.Role(this, 'ApiStartJobRole', { assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com') });
      const runModel = api.addModel('JobRunRequest', {
        contentType: 'application/json',
        schema: { type: apigw.JsonSchemaType.OBJECT, properties: { vars: { type: apigw.JsonSchemaType.OBJECT, additionalProperties: { type: apigw.JsonSchemaType.STRING } }, time: { type: apigw.JsonSchemaType.STRING } } },
      });
      const jobs = api.root.addResource('jobs');
      for (const [name, sm] of Object.entries(machines)) {
        sm.grantStartExecution(startRole);
        const integration = new apigw.AwsIntegration({
          service: 'states',
          action: 'StartExecution',
          options: {
            credentialsRole: startRole,
            passthroughBehavior: apigw.PassthroughBehavior.NEVER,
            // The execution's name is the request id (a UUID): it becomes the run's query id.
            requestTemplates: { 'application/json': `{"stateMachineArn": "${sm.stateMachineArn}", "name": "$context.requestId", "input": "$util.escapeJavaScript($input.json('$'))"}` },
            integrationResponses: [
              {
                statusCode: '202',
                responseTemplates: { 'application/json': `{"queryId": "$context.requestId", "executionArn": "$input.path('$.executionArn')"}` },
              },
              { statusCode: '400', selectionPattern: '4\\d{2}', responseTemplates: { 'application/json': `{"error": "$util.escapeJavaScript($input.path('$.message'))"}` } },
            ],
          },
        });
        jobs.addResource(name).addResource('runs').addMethod('POST', integration, {
          requestValidator: validator,
          requestModels: { 'application/json': runModel },
          methodResponses: [{ statusCode: '202' }, { statusCode: '400' }],
        });
      }
    }
    acknowledge(api, 'The API is IAM-authorised (SigV4) and serves a handful of engineers; a WAF web ACL would cost more each month than Shoal costs idle.', 'AwsSolutions-APIG3');
    acknowledge(api, 'Callers sign with IAM credentials (AuthorizationType.IAM on every method); there is no user pool.', 'AwsSolutions-COG4');
    acknowledge(api, 'API Gateway\'s account-level CloudWatch role uses the AWS-managed AmazonAPIGatewayPushToCloudWatchLogs policy, which access and execution logging require.',
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]');
    return api;
  }
}

/** cdk-nag's IAM5 finding ids for wildcard Step Functions resources in `stack`'s account and region (pseudo parameters when the stack is environment-agnostic). */
function statesFindings(stack: Stack, ...names: string[]): string[] {
  const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
  const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
  return names.map((n) => `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:${region}:${account}:${n}]`);
}

/**
 * A definition's JSON text with every `${name}` that is not one of `substituted` (a job's
 * `${ds}` in its SQL) written as `$\u007bname}`: the same JSON value once parsed, but
 * nothing that CloudFormation's DefinitionSubstitutions could take for a placeholder.
 */
export function hideLiteralPlaceholders(definition: string, substituted: readonly string[]): string {
  return definition.replace(/\$\{([^}]*)\}/g, (m, name: string) => (substituted.includes(name) ? m : `$\\u007b${name}}`));
}

/** A cdk-nag (v3) acknowledgment of each rule or finding (`Rule[finding]`) on `scope`, always with its reason. */
function acknowledge(scope: IConstruct, reason: string, ...ids: string[]): void {
  for (const id of ids) Validations.of(scope).acknowledge({ id, reason });
}
