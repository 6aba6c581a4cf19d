// A stage: one fragment of the plan that runs as a fan-out of identical tasks, reading
// either a table's splits or its upstream stages' shuffle output, and writing either
// hash-partitioned shuffle output or one of the statement's sinks. Stages that scan the
// same table (a multi-insert's branches) may share one fan-out: see `also`.
import type { BExpr, PlanNode } from '../plan/nodes.js';

export type StageOutput =
  /** `partitions` fine partitions, hashed on the keys; the reader coalesces them */
  | { readonly kind: 'hash'; readonly keys: readonly BExpr[]; readonly partitions: number }
  /** everything to one partition */
  | { readonly kind: 'single' }
  /** one object every downstream task reads whole */
  | { readonly kind: 'broadcast' }
  /** one of the statement's sinks (result rows or table files): `sink` indexes the statement's `sinks` */
  | { readonly kind: 'sink'; readonly sink: number };

export interface Stage {
  readonly id: number;
  /** the fragment; its leaves are scans, values and shuffleReads of upstream stages */
  readonly fragment: PlanNode;
  readonly output: StageOutput;
  /** upstream stage ids */
  readonly inputs: readonly number[];
  /**
   * Stages that scan the same table in other branches of a multi-insert: this stage's
   * tasks download each split once and compute those stages' fragments too, each writing
   * its own output under its own id. They get no fan-out of their own.
   */
  readonly also?: readonly number[];
}
