// EXPLAIN for a planned statement: the stage DAG, root last, each stage's fragment and
// the exchange kind on every edge. A shuffle join's sides say that the run-time sizing
// may still broadcast one of them (decided by plan-stage from the bytes written). Stages
// that share one fan-out (a multi-insert's scans of its source) say so.
import { explainExpr, explainPlan } from '../plan/explain.js';
import type { DataflowPlan, Sink } from '../plan/job.js';
import { leadOf } from '../stages/fragment.js';
import { shuffleJoinOf, splittableSides } from '../stages/join-sides.js';
import type { Stage } from '../stages/stage.js';
import { numberSetting } from './settings.js';

const MiB = 1024 * 1024;
const size = (b: number) => (b >= MiB && b % MiB === 0 ? `${b / MiB} MiB` : `${b} bytes`);

/** The exchange on the edge from `from` into `into`, as EXPLAIN names it. */
function edge(from: Stage, into: Stage, broadcastThreshold: number): string {
  const kind = from.output.kind;
  const join = shuffleJoinOf(into.fragment);
  if (!join || broadcastThreshold <= 0) return kind;
  // the side that may be broadcast is the one whose partner may be streamed
  const may = splittableSides(join.join.joinType);
  const broadcastable = (from.id === join.right && may.left) || (from.id === join.left && may.right);
  return broadcastable ? `${kind}, or broadcast if under ${size(broadcastThreshold)}` : kind;
}

function describeSink(sink: Sink): string {
  if (sink.kind === 'result') return `result (${sink.columns.map((c) => c.name).join(', ')})`;
  const statics = Object.entries(sink.staticPartition).map(([k, v]) => `${k}=${v ?? 'NULL'}`);
  return `${sink.create ? 'create table' : sink.overwrite ? 'insert overwrite' : 'insert into'} ${sink.db}.${sink.table}${statics.length ? ` partition (${statics.join(', ')})` : ''}${sink.dynamicPartition.length ? ` dynamic partitions (${sink.dynamicPartition.join(', ')})` : ''}`;
}

export function explainJobStatement(s: DataflowPlan): string[] {
  const lines: string[] = [];
  const threshold = numberSetting(s.settings, 'shoal.join.broadcast-threshold-bytes');
  const byId = new Map(s.stages.map((st) => [st.id, st]));
  const lead = leadOf(s.stages);
  const several = s.sinks.length > 1;
  if (several) lines.push(`${s.sinks.length} sinks, committed together: ${s.sinks.map((k, i) => `[${i}] ${describeSink(k)}`).join('; ')}`);
  for (const st of s.stages) {
    const ins = st.inputs.map((i) => `stage ${i} [${edge(byId.get(i)!, st, threshold)}]`);
    const o = st.output;
    const out = ` => ${o.kind === 'hash' ? `hash(${o.keys.map(explainExpr).join(', ')}) into ${o.partitions} partitions` : o.kind === 'sink' ? `sink${several ? ` [${o.sink}]` : ''}: ${describeSink(s.sinks[o.sink]!)}` : o.kind}`;
    const shared = st.also?.length ? ` (shared scan: its tasks also compute stage${st.also.length > 1 ? 's' : ''} ${st.also.join(', ')})`
      : lead.has(st.id) ? ` (runs in the tasks of stage ${lead.get(st.id)})` : '';
    lines.push(`Stage ${st.id}${ins.length ? ` <- ${ins.join(', ')}` : ''}${out}${shared}`);
    lines.push(...explainPlan(st.fragment, 1));
  }
  return lines;
}
