// Hive's hash and digest functions.
import { sqlError } from '../../common/errors.js';
import { T, isPrimitive, type HiveType } from '../../common/types.js';
import { INF, fixed, fn, type ScalarSignature } from './signature.js';

const bytes = (a: readonly HiveType[]) => [isPrimitive(a[0]!, 'binary') ? T.binary : T.string];
const digest = fn(1, 1, fixed(T.string), bytes);

export const HASH_FUNCTIONS: Record<string, ScalarSignature> = {
  md5: digest, sha1: digest, sha: digest,
  sha2: fn(2, 2, fixed(T.string), (a) => [...bytes(a), T.int], (args, pos) => {
    const b = args[1]!;
    if (!(b.kind === 'lit' && typeof b.value === 'string' && ['0', '224', '256', '384', '512'].includes(b.value)))
      throw sqlError(`sha2(): the bit length must be a constant 224, 256, 384 or 512 (0 means 256)`, pos);
  }),
  crc32: fn(1, 1, fixed(T.bigint), bytes),
  // Java hashCode of each argument combined as 31 * h + x, as Hive's ObjectInspectorUtils does
  hash: fn(1, INF, fixed(T.int)),
};
