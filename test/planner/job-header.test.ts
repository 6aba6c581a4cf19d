import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseJobHeader, resolveVars } from '../../lib/planner/job-header.js';

test('the header gives schedules and variables; comments after the first statement are not header', () => {
  const h = parseJobHeader(`-- A nightly job.
-- schedule: cron(0 2 * * ? *)
-- schedule: rate(7 days)
-- var: ds=\${yesterday}
--var:region = eu

SELECT 1;
-- var: late=1
`);
  assert.deepEqual(h, { schedules: ['cron(0 2 * * ? *)', 'rate(7 days)'], vars: { ds: '${yesterday}', region: 'eu' } });
});

test('a malformed header line is an error naming its file and line', () => {
  assert.throws(() => parseJobHeader('-- x\n-- schedule: at 2am\n', 'jobs/a.sql'), /jobs\/a\.sql:2:1: expected a schedule like cron/);
  assert.throws(() => parseJobHeader('-- var: ds\n', 'jobs/a.sql'), /jobs\/a\.sql:1:1: expected a variable as name=value/);
});

test('clock variables resolve against the run time, and passed values win', () => {
  const h = parseJobHeader('-- var: ds=${yesterday}\n-- var: at=${scheduled_time}\n-- var: span=${yesterday}..${today}\n');
  const t = new Date('2024-03-01T02:00:00Z');
  assert.deepEqual(resolveVars(h, {}, t), { ds: '2024-02-29', at: '2024-03-01T02:00:00.000Z', span: '2024-02-29..2024-03-01' });
  assert.equal(resolveVars(h, { ds: '2023-12-31' }, t).ds, '2023-12-31');
  assert.throws(() => resolveVars(h, {}, new Date('nope')), /not a valid date/);
});

test('a value naming an unknown variable is an error', () => {
  assert.throws(() => resolveVars(parseJobHeader('-- var: ds=${lastweek}\n'), {}, new Date()), /lastweek/);
});
