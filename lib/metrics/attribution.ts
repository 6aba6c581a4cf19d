// Where a job's wall-clock time went: every instant of the job is shared equally among
// the activities running at that instant (two tasks executing side by side each get
// half), and an instant with nothing running is the orchestrator's (state transitions,
// invocation latency). The parts add up to the wall time exactly.
import type { Category } from './record.js';

export interface Span { readonly category: Category; readonly start: number; readonly end: number }

export const CATEGORIES: readonly Category[] = ['planning', 'planStage', 'stateMachine', 'taskStart', 'download', 'execute', 'write', 'compact', 'commit', 'cleanup', 'results'];

export function emptyTimes(): Record<Category, number> {
  return Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
}

export function attributeWallTime(start: number, end: number, spans: readonly Span[], idle: Category = 'stateMachine'): Record<Category, number> {
  const out = emptyTimes();
  const events: { at: number; category: Category; delta: 1 | -1 }[] = [];
  for (const s of spans) {
    const a = Math.max(start, s.start);
    const b = Math.min(end, s.end);
    if (b <= a) continue;
    events.push({ at: a, category: s.category, delta: 1 }, { at: b, category: s.category, delta: -1 });
  }
  events.sort((x, y) => x.at - y.at);
  const active = emptyTimes();
  let running = 0;
  let t = start;
  const advance = (to: number) => {
    const dt = to - t;
    if (dt <= 0) return;
    if (running === 0) out[idle] += dt;
    else for (const c of CATEGORIES) if (active[c] > 0) out[c] += (dt * active[c]) / running;
    t = to;
  };
  for (const ev of events) {
    advance(ev.at);
    active[ev.category] += ev.delta;
    running += ev.delta;
  }
  advance(end);
  return out;
}
