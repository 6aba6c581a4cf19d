// EXPLAIN for a planned statement: the stage DAG, root last, each stage's fragment and
// the exchange kind on every edge. A shuffle join's sides say that the run-time sizing
// may still broadcast one of them (decided by plan-stage from the bytes written).
import { explainExpr, explainPlan } from '../plan/explain.js';
import type { StatementPlan } from '../plan/job.js';
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

export function explainJobStatement(s: Extract<StatementPlan, { kind: 'dataflow' }>): string[] {
  const lines: string[] = [];
  const sink = s.sink.kind === 'result'
    ? `result (${s.sink.columns.map((c) => c.name).join(', ')})`
    : `${s.sink.create ? 'create table' : s.sink.overwrite ? 'insert overwrite' : 'insert into'} ${s.sink.db}.${s.sink.table}${s.sink.dynamicPartition.length ? ` dynamic partitions (${s.sink.dynamicPartition.join(', ')})` : ''}`;
  const threshold = numberSetting(s.settings, 'shoal.join.broadcast-threshold-bytes');
  const byId = new Map(s.stages.map((st) => [st.id, st]));
  for (const st of s.stages) {
    const ins = st.inputs.map((i) => `stage ${i} [${edge(byId.get(i)!, st, threshold)}]`);
    const o = st.output;
    const out = ` => ${o.kind === 'hash' ? `hash(${o.keys.map(explainExpr).join(', ')}) into ${o.partitions} partitions` : o.kind === 'sink' ? `sink: ${sink}` : o.kind}`;
    lines.push(`Stage ${st.id}${ins.length ? ` <- ${ins.join(', ')}` : ''}${out}`);
    lines.push(...explainPlan(st.fragment, 1));
  }
  return lines;
}
