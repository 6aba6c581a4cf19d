// A stage: one fragment of the plan that runs as a fan-out of identical tasks, reading
// either a table's splits or its upstream stages' shuffle output, and writing either
// hash-partitioned shuffle output or the statement's sink.
import type { BExpr, PlanNode } from '../plan/nodes.js';

export type StageOutput =
  /** `partitions` fine partitions, hashed on the keys; the reader coalesces them */
  | { readonly kind: 'hash'; readonly keys: readonly BExpr[]; readonly partitions: number }
  /** everything to one partition */
  | { readonly kind: 'single' }
  /** one object every downstream task reads whole */
  | { readonly kind: 'broadcast' }
  /** the statement's sink: result rows or table files */
  | { readonly kind: 'sink' };

export interface Stage {
  readonly id: number;
  /** the fragment; its leaves are scans, values and shuffleReads of upstream stages */
  readonly fragment: PlanNode;
  readonly output: StageOutput;
  /** upstream stage ids */
  readonly inputs: readonly number[];
}
