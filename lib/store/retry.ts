// Our own retry loop around every S3 call. The SDK retries too, but its attempts are
// invisible to us; this one reports each retry (for metrics and tests), also covers
// failures while a response body is being read (which the SDK cannot retry), and
// lets each operation decide what else is transient (e.g. 409 on conditional puts).

export interface RetryOptions {
  /** total attempts including the first; default 6 */
  readonly maxAttempts?: number;
  /** first backoff in ms; default 100 */
  readonly baseDelayMs?: number;
  /** cap on one backoff in ms; default 5000 */
  readonly maxDelayMs?: number;
  /** called before each retry; `attempt` is the 1-based attempt that failed */
  readonly onRetry?: (info: RetryInfo) => void;
  /** injectable for tests */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

export interface RetryInfo {
  readonly operation: string;
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: unknown;
}

const THROTTLE_CODES = new Set([
  'SlowDown', 'Throttling', 'ThrottlingException', 'ThrottledException', 'RequestThrottled', 'RequestThrottledException',
  'TooManyRequestsException', 'RequestLimitExceeded', 'BandwidthLimitExceeded', 'ProvisionedThroughputExceededException',
  'EC2ThrottledException', 'PriorRequestNotComplete',
]);
const TRANSIENT_CODES = new Set([
  'InternalError', 'ServiceUnavailable', 'RequestTimeout', 'RequestTimeoutException', 'TimeoutError',
  'RequestTimeTooSkewed', // the SDK corrects its clock offset from the failed response, so a retry can succeed
]);
const NETWORK_CODES = new Set([
  'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'EAI_AGAIN', 'ENOTCONN', 'EHOSTUNREACH', 'ENETUNREACH',
  'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'ERR_STREAM_PREMATURE_CLOSE',
]);
const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
}

/** Whether a failed S3 call is worth repeating: throttling, 5xx, or a broken connection. */
export function isTransientError(e: unknown, depth = 0): boolean {
  if (typeof e !== 'object' || e === null || depth > 4) return false;
  const err = e as ErrorLike;
  const status = err.$metadata?.httpStatusCode;
  if (status !== undefined && RETRYABLE_STATUS.has(status)) return true;
  for (const c of [err.name, err.code]) {
    if (typeof c === 'string' && (THROTTLE_CODES.has(c) || TRANSIENT_CODES.has(c) || NETWORK_CODES.has(c))) return true;
  }
  if (err.$retryable) return true;
  if (typeof err.message === 'string' && /socket hang up|ECONNRESET|premature close/i.test(err.message)) return true;
  return err.cause !== undefined && isTransientError(err.cause, depth + 1);
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class Retrier {
  /** retries performed so far, across all operations */
  retries = 0;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly opts: RetryOptions = {}) {
    this.maxAttempts = Math.max(1, opts.maxAttempts ?? 6);
    this.baseDelayMs = opts.baseDelayMs ?? 100;
    this.maxDelayMs = opts.maxDelayMs ?? 5000;
    this.sleep = opts.sleep ?? defaultSleep;
    this.random = opts.random ?? Math.random;
  }

  /** "Full jitter" backoff: spreads out clients that failed together so they do not retry in lockstep. */
  delayFor(attempt: number): number {
    const cap = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(cap * this.random());
  }

  async run<T>(operation: string, fn: () => Promise<T>, extraTransient?: (e: unknown) => boolean): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (e) {
        const transient = isTransientError(e) || (extraTransient?.(e) ?? false);
        if (!transient || attempt >= this.maxAttempts) throw e;
        const delayMs = this.delayFor(attempt);
        this.retries++;
        this.opts.onRetry?.({ operation, attempt, delayMs, error: e });
        await this.sleep(delayMs);
      }
    }
  }
}
