import type { PlanNode } from '../plan/nodes.js';

/** A rewrite plan → plan; returns the same object when nothing changes. */
export interface OptimizerRule {
  readonly name: string;
  rewrite(plan: PlanNode, ctx: RuleContext): PlanNode;
}

export interface RuleContext {
  readonly newId: () => string;
  readonly settings: Readonly<Record<string, string>>;
}
