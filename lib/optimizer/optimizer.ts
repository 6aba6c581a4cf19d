// Runs the rules in order, each to a fixed point, and checks after every rule that the
// plan still produces the same columns: a rule that changes the schema is a bug.
import type { PlanNode } from '../plan/nodes.js';
import { schemaOf } from '../plan/nodes.js';
import type { OptimizerRule, RuleContext } from './rule.js';
import { pushFilters } from './push-filters.js';
import { pruneColumns } from './prune-columns.js';
import { reorderJoins } from './reorder-joins.js';
import { twoPhaseAggregate } from './two-phase-aggregate.js';

export const RULES: readonly OptimizerRule[] = [pushFilters, reorderJoins, pruneColumns, twoPhaseAggregate];

export function optimize(plan: PlanNode, ctx: RuleContext, rules: readonly OptimizerRule[] = RULES): PlanNode {
  const disabled = new Set((ctx.settings['shoal.optimizer.disabled-rules'] ?? '').split(',').map((s) => s.trim()).filter(Boolean));
  let p = plan;
  for (const rule of rules) {
    if (disabled.has(rule.name)) continue;
    const before = schemaOf(p).map((c) => c.id).join(',');
    for (let i = 0; i < 10; i++) {
      const next = rule.rewrite(p, ctx);
      if (next === p) break;
      p = next;
    }
    const after = schemaOf(p).map((c) => c.id).join(',');
    if (before !== after) throw new Error(`optimizer rule ${rule.name} changed the plan's columns from [${before}] to [${after}]`);
  }
  return p;
}
