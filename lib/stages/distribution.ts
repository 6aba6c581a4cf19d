// Inserts exchanges where an operator needs its input distributed differently from how
// it arrives: grouping and equi-joins need rows hashed on their keys, a global sort or a
// final LIMIT needs one partition, a join without keys needs its build side everywhere.
import type { BExpr, Distribution, PlanNode } from '../plan/nodes.js';
import { schemaOf } from '../plan/nodes.js';

const exchange = (input: PlanNode, dist: Distribution): PlanNode => ({ kind: 'exchange', input, dist });
const refs = (n: PlanNode): BExpr[] => schemaOf(n).map((c) => ({ kind: 'ref', id: c.id, type: c.type }));

/** True when every row of the node's output already sits in one partition. */
function isSingle(n: PlanNode): boolean {
  switch (n.kind) {
    case 'exchange': return n.dist.kind === 'single';
    case 'values': return true;
    case 'sort': case 'limit': case 'filter': case 'project': case 'window': case 'expand': case 'generate': return isSingle(n.input);
    case 'aggregate': return n.phase !== 'partial' && isSingle(n.input);
    case 'union': return false;
    case 'join': return isSingle(n.left) && (isSingle(n.right) || (n.right.kind === 'exchange' && n.right.dist.kind === 'broadcast'));
    default: return false;
  }
}

export function addExchanges(node: PlanNode): PlanNode {
  switch (node.kind) {
    case 'scan': case 'values': case 'shuffleRead': return node;
    // An exchange before this pass is the user's DISTRIBUTE BY / CLUSTER BY.
    case 'exchange': case 'filter': case 'project': case 'expand': case 'generate': return { ...node, input: addExchanges(node.input) };
    case 'window': {
      // Each PARTITION BY group must sit in one task; without PARTITION BY, everything does.
      const input = addExchanges(node.input);
      if (isSingle(input)) return { ...node, input };
      return { ...node, input: exchange(input, node.partitionBy.length ? { kind: 'hash', keys: node.partitionBy } : { kind: 'single' }) };
    }
    case 'aggregate': {
      const input = addExchanges(node.input);
      if (node.phase === 'partial' || isSingle(input)) return { ...node, input };
      const keys = node.keys.map((k) => k.expr);
      return { ...node, input: exchange(input, keys.length ? { kind: 'hash', keys } : { kind: 'single' }) };
    }
    case 'join': {
      const left = addExchanges(node.left);
      const right = addExchanges(node.right);
      if (isSingle(left) && isSingle(right)) return { ...node, left, right, strategy: 'single' };
      if (node.leftKeys.length > 0)
        return {
          ...node, strategy: 'shuffle',
          left: exchange(left, { kind: 'hash', keys: node.leftKeys }),
          right: exchange(right, { kind: 'hash', keys: node.rightKeys }),
        };
      // No equi keys: every left row must meet every right row. Left-preserving joins can
      // stream the left side against a broadcast right; the others gather both sides.
      if (node.joinType === 'right' || node.joinType === 'full')
        return { ...node, strategy: 'single', left: exchange(left, { kind: 'single' }), right: exchange(right, { kind: 'single' }) };
      return { ...node, strategy: 'broadcast', left, right: exchange(right, { kind: 'broadcast' }) };
    }
    case 'union': {
      // Each input hashed on all its columns: any partitioning works for UNION ALL, and
      // this one gives the union's stage the same partition ranges on every input.
      return { ...node, inputs: node.inputs.map((i) => { const x = addExchanges(i); return exchange(x, { kind: 'hash', keys: refs(x) }); }) };
    }
    case 'sort': {
      const input = addExchanges(node.input);
      return { ...node, input: isSingle(input) || node.local ? input : exchange(input, { kind: 'single' }) };
    }
    case 'limit': {
      const input = addExchanges(node.input);
      if (isSingle(input)) return { ...node, input };
      // Each task keeps its first limit+offset rows; one task then takes the final ones.
      const partial: PlanNode = { kind: 'limit', input, limit: node.limit + node.offset, offset: 0 };
      return { ...node, input: exchange(partial, { kind: 'single' }) };
    }
  }
}

function userDistributed(p: PlanNode): boolean {
  if (p.kind === 'project') return userDistributed(p.input);
  return (p.kind === 'sort' && !!p.local) || p.kind === 'exchange';
}

/** Adds what the sink needs at the root: one partition for result rows; rows hashed on the dynamic partition columns for table writes (unless turned off). */
export function distributeForSink(plan: PlanNode, sink: { kind: 'result' } | { kind: 'table'; dynamicKeys: readonly BExpr[]; shuffleDynamic: boolean }): PlanNode {
  const p = addExchanges(plan);
  if (sink.kind === 'result') return isSingle(p) ? p : exchange(p, { kind: 'single' });
  // DISTRIBUTE BY / SORT BY already decided which task writes which rows, as in Hive.
  if (sink.dynamicKeys.length && sink.shuffleDynamic && !isSingle(p) && !userDistributed(p)) return exchange(p, { kind: 'hash', keys: sink.dynamicKeys });
  return p;
}

