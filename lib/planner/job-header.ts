// A job file's header: the comment lines before its first statement may say when the job
// runs and what its variables are, e.g.
//   -- schedule: cron(0 2 * * ? *)
//   -- var: ds=${yesterday}
// Schedules are EventBridge Scheduler expressions (cron(...), rate(...)), evaluated in UTC.
// Variable values may use the run's clock: ${today}, ${yesterday} (yyyy-MM-dd) and
// ${scheduled_time} (ISO-8601), taken from the time the schedule fired, or the time a
// run was submitted, so a re-run of a past schedule computes the same day.
import { ShoalError } from '../common/errors.js';
import { substituteVariables } from '../sql/variables.js';

export interface JobHeader {
  readonly schedules: readonly string[];
  /** declared variables and their default values, unresolved */
  readonly vars: Readonly<Record<string, string>>;
}

const SCHEDULE = /^(cron|rate)\(.+\)$/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function parseJobHeader(text: string, file = '<input>'): JobHeader {
  const schedules: string[] = [];
  const vars: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    if (!line.startsWith('--')) break;
    const m = /^--\s*(schedule|var)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    const where = `${file}:${i + 1}:1`;
    const value = m[2]!.trim();
    if (m[1] === 'schedule') {
      if (!SCHEDULE.test(value)) throw new ShoalError('config', `${where}: expected a schedule like cron(0 2 * * ? *) or rate(1 day), found '${value}'`);
      schedules.push(value);
    } else {
      const eq = value.indexOf('=');
      const name = eq < 0 ? '' : value.slice(0, eq).trim();
      if (!NAME.test(name)) throw new ShoalError('config', `${where}: expected a variable as name=value, e.g. ds=\${yesterday}, found '${value}'`);
      vars[name] = value.slice(eq + 1).trim();
    }
  }
  return { schedules, vars };
}

/** The clock variables a value may use, for a run at `time`. */
export function clockVars(time: Date): Record<string, string> {
  const day = (offset: number) => new Date(time.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
  return { today: day(0), yesterday: day(-1), scheduled_time: time.toISOString() };
}

/** Every declared variable's value for a run at `time`; values passed with the run win over declared ones. */
export function resolveVars(header: JobHeader, given: Readonly<Record<string, string>>, time: Date): Record<string, string> {
  if (Number.isNaN(time.getTime())) throw new ShoalError('config', 'the run time is not a valid date: expected an ISO-8601 time such as 2024-01-02T02:00:00Z');
  const clock = clockVars(time);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...header.vars, ...given })) out[k] = substituteVariables(v, { ...clock, ...given });
  return out;
}
