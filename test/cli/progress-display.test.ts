// The terminal display: redrawn in place while a statement runs; a finished statement's
// table stays above the next one's; the last picture stays on screen at the end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { progressTable, terminalDisplay } from '../../lib/cli/progress-display.js';
import type { JobProgress, StageProgress } from '../../lib/local/watch-progress.js';

/** A stream that says it is an 80x24 terminal and keeps what is written to it. */
function terminal(): { stream: NodeJS.WriteStream; text: () => string } {
  const s = new PassThrough();
  let out = '';
  s.on('data', (d: Buffer) => { out += d.toString('utf8'); });
  Object.assign(s, { isTTY: true, columns: 80, rows: 24 });
  return { stream: s as unknown as NodeJS.WriteStream, text: () => out };
}

const T0 = Date.now();
const stage = (statement: number, id: number, done: number, total: number): StageProgress => ({
  statement, stage: id, state: total === 0 ? 'waiting' : done === total ? 'done' : 'running', total, done, running: total - done,
  attempts: done, rows: 10 * done, bytes: 1024 * done, shadows: 0, shadowsWon: 0,
  startedAt: total ? T0 : undefined, endedAt: total && done === total ? T0 + 2_000 : undefined,
});
const job = (statement: number, stages: StageProgress[]): JobProgress => ({ queryId: 'q', statement, statements: 2, stages });

test('redraws the running statement in place and keeps finished statements above', () => {
  const t = terminal();
  const d = terminalDisplay(t.stream);
  const pictures = [
    job(0, [stage(0, 1, 0, 4), stage(0, 2, 0, 0), stage(1, 1, 0, 0)]),
    job(0, [stage(0, 1, 4, 4), stage(0, 2, 1, 2), stage(1, 1, 0, 0)]),
    job(1, [stage(0, 1, 4, 4), stage(0, 2, 2, 2), stage(1, 1, 1, 1)]),
  ];
  for (const p of pictures) d.update(p);
  d.finish();
  // log-update rewrites only the lines that changed: what reaches the terminal, escapes removed
  const written = stripVTControlCharacters(t.text());
  const second = progressTable(pictures[2]!, Date.now());
  assert.ok(written.trimEnd().endsWith(second), `statement 2's table is drawn last:\n${written}`);
  const head1 = written.indexOf('statement 1 of 2');
  assert.ok(head1 >= 0 && head1 < written.indexOf('statement 2 of 2'));
  assert.equal(written.split('statement 1 of 2').length, 2, 'statement 1 redrawn in place: its unchanged header is written once');
  for (const line of progressTable({ ...pictures[2]!, statement: 0 }, Date.now()).split('\n')) assert.ok(written.includes(line), line);
  assert.ok(written.includes('1/2 done, 1 running'), 'the intermediate picture was drawn');
  // statement 2 starts a fresh frame below statement 1's, rather than moving up over it
  const raw = t.text();
  const between = raw.slice(raw.lastIndexOf('2/2 done'), raw.indexOf('statement 2 of 2'));
  assert.doesNotMatch(between, /\x1b\[\d*A/);
});
