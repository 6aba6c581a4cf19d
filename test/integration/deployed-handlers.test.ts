// The deployment's Lambda bundles (esbuild output, each in a plain Node 22 process with the
// DuckDB layer on NODE_PATH) invoked with the events AWS sends them: Step Functions task
// input from the very statemachines/*.asl.json the stack deploys, the Scheduler's input,
// API Gateway proxy events and EventBridge execution-status events. S3 is an s3rver on
// 127.0.0.1 (or SHOAL_AWS_ENDPOINT); Step Functions is aws-local-stepfunctions behind the
// SDK's own protocol (test/support/local-sfn.ts). Results are compared with DuckDB run
// directly on the raw files.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { bundleFunctions, ROOT, type Bundles } from '../../cdk/bundle.js';
import { placeholderName, STATE_MACHINE_FUNCTIONS } from '../../cdk/engine-stack.js';
import { DAYS, generateDemo } from '../../demo/generate.js';
import { runScript } from '../../lib/local/runner.js';
import type { Value } from '../../lib/local/results.js';
import type { ApiGatewayProxyEvent, ApiGatewayProxyResult } from '../../lib/runtime/api.js';
import type { ExecutionStatusChange } from '../../lib/runtime/execution-events.js';
import { openStore } from '../../lib/store/open-store.js';
import type { ObjectStore } from '../../lib/store/object-store.js';
import { normRows, startDuckDB, type Reference } from '../support/engines.js';
import { startFunctions, type LambdaFunctions } from '../support/lambda-functions.js';
import { startLocalStepFunctions, type LocalStepFunctions } from '../support/local-sfn.js';
import { startS3Server, type S3TestServer } from '../support/s3-server.js';

const PREFIX = 'Shoal';
const functionArn = (fn: string) => `arn:aws:lambda:us-east-1:000000000000:function:${PREFIX}-${fn}`;
const DAY = DAYS[0]!; // the scheduled run at 02:00 the next day computes this one

let bundles: Bundles;
let s3: S3TestServer;
let sfn: LocalStepFunctions;
let fns: LambdaFunctions;
let store: ObjectStore;
let duck: Reference;
let warehouse: string;
let dataDir: string;
const ended: ExecutionStatusChange[] = [];
const cleanups: unknown[] = [];
/** query ids to abort (through the API) once their first run-task has written its output */
const abortAfterFirstTask = new Set<string>();
const shuffleAtAbort = new Map<string, number>();
/**
 * Function invocations still running: an aborted execution stops waiting for its tasks, and
 * a task token lets the next stage start before its run-task invocation has returned.
 */
const inflight = new Set<Promise<unknown>>();

const apiEvent = (httpMethod: string, resource: string, extra: Partial<ApiGatewayProxyEvent> = {}): ApiGatewayProxyEvent & Record<string, unknown> => ({
  resource, path: resource.replace('{id}', extra.pathParameters?.['id'] ?? ''), httpMethod,
  headers: { 'content-type': 'application/json' }, multiValueHeaders: {}, queryStringParameters: null, multiValueQueryStringParameters: null,
  pathParameters: null, stageVariables: null, body: null, isBase64Encoded: false,
  requestContext: { resourcePath: resource, httpMethod, stage: 'v1', identity: { userArn: 'arn:aws:iam::000000000000:user/engineer' }, requestId: randomUUID() },
  ...extra,
});

async function api(httpMethod: string, resource: string, extra: Partial<ApiGatewayProxyEvent> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = (await fns.invoke('submit', apiEvent(httpMethod, resource, extra))) as ApiGatewayProxyResult;
  return { status: r.statusCode, body: JSON.parse(r.body) as Record<string, unknown> };
}

