// The CDK app: `npx cdk synth|deploy` runs this (see cdk.json). Plans every jobs/*.sql into
// statemachines/, bundles the functions, and builds the engine stack with cdk-nag's
// AwsSolutions checks. Settings come from CDK context (cdk.json or `-c key=value`).
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { bundleFunctions, ROOT } from './bundle.js';
import { EngineStack, type FunctionSettings } from './engine-stack.js';
import { loadJobs, writeStateMachines } from './jobs.js';

/** `writeStateMachines: false` leaves statemachines/ as checked in (the tests compare against it). */
export async function buildApp(app = new App(), opts: { appDir?: string; writeStateMachines?: boolean } = {}): Promise<{ app: App; stack: EngineStack }> {
  const appDir = opts.appDir ?? ROOT;
  const ctx = <T>(key: string): T | undefined => {
    const v = app.node.tryGetContext(key) as unknown;
    return (typeof v === 'string' && /^[[{\d]/.test(v) ? JSON.parse(v) : v) as T | undefined;
  };
  const jobs = await loadJobs(appDir);
  if (opts.writeStateMachines ?? true) writeStateMachines(appDir, jobs);
  const stack = new EngineStack(app, ctx<string>('shoal:stackName') ?? 'Shoal', {
    jobs,
    bundles: bundleFunctions(),
    functions: ctx<Record<string, FunctionSettings>>('shoal:functions'),
    logRetentionDays: ctx<number>('shoal:logRetentionDays'),
    jobFilesExpiryDays: ctx<number>('shoal:jobFilesExpiryDays'),
    stagingExpiryDays: ctx<number>('shoal:stagingExpiryDays'),
    udfAllowedLocations: [ctx<string[] | string>('shoal:udfAllowedLocations') ?? []].flat().flatMap((l) => l.split(',')).map((l) => l.trim()).filter((l) => l),
    env: { account: process.env['CDK_DEFAULT_ACCOUNT'], region: process.env['CDK_DEFAULT_REGION'] },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { app } = await buildApp();
  app.synth();
}
