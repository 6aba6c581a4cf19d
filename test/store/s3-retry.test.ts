// S3Store's own retry loop, against a tiny fake S3 on 127.0.0.1 that misbehaves on cue:
// throttling, connection resets (before and during a body), and errors that must not
// be retried.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { isShoalError } from '../../lib/common/errors.js';
import { Retrier, type RetryInfo } from '../../lib/store/retry.js';
import { S3Store, type S3StoreOptions } from '../../lib/store/s3-store.js';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, n: number, body: string) => void;

interface FakeS3 {
  readonly endpoint: string;
  /** "METHOD /path?query" of every request received */
  readonly seen: string[];
  close(): Promise<void>;
}

/** Serves `handler`, which gets each request with its 1-based sequence number and its body. */
async function fakeS3(handler: Handler): Promise<FakeS3> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push(`${req.method} ${req.url}`);
      handler(req, res, seen.length, Buffer.concat(chunks).toString('utf8'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function s3Error(res: http.ServerResponse, status: number, code: string, message: string): void {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>r</RequestId></Error>`;
  res.writeHead(status, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(xml) });
  res.end(xml);
}

function object(res: http.ServerResponse, body: Buffer): void {
  res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': body.length, ETag: '"e"', 'Last-Modified': new Date().toUTCString() });
  res.end(body);
}

/** Runs `fn` against a fake server and a store pointed at it, with fast backoff and every retry recorded. */
async function withFake(handler: Handler, fn: (store: S3Store, fake: FakeS3, retries: RetryInfo[]) => Promise<void>, extra: Partial<S3StoreOptions> = {}): Promise<void> {
  const fake = await fakeS3(handler);
  const retries: RetryInfo[] = [];
  const store = new S3Store({
    ...extra,
    bucket: 'bkt',
    prefix: 'pre',
    endpoint: fake.endpoint, // explicit, so a SHOAL_AWS_ENDPOINT in the environment does not take over
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    retry: { baseDelayMs: 1, maxDelayMs: 5, onRetry: (info) => retries.push(info) },
  });
  try {
    await fn(store, fake, retries);
  } finally {
    store.client.destroy();
    await fake.close();
  }
}

const PAYLOAD = Buffer.from('the right bytes, all of them');

test('503 SlowDown twice, then success: the store retries and returns the object', async () => {
  await withFake((_req, res, n) => (n <= 2 ? s3Error(res, 503, 'SlowDown', 'Please reduce your request rate.') : object(res, PAYLOAD)), async (store, fake, retries) => {
    const got = await store.get('k');
    assert.deepEqual(Buffer.from(got), PAYLOAD);
    assert.deepEqual(fake.seen, ['GET /bkt/pre/k?x-id=GetObject', 'GET /bkt/pre/k?x-id=GetObject', 'GET /bkt/pre/k?x-id=GetObject']);
    assert.equal(store.retries, 2);
    assert.deepEqual(retries.map((r) => [r.operation, r.attempt, (r.error as Error).name]), [['GetObject', 1, 'SlowDown'], ['GetObject', 2, 'SlowDown']]);
    assert.equal(store.counters.get, 1, 'retries are not extra calls');
    assert.equal(store.counters.bytesRead, PAYLOAD.length);
  });
});

test('a connection reset before any response is retried', async () => {
  await withFake((req, res, n) => (n === 1 ? req.socket.destroy() : object(res, PAYLOAD)), async (store, fake, retries) => {
    assert.deepEqual(Buffer.from(await store.get('k')), PAYLOAD);
    assert.equal(fake.seen.length, 2);
    assert.equal(retries.length, 1);
    assert.match(String((retries[0]!.error as Error).message) + (retries[0]!.error as { code?: string }).code, /socket hang up|ECONNRESET/i);
  });
});

test('a connection reset halfway through the body is retried, and the bytes are whole', async () => {
  await withFake((_req, res, n) => {
    if (n > 1) return object(res, PAYLOAD);
    res.writeHead(200, { 'Content-Length': PAYLOAD.length, ETag: '"e"' });
    res.write(PAYLOAD.subarray(0, 5), () => setTimeout(() => res.socket?.destroy(), 10));
  }, async (store, fake) => {
    assert.deepEqual(Buffer.from(await store.get('k')), PAYLOAD);
    assert.equal(fake.seen.length, 2);
    assert.equal(store.retries, 1);
  });
});

test('getToFile after a mid-body reset writes the whole object, not the torn attempt plus the retry', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'shoal-retry-'));
  try {
    await withFake((_req, res, n) => {
      if (n > 1) return object(res, PAYLOAD);
      res.writeHead(200, { 'Content-Length': PAYLOAD.length, ETag: '"e"' });
      res.write(PAYLOAD.subarray(0, 5), () => setTimeout(() => res.socket?.destroy(), 10));
    }, async (store) => {
      const out = path.join(dir, 'obj.bin');
      await store.getToFile('k', out);
      assert.deepEqual(await fs.readFile(out), PAYLOAD);
      assert.deepEqual(await fs.readdir(dir), ['obj.bin']);
      assert.equal(store.counters.bytesRead, PAYLOAD.length);
    });
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});

test('a 500 on a PUT is retried', async () => {
  await withFake((_req, res, n) => (n === 1 ? s3Error(res, 500, 'InternalError', 'We encountered an internal error.') : object(res, Buffer.alloc(0))), async (store, fake) => {
    await store.put('k', 'body');
    assert.deepEqual(fake.seen, ['PUT /bkt/pre/k?x-id=PutObject', 'PUT /bkt/pre/k?x-id=PutObject']);
    assert.equal(store.retries, 1);
  });
});

test('403 AccessDenied is not retried and surfaces as a non-retryable store error', async () => {
  await withFake((_req, res) => s3Error(res, 403, 'AccessDenied', 'Access Denied'), async (store, fake, retries) => {
    await assert.rejects(store.get('secret/k'), (e) => {
      assert.ok(isShoalError(e));
      assert.equal(e.kind, 'store');
      assert.equal(e.retryable, false);
      assert.match(e.message, /AccessDenied/);
      assert.match(e.message, /s3:\/\/bkt\/pre\/secret\/k/);
      return true;
    });
    assert.equal(fake.seen.length, 1);
    assert.equal(retries.length, 0);
  });
});

test('404 is not retried: get names the key, head says absent', async () => {
  await withFake((req, res) => (req.method === 'HEAD' ? (res.writeHead(404), res.end()) : s3Error(res, 404, 'NoSuchKey', 'The specified key does not exist.')), async (store, fake) => {
    await assert.rejects(store.get('gone'), (e) => isShoalError(e) && e.kind === 'store' && !e.retryable && e.message.includes('gone'));
    assert.equal(await store.head('gone'), undefined);
    assert.equal(fake.seen.length, 2);
  });
});

test('retries stop after maxAttempts and report a retryable store error', async () => {
  await withFake((_req, res) => s3Error(res, 503, 'SlowDown', 'Please reduce your request rate.'), async (store, fake) => {
    await assert.rejects(store.get('k'), (e) => isShoalError(e) && e.retryable && /SlowDown/.test(e.message));
    assert.equal(fake.seen.length, 6, 'default: 6 attempts');
  });
});

test('putIfAbsent: 412 means another writer won; 409 means try again', async () => {
  await withFake((req, res, n) => {
    assert.equal(req.headers['if-none-match'], '*');
    if (n === 1) return s3Error(res, 412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold');
    if (n === 2) return s3Error(res, 409, 'ConditionalRequestConflict', 'A conflicting conditional operation is currently in progress');
    return object(res, Buffer.alloc(0));
  }, async (store, fake) => {
    assert.equal(await store.putIfAbsent('v/1', 'a'), false);
    assert.equal(fake.seen.length, 1);
    assert.equal(await store.putIfAbsent('v/2', 'b'), true);
    assert.equal(fake.seen.length, 3);
  });
});

test('putIfAbsent whose first attempt landed but lost its reply still reports the win', async () => {
  let stored: string | undefined;
  await withFake((req, res, n, body) => {
    if (req.method === 'GET') return stored === undefined ? s3Error(res, 404, 'NoSuchKey', 'no') : object(res, Buffer.from(stored));
    if (stored !== undefined) return s3Error(res, 412, 'PreconditionFailed', 'exists');
    stored = body;
    if (n === 1) return void req.socket.destroy(); // stored, but the client never hears
    object(res, Buffer.alloc(0));
  }, async (store) => {
    assert.equal(await store.putIfAbsent('v/1', 'mine'), true);
  });
});

test('DeleteObjects: per-key transient errors are retried for those keys only; others are reported', async () => {
  const bodies: string[] = [];
  const deleteResult = (inner: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${inner}</DeleteResult>`;
  await withFake((_req, res, n, body) => {
    bodies.push(body);
    const xml = n === 1
      ? deleteResult('<Error><Key>pre/b</Key><Code>InternalError</Code><Message>try again</Message></Error>')
      : n === 3
        ? deleteResult('<Error><Key>pre/y</Key><Code>AccessDenied</Code><Message>Access Denied</Message></Error>')
        : deleteResult('');
    res.writeHead(200, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(xml) });
    res.end(xml);
  }, async (store) => {
    await store.delete(['a', 'b', 'c']);
    assert.match(bodies[0]!, /<Key>pre\/a<\/Key>.*<Key>pre\/b<\/Key>.*<Key>pre\/c<\/Key>/s);
    assert.doesNotMatch(bodies[1]!, /pre\/a|pre\/c/);
    assert.match(bodies[1]!, /<Key>pre\/b<\/Key>/);
    await assert.rejects(store.delete(['x', 'y']), (e) => isShoalError(e) && !e.retryable && /pre\/y \(AccessDenied/.test(e.message));
    assert.equal(bodies.length, 3);
  });
});

/** Answers the multipart calls; `part` decides each UploadPart (by part number and how often that part was tried). */
function multipartServer(part: (res: http.ServerResponse, partNumber: number, attempt: number) => void): Handler {
  const tries = new Map<number, number>();
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const xml = (body: string) => {
      res.writeHead(200, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    };
    if (req.method === 'POST' && url.searchParams.has('uploads')) {
      return xml('<InitiateMultipartUploadResult><Bucket>bkt</Bucket><Key>pre/big</Key><UploadId>U1</UploadId></InitiateMultipartUploadResult>');
    }
    if (req.method === 'PUT' && url.searchParams.has('partNumber')) {
      const n = Number(url.searchParams.get('partNumber'));
      tries.set(n, (tries.get(n) ?? 0) + 1);
      return part(res, n, tries.get(n)!);
    }
    if (req.method === 'POST' && url.searchParams.get('uploadId') === 'U1') {
      return xml('<CompleteMultipartUploadResult><Bucket>bkt</Bucket><Key>pre/big</Key><ETag>"all"</ETag></CompleteMultipartUploadResult>');
    }
    if (req.method === 'DELETE' && url.searchParams.get('uploadId') === 'U1') {
      res.writeHead(204);
      return res.end();
    }
    s3Error(res, 400, 'Unexpected', `${req.method} ${req.url}`);
  };
}

const partOk = (res: http.ServerResponse, n: number) => {
  res.writeHead(200, { ETag: `"p${n}"`, 'Content-Length': 0 });
  res.end();
};
const small = { multipartThreshold: 1000, partSize: 400, partConcurrency: 1 };
/** Names each request by the multipart step it is. */
const ops = (seen: string[]) => seen.map((r) => {
  const [method, target] = r.split(' ') as [string, string];
  const q = new URL(target, 'http://x').searchParams;
  if (method === 'POST') return q.has('uploads') ? 'create' : 'complete';
  if (method === 'PUT') return `part ${q.get('partNumber')}`;
  return method === 'DELETE' ? 'abort' : r;
});

test('multipart: a throttled part is retried on its own, then the upload completes', async () => {
  await withFake(multipartServer((res, n, attempt) => (n === 2 && attempt === 1 ? s3Error(res, 503, 'SlowDown', 'slow down') : partOk(res, n))), async (store, fake) => {
    await store.put('big', new Uint8Array(1001));
    assert.deepEqual(ops(fake.seen), ['create', 'part 1', 'part 2', 'part 2', 'part 3', 'complete']);
    assert.equal(store.retries, 1);
  }, small);
});

test('multipart: a part that fails for good aborts the upload', async () => {
  await withFake(multipartServer((res, n) => (n === 2 ? s3Error(res, 403, 'AccessDenied', 'Access Denied') : partOk(res, n))), async (store, fake) => {
    await assert.rejects(store.put('big', new Uint8Array(1001)), (e) => isShoalError(e) && /UploadPart/.test(e.message) && /AccessDenied/.test(e.message));
    assert.deepEqual(ops(fake.seen), ['create', 'part 1', 'part 2', 'abort']);
  }, small);
});

test('backoff grows exponentially up to the cap, with full jitter', async () => {
  const r = new Retrier({ baseDelayMs: 100, maxDelayMs: 1000, random: () => 1 });
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((a) => r.delayFor(a)), [100, 200, 400, 800, 1000, 1000]);
  const half = new Retrier({ baseDelayMs: 100, random: () => 0.5 });
  assert.equal(half.delayFor(3), 200);
  const slept: number[] = [];
  let calls = 0;
  const r2 = new Retrier({ maxAttempts: 3, baseDelayMs: 10, random: () => 1, sleep: async (ms) => void slept.push(ms) });
  await assert.rejects(r2.run('op', async () => {
    calls++;
    throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
  }));
  assert.equal(calls, 3);
  assert.deepEqual(slept, [10, 20]);
});