before(async () => {
  const out = mkdtempSync(path.join(tmpdir(), 'shoal-bundle-'));
  bundles = bundleFunctions(out);
  s3 = await startS3Server();
  process.env['SHOAL_AWS_ENDPOINT'] = s3.endpoint; // for this process's seeding and reads
  warehouse = `s3://${s3.bucket}/it-${randomUUID().slice(0, 8)}`;
  store = openStore(warehouse);
  dataDir = mkdtempSync(path.join(tmpdir(), 'shoal-it-data-'));
  await generateDemo(dataDir, 300, 3000);
  // The landing tables, filled as a landing process would (here: the demo's, on the local runner).
  await runScript(readFileSync(path.join(ROOT, 'demo', 'load_raw.sql'), 'utf8'), { warehouse, workers: 1, vars: { ds: DAY, data: dataDir } });

  sfn = await startLocalStepFunctions(async (arn, event) => {
    const fn = arn.split(':').pop()!.slice(`${PREFIX}-`.length);
    const call = fns.invoke(fn, event);
    inflight.add(call);
    void call.catch(() => undefined).finally(() => inflight.delete(call));
    const result = await call;
    const e = event as { queryId?: string; task?: number };
    if (fn === 'run-task' && e.queryId && abortAfterFirstTask.delete(e.queryId)) {
      shuffleAtAbort.set(e.queryId, (await store.list(`_jobs/${e.queryId}/shuffle/`)).length);
      const r = await api('DELETE', '/queries/{id}', { pathParameters: { id: e.queryId } });
      assert.equal(r.status, 202, JSON.stringify(r.body));
    }
    return result;
  }, async (ev) => {
    // What the execution-status rule does: its pattern matches these statuses, its target is cleanup.
    ended.push(ev);
    if (['FAILED', 'TIMED_OUT', 'ABORTED'].includes(ev.detail.status)) cleanups.push(await fns.invoke('cleanup', ev));
  });
  fns = startFunctions(bundles, {
    SHOAL_WAREHOUSE: warehouse,
    SHOAL_AWS_ENDPOINT: s3.endpoint,
    SHOAL_SFN_ENDPOINT: sfn.endpoint,
    SHOAL_LAMBDA_ENDPOINT: sfn.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: s3.connect.credentials?.accessKeyId ?? 'S3RVER',
    AWS_SECRET_ACCESS_KEY: s3.connect.credentials?.secretAccessKey ?? 'S3RVER',
    HOME: dataDir,
    SHOAL_MACHINE_PREFIX: `${PREFIX}-q-`,
    SHOAL_STATE_MACHINE_ROLE: 'arn:aws:iam::000000000000:role/shoal-state-machine',
    SHOAL_FUNCTION_ARNS: JSON.stringify(Object.fromEntries(STATE_MACHINE_FUNCTIONS.map((n) => [placeholderName(n), functionArn(n)]))),
  });

  duck = await startDuckDB();
  const csv = (file: string, columns: string) => `read_csv('${file}', delim='\u0001', header=false, quote='', escape='', nullstr='\\N', columns={${columns}})`;
  await duck.exec(`CREATE TABLE customers AS SELECT * FROM ${csv(`${dataDir}/customers.txt`, "'id':'INTEGER','name':'VARCHAR','country':'VARCHAR','segment':'VARCHAR'")}`);
  await duck.exec(`CREATE TABLE orders AS SELECT * FROM ${csv(`${dataDir}/orders/${DAY}.txt`, "'order_id':'BIGINT','customer_id':'INTEGER','amount':'DECIMAL(10,2)','status':'VARCHAR','ts':'VARCHAR'")}`);
});

after(async () => {
  await sfn?.close();
  await fns?.close();
  await s3?.stop();
});

/** The deployed definition as CloudFormation's DefinitionSubstitutions fill it. */
function deployedDefinition(job: string): string {
  let text = readFileSync(path.join(ROOT, 'statemachines', `${job}.asl.json`), 'utf8');
  for (const fn of Object.keys(bundles.functions)) text = text.split(`\${${placeholderName(fn)}FunctionArn}`).join(functionArn(fn));
  return text;
}

async function succeeded(executionArn: string) {
  const e = await sfn.wait(executionArn);
  assert.equal(e.status, 'SUCCEEDED', `${e.error}: ${e.cause} after ${sfn.invocations.slice(-3).map(([f, ev]) => `${f} ${JSON.stringify(ev).slice(0, 300)}`).join('\n')}`);
  return e;
}

const REVENUE = `SELECT coalesce(c.country, 'unknown') AS country, c.segment, count(*) AS orders, count(DISTINCT o.customer_id) AS customers,
    sum(o.amount) AS revenue, avg(o.amount) AS avg_order
  FROM orders o JOIN customers c ON o.customer_id = c.id WHERE o.status = 'paid' GROUP BY 1, 2`;

