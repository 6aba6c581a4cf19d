// Small helpers shared by the stores.
import { ShoalError } from '../common/errors.js';

const utf8 = new TextEncoder();

export function toBytes(body: Uint8Array | string): Uint8Array {
  return typeof body === 'string' ? utf8.encode(body) : body;
}

/**
 * Orders keys the way S3 lists them: by UTF-8 bytes. Plain string comparison goes by
 * UTF-16 code units, which disagrees for characters outside the BMP.
 */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Runs `fn` over `items` with at most `limit` calls in flight; results keep input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    // Stop handing out work once one call has failed, so a bad batch fails fast.
    while (!failed && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i]!, i);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

export function validateRange(key: string, range: { start: number; end: number }): void {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new ShoalError('store', `invalid byte range [${start}, ${end}) for ${key}: expected integers with 0 <= start <= end`);
  }
}
