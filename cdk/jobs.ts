// The jobs a deployment runs: every `jobs/*.sql` in the app directory, planned at synth
// time (against an empty catalog, the variables given placeholder values) into the state
// machine written to `statemachines/<job>.asl.json` and deployed as is.
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { jobDefinition } from '../lib/asl/job-definition.js';
import { emptyCatalog } from '../lib/catalog/model.js';
import { ShoalError } from '../lib/common/errors.js';
import { parseJobHeader, resolveVars, type JobHeader } from '../lib/planner/job-header.js';
import { planJob } from '../lib/planner/plan-job.js';

export interface DeployedJob {
  readonly name: string;
  /** relative to the app directory */
  readonly file: string;
  readonly header: JobHeader;
  readonly definition: Record<string, unknown>;
}

/** A job's name is its state machine's and its route's: letters, digits, `_` and `-`. */
const JOB_NAME = /^[A-Za-z0-9_-]{1,64}$/;
/** A fixed clock for synth: the plan's shape must not depend on the day `cdk synth` runs. */
const SYNTH_TIME = new Date('2000-01-01T00:00:00Z');

export async function loadJobs(appDir: string): Promise<DeployedJob[]> {
  let files: string[];
  try {
    files = readdirSync(path.join(appDir, 'jobs')).filter((f) => f.endsWith('.sql')).sort();
  } catch {
    return [];
  }
  const jobs: DeployedJob[] = [];
  for (const f of files) {
    const name = f.slice(0, -'.sql'.length);
    const file = `jobs/${f}`;
    if (!JOB_NAME.test(name)) throw new ShoalError('config', `${file}: a job's file name must be letters, digits, _ or - (it names the state machine)`);
    const sql = readFileSync(path.join(appDir, file), 'utf8');
    const header = parseJobHeader(sql, file);
    const plan = await planJob(sql, { name, file, vars: resolveVars(header, {}, SYNTH_TIME), catalog: emptyCatalog(), queryId: 'synth' });
    jobs.push({ name, file, header, definition: jobDefinition(name, sql, plan) });
  }
  return jobs;
}

export const definitionText = (job: DeployedJob) => `${JSON.stringify(job.definition, null, 2)}\n`;
export const definitionFile = (appDir: string, job: DeployedJob) => path.join(appDir, 'statemachines', `${job.name}.asl.json`);

export function writeStateMachines(appDir: string, jobs: readonly DeployedJob[]): void {
  mkdirSync(path.join(appDir, 'statemachines'), { recursive: true });
  for (const j of jobs) writeFileSync(definitionFile(appDir, j), definitionText(j));
}