test('a scheduled run: the Scheduler\'s input starts the job, ds resolves to the day before, and the table matches DuckDB', async (t) => {
  const machine = sfn.createMachine(`${PREFIX}-daily_revenue`, deployedDefinition('daily_revenue'));
  // EventBridge Scheduler's target input with <aws.scheduler.scheduled-time> filled in.
  const exec = sfn.start(machine.arn, JSON.stringify({ vars: {}, time: `${DAYS[1]}T02:00:00Z` }));
  await succeeded(exec.arn);
  const startJob = sfn.invocations.find(([fn, e]) => fn === `${PREFIX}-start-job` && (e as { executionName: string }).executionName === exec.name)![1] as Record<string, unknown>;
  assert.deepEqual(startJob['input'], { vars: {}, time: `${DAYS[1]}T02:00:00Z` });
  const calls = sfn.invocations.filter(([, e]) => (e as { queryId?: string }).queryId === exec.name || e === startJob);
  const per: Record<string, number> = {};
  for (const [f] of calls) per[f] = (per[f] ?? 0) + 1;
  t.diagnostic(`lambda invocations of the run: ${JSON.stringify(per)}; cold starts (ms): ${JSON.stringify(fns.coldStarts)}`);
  t.diagnostic(`bundles (bytes): ${JSON.stringify(Object.fromEntries(Object.values(bundles.functions).map((b) => [b.name, b.bytes])))}`);

  const status = await api('GET', '/queries/{id}', { pathParameters: { id: exec.name } });
  assert.equal(status.status, 200);
  assert.equal(status.body['status'], 'SUCCEEDED');
  const stmts = status.body['statements'] as { kind: string; stages?: { tasks?: number; done: number }[]; result?: { rows: number } }[];
  for (const st of stmts) for (const s of st.stages ?? []) assert.equal(s.done, s.tasks, 'every planned task finished');

  // avg_order is a double summed in another order on each side: compared to 6 decimals
  const table = await runScript(`SELECT country, segment, orders, customers, revenue, round(avg_order, 6) FROM shop.daily_revenue WHERE dt = '${DAY}'`, { warehouse, workers: 1 });
  const expected = await duck.query(`SELECT country, segment, orders, customers, revenue, round(avg_order, 6) FROM (${REVENUE})`);
  assert.ok(expected.length > 5);
  assert.deepEqual(normRows(table.results[0]!.rows as Value[][], false), normRows(expected, false));

  // The job's last statement is the day's top markets, paged through the API.
  const last = stmts.length - 1;
  const page = await api('GET', '/queries/{id}', { pathParameters: { id: exec.name }, queryStringParameters: { statement: String(last) } });
  assert.equal(page.status, 200, JSON.stringify(page.body));
  const top = await duck.query(`SELECT '${DAY}' AS dt, country, sum(revenue) AS revenue, sum(orders) AS orders FROM (${REVENUE}) GROUP BY country ORDER BY revenue DESC LIMIT 5`);
  assert.deepEqual(normRows(page.body['rows'] as Value[][], true), normRows(top, true));
  assert.deepEqual(page.body['columns'], ['dt', 'country', 'revenue', 'orders']);
});

test('POST /queries plans the SQL, reuses one state machine per plan shape, and pages the rows', async () => {
  const sql = 'SELECT segment, country, count(*) AS n FROM shop.customers_raw GROUP BY segment, country';
  const first = await api('POST', '/queries', { body: JSON.stringify({ sql }) });
  assert.equal(first.status, 202, JSON.stringify(first.body));
  await succeeded(first.body['executionArn'] as string);
  const rows: Value[][] = [];
  for (let offset: number | undefined = 0; offset !== undefined;) {
    const page = await api('GET', '/queries/{id}', { pathParameters: { id: first.body['queryId'] as string }, queryStringParameters: { statement: '0', offset: String(offset), limit: '7' } });
    assert.equal(page.status, 200, JSON.stringify(page.body));
    assert.ok((page.body['rows'] as unknown[]).length <= 7);
    rows.push(...(page.body['rows'] as Value[][]));
    offset = page.body['next'] as number | undefined;
  }
  assert.deepEqual(normRows(rows, false), normRows(await duck.query('SELECT segment, country, count(*) FROM customers GROUP BY ALL'), false));

  const again = await api('POST', '/queries', { body: JSON.stringify({ sql: `${sql} HAVING count(*) > \${min}`, vars: { min: '3' } }) });
  const same = await api('POST', '/queries', { body: JSON.stringify({ sql }) });
  assert.equal(same.body['stateMachineArn'], first.body['stateMachineArn'], 'the same plan shape reuses its state machine');
  assert.notEqual(again.body['queryId'], first.body['queryId']);
  await succeeded(again.body['executionArn'] as string);
  await succeeded(same.body['executionArn'] as string);
});

