// `shoal run`'s live progress on stderr (issue 6). On a terminal the running statement's
// stages are redrawn in place (log-update); anywhere else (CI logs, pipes) each stage gets
// one line when it starts and one when it ends, so a log stays short and greppable.
import { createLogUpdate } from 'log-update';
import type { JobProgress, StageProgress } from '../local/watch-progress.js';
import { formatBytes } from './format.js';

export interface ProgressDisplay {
  update(p: JobProgress): void;
  /** leaves the last picture on screen; call before anything else is written */
  finish(): void;
}

const count = new Intl.NumberFormat('en-US');
const seconds = (ms: number) => `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
const plural = (n: number, word: string) => `${count.format(n)} ${word}${n === 1 ? '' : 's'}`;

/** `stage 3` within `statement 2` as `explain` numbers them (statements from 1). */
export const stageName = (p: Pick<StageProgress, 'statement' | 'stage'>) => `statement ${p.statement + 1}, stage ${p.stage}`;

function speculation(p: StageProgress): string {
  return p.shadows === 0 ? '' : `; ${plural(p.shadows, 'shadow')} launched, ${count.format(p.shadowsWon)} won`;
}

/** One stage as a row of the live table. */
export function stageRow(p: StageProgress, now: number): string {
  const head = `stage ${String(p.stage).padStart(2)}`;
  if (p.state === 'waiting') return `${head}  waiting`;
  const elapsed = seconds((p.endedAt ?? now) - (p.startedAt ?? now));
  const tasks = `${count.format(p.done)}/${count.format(p.total)} done${p.state === 'running' ? `, ${count.format(p.running)} running` : ''}`;
  const volume = p.attempts === 0 ? '' : `  ${plural(p.rows, 'row')}  ${formatBytes(p.bytes)}`;
  return `${head}  ${p.state === 'done' ? 'done   ' : 'running'}  ${tasks}${volume}  ${elapsed}${speculation(p)}`;
}

/** The line a log gets when a stage starts. */
export const startLine = (p: StageProgress) => `${stageName(p)}: started, ${plural(p.total, 'task')}`;

/** The line a log gets when a stage ends. */
export function endLine(p: StageProgress): string {
  const elapsed = p.startedAt !== undefined && p.endedAt !== undefined ? ` in ${seconds(p.endedAt - p.startedAt)}` : '';
  const volume = p.attempts === 0 ? '' : `, ${plural(p.rows, 'row')}, ${formatBytes(p.bytes)} read`;
  return `${stageName(p)}: done, ${plural(p.total, 'task')}${elapsed}${volume}${speculation(p)}`;
}

/** The live table of the statement being run. */
export function progressTable(p: JobProgress, now: number): string {
  const stages = p.stages.filter((s) => s.statement === p.statement);
  return [`statement ${p.statement + 1} of ${p.statements}`, ...stages.map((s) => `  ${stageRow(s, now)}`)].join('\n');
}

/** Redraws in place; when the job moves to the next statement, the finished one's table stays above. */
export function terminalDisplay(stream: NodeJS.WriteStream): ProgressDisplay {
  const log = createLogUpdate(stream);
  let last: JobProgress | undefined;
  return {
    update(p) {
      if (last && last.statement !== p.statement) {
        // the finished statement's stages as this picture has them (its final state)
        log(progressTable({ ...p, statement: last.statement }, Date.now()));
        log.done();
      }
      last = p;
      log(progressTable(p, Date.now()));
    },
    finish() {
      if (last) log.done();
    },
  };
}

/** One line per stage start and end, each printed once. */
export function lineDisplay(write: (line: string) => void): ProgressDisplay {
  const started = new Set<string>();
  const ended = new Set<string>();
  return {
    update(p) {
      for (const s of p.stages) {
        const key = `${s.statement}/${s.stage}`;
        if (s.state === 'waiting') continue;
        if (!started.has(key)) { started.add(key); write(startLine(s)); }
        if (s.state === 'done' && !ended.has(key)) { ended.add(key); write(endLine(s)); }
      }
    },
    finish() {},
  };
}
