// EXPLAIN for a planned statement: the stage DAG, root last, each stage's fragment and
// the exchange kind on every edge.
import { explainExpr, explainPlan } from '../plan/explain.js';
import type { StatementPlan } from '../plan/job.js';

export function explainJobStatement(s: Extract<StatementPlan, { kind: 'dataflow' }>): string[] {
  const lines: string[] = [];
  const sink = s.sink.kind === 'result'
    ? `result (${s.sink.columns.map((c) => c.name).join(', ')})`
    : `${s.sink.create ? 'create table' : s.sink.overwrite ? 'insert overwrite' : 'insert into'} ${s.sink.db}.${s.sink.table}${s.sink.dynamicPartition.length ? ` dynamic partitions (${s.sink.dynamicPartition.join(', ')})` : ''}`;
  for (const st of s.stages) {
    const out = st.output.kind === 'hash' ? `hash(${st.output.keys.map(explainExpr).join(', ')}) into ${st.output.partitions} partitions`
      : st.output.kind === 'sink' ? `sink: ${sink}` : st.output.kind;
    lines.push(`Stage ${st.id}${st.inputs.length ? ` <- ${st.inputs.map((i) => `stage ${i}`).join(', ')}` : ''} => ${out}`);
    lines.push(...explainPlan(st.fragment, 1));
  }
  return lines;
}