test('a straggler gets a shadow: the bundled speculate invokes run-task asynchronously with the task token, and the shadow\'s SendTaskSuccess ends the iteration', async () => {
  // stage 2 (the final aggregate, four tasks): its task 0 first waits a minute before publishing
  const sql = `SET shoal.adaptive.min-parallelism=4; SET shoal.speculation.interval=1s; SET shoal.speculation.min-runtime=1s;
    SET shoal.task.progress-interval=200ms; SET shoal.test.slow-task=2:0:60000;
    SELECT segment, country, count(*) AS n FROM shop.customers_raw GROUP BY segment, country`;
  const start = Date.now();
  const sub = await api('POST', '/queries', { body: JSON.stringify({ sql }) });
  assert.equal(sub.status, 202, JSON.stringify(sub.body));
  const id = sub.body['queryId'] as string;
  await succeeded(sub.body['executionArn'] as string);
  assert.ok(Date.now() - start < 50_000, 'the job did not wait for its straggler');
  const shadows = sfn.invocations.filter(([fn, e]) => fn === `${PREFIX}-run-task` && (e as { queryId?: string; kind?: string }).queryId === id && (e as { kind?: string }).kind === 'shadow');
  assert.deepEqual(shadows.map(([, e]) => [(e as { stage: number }).stage, (e as { task: number }).task]), [[2, 0]]);
  assert.ok((shadows[0]![1] as { taskToken?: string }).taskToken, 'the shadow carries the primary\'s task token');
  const rows: Value[][] = [];
  for (let offset: number | undefined = 0; offset !== undefined;) {
    const page = await api('GET', '/queries/{id}', { pathParameters: { id }, queryStringParameters: { statement: '0', offset: String(offset) } });
    assert.equal(page.status, 200, JSON.stringify(page.body));
    rows.push(...(page.body['rows'] as Value[][]));
    offset = page.body['next'] as number | undefined;
  }
  assert.deepEqual(normRows(rows, false), normRows(await duck.query('SELECT segment, country, count(*) FROM customers GROUP BY ALL'), false));
  // the straggler stopped once the shadow had won, and removed what it had uploaded
  while (inflight.size > 0) await Promise.allSettled([...inflight]);
  assert.deepEqual((await store.list(`_staging/${id}/`)).map((o) => o.key), []);
});

test('bad requests are 400s with the SQL error position; an unknown query is a 404', async () => {
  const bad = await api('POST', '/queries', { body: JSON.stringify({ sql: 'SELECT a,\nFROM shop.customers_raw' }) });
  assert.equal(bad.status, 400);
  assert.match(bad.body['error'] as string, /^<query>:2:1: /);
  assert.equal((await api('POST', '/queries', { body: '{"sql": ' })).status, 400);
  assert.equal((await api('GET', '/queries/{id}', { pathParameters: { id: 'q-nothing-here' } })).status, 404);
});

test('DELETE /queries/{id} aborts a CTAS mid-run; the execution-status event runs cleanup and no table or job object is left', async () => {
  const sub = await api('POST', '/queries', { body: JSON.stringify({ sql: 'CREATE TABLE shop.by_country AS SELECT country, count(*) AS n FROM shop.customers_raw GROUP BY country' }) });
  assert.equal(sub.status, 202, JSON.stringify(sub.body));
  const id = sub.body['queryId'] as string;
  abortAfterFirstTask.add(id);
  const e = await sfn.wait(sub.body['executionArn'] as string);
  // the attempts the abort left running remove what they wrote once they see the job ended
  while (inflight.size > 0) await Promise.allSettled([...inflight]);
  assert.equal(e.status, 'ABORTED');
  assert.ok(shuffleAtAbort.get(id)! > 0, 'the first stage had written shuffle output when the abort came');
  const ev = ended.find((x) => x.detail.name === id)!;
  assert.equal(ev.detail.status, 'ABORTED');
  assert.ok(cleanups.length > 0);
  assert.deepEqual((await store.list(`_jobs/${id}/shuffle/`)).map((o) => o.key), []);
  assert.deepEqual((await store.list(`_staging/${id}/`)).map((o) => o.key), []);
  const status = await api('GET', '/queries/{id}', { pathParameters: { id } });
  assert.equal(status.body['status'], 'ABORTED');
  await assert.rejects(runScript('SELECT * FROM shop.by_country', { warehouse, workers: 1 }), /by_country/);
});
