// Hive's conditional functions (CASE is syntax and binds in bind-expr).
import { T } from '../../common/types.js';
import { INF, common, fixed, fn, type ScalarSignature } from './signature.js';

const sameType = (min: number, max: number) => fn(min, max, common, (a) => a.map(() => common(a)));

export const CONDITIONAL_FUNCTIONS: Record<string, ScalarSignature> = {
  if: fn(3, 3, (a) => common(a.slice(1)), (a) => [T.boolean, common(a.slice(1)), common(a.slice(1))]),
  nvl: sameType(2, 2),
  coalesce: sameType(1, INF),
  nullif: sameType(2, 2),
  isnull: fn(1, 1, fixed(T.boolean)),
  isnotnull: fn(1, 1, fixed(T.boolean)),
  // Hive's assert_true returns NULL (type void) or fails the query
  assert_true: fn(1, 1, fixed(T.void), () => [T.boolean]),
};
