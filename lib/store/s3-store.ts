// The object store over S3. Every API call goes through our retry loop (see retry.ts);
// bodies are read inside the retried function, so a connection reset mid-download is
// retried like any other transient failure. Uploads are buffered (≤ one part at a time
// per slot) so that a retry can resend them.
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import * as fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCommand,
  type $Command,
  type S3Client,
  type S3ClientResolvedConfig,
  type ServiceInputTypes,
  type ServiceOutputTypes,
} from '@aws-sdk/client-s3';
import { ShoalError } from '../common/errors.js';
import { newCounters, type ByteRange, type ObjectInfo, type ObjectStore, type StoreCounters } from './object-store.js';
import { isTransientError, Retrier, type RetryOptions } from './retry.js';
import { createS3Client, type S3ConnectOptions } from './s3-client.js';
import { compareKeys, mapLimit, toBytes, validateRange } from './util.js';

const MiB = 1024 * 1024;
/** S3's limit on keys per DeleteObjects request */
const DELETE_BATCH = 1000;
/** S3's limit on parts per multipart upload */
const MAX_PARTS = 10_000;

export interface S3StoreOptions extends S3ConnectOptions {
  readonly bucket: string;
  /** key prefix inside the bucket; keys given to the store are relative to it */
  readonly prefix?: string;
  readonly retry?: RetryOptions;
  /** share a client between stores; by default each store makes its own */
  readonly client?: S3Client;
  /** bodies larger than this go up in parts; default 16 MiB */
  readonly multipartThreshold?: number;
  /** default 8 MiB (grown if a file would need more than 10,000 parts) */
  readonly partSize?: number;
  /** parts in flight at once; bounds memory to partConcurrency x partSize. Default 4 */
  readonly partConcurrency?: number;
}

export class S3Store implements ObjectStore {
  readonly root: string;
  readonly counters: StoreCounters = newCounters();
  readonly bucket: string;
  /** '' or ends with '/' */
  readonly prefix: string;
  readonly client: S3Client;
  /** HTTP requests sent, by S3 operation, retries included */
  readonly requests: Record<string, number> = {};
  private readonly retrier: Retrier;
  private readonly multipartThreshold: number;
  private readonly partSize: number;
  private readonly partConcurrency: number;

  constructor(opts: S3StoreOptions) {
    this.bucket = opts.bucket;
    const p = (opts.prefix ?? '').replace(/^\/+|\/+$/g, '');
    this.prefix = p === '' ? '' : `${p}/`;
    this.root = p === '' ? `s3://${this.bucket}` : `s3://${this.bucket}/${p}`;
    this.client = opts.client ?? createS3Client(opts);
    this.retrier = new Retrier(opts.retry);
    this.multipartThreshold = opts.multipartThreshold ?? 16 * MiB;
    this.partSize = opts.partSize ?? 8 * MiB;
    this.partConcurrency = opts.partConcurrency ?? 4;
  }

  /** retries our loop has made so far */
  get retries(): number {
    return this.retrier.retries;
  }

  async put(key: string, body: Uint8Array | string): Promise<void> {
    this.counters.put++;
    const bytes = toBytes(body);
    if (bytes.byteLength > this.multipartThreshold) {
      await this.multipart(key, bytes.byteLength, async (start, end) => bytes.subarray(start, end));
    } else {
      await this.putObject(key, bytes);
    }
    this.counters.bytesWritten += bytes.byteLength;
  }

  async putFile(key: string, localPath: string): Promise<void> {
    this.counters.put++;
    let size: number;
    try {
      size = (await fs.stat(localPath)).size;
    } catch (e) {
      throw new ShoalError('store', `putFile ${this.uriOf(key)}: cannot read local file ${localPath}: ${(e as Error).message}`, { cause: e });
    }
    if (size > this.multipartThreshold) {
      const fh = await fs.open(localPath, 'r');
      try {
        await this.multipart(key, size, async (start, end) => {
          const buf = Buffer.allocUnsafe(end - start);
          let done = 0;
          while (done < buf.length) {
            const { bytesRead } = await fh.read(buf, done, buf.length - done, start + done);
            if (bytesRead === 0) throw new ShoalError('store', `putFile ${this.uriOf(key)}: ${localPath} shrank while uploading`);
            done += bytesRead;
          }
          return buf;
        });
      } finally {
        await fh.close();
      }
    } else {
      // Small enough to hold: a buffer, unlike a stream, can be resent on retry.
      let bytes: Buffer;
      try {
        bytes = await fs.readFile(localPath);
      } catch (e) {
        throw new ShoalError('store', `putFile ${this.uriOf(key)}: cannot read local file ${localPath}: ${(e as Error).message}`, { cause: e });
      }
      await this.putObject(key, bytes);
    }
    this.counters.bytesWritten += size;
  }

  async putIfAbsent(key: string, body: Uint8Array | string): Promise<boolean> {
    this.counters.put++;
    const bytes = toBytes(body);
    let ambiguous = false;
    try {
      await this.retrier.run('PutObject', async () => {
        try {
          await this.send('PutObject', new PutObjectCommand({ Bucket: this.bucket, Key: this.fullKey(key), Body: bytes, ContentLength: bytes.byteLength, IfNoneMatch: '*' }));
        } catch (e) {
          // A reset after the server stored the object makes our retry see our own write as
          // "exists"; remember that, so a 412 then gets checked against our bytes.
          if (isTransientError(e) && !isConflict(e)) ambiguous = true;
          throw e;
        }
      }, isConflict);
    } catch (e) {
      if (isPreconditionFailed(e)) {
        if (ambiguous && (await this.holds(key, bytes))) {
          this.counters.bytesWritten += bytes.byteLength;
          return true;
        }
        return false;
      }
      throw this.error('PutObject', key, e);
    }
    this.counters.bytesWritten += bytes.byteLength;
    return true;
  }

  async get(key: string, range?: ByteRange): Promise<Uint8Array> {
    this.counters.get++;
    if (range) validateRange(this.uriOf(key), range);
    if (range && range.start === range.end) {
      // HTTP cannot ask for zero bytes; still fail for a missing key, as a non-empty range would.
      if (!(await this.headObject(key))) throw this.missing(key);
      return new Uint8Array(0);
    }
    const bytes = await this.call('GetObject', key, async () => {
      try {
        const res = await this.send('GetObject', new GetObjectCommand({ Bucket: this.bucket, Key: this.fullKey(key), Range: httpRange(range) }));
        return res.Body ? await res.Body.transformToByteArray() : new Uint8Array(0);
      } catch (e) {
        if (isUnsatisfiableRange(e)) return new Uint8Array(0); // start at or past the end: clamp, as the local store does
        throw e;
      }
    });
    this.counters.bytesRead += bytes.byteLength;
    return bytes;
  }

  async getToFile(key: string, localPath: string, range?: ByteRange): Promise<void> {
    this.counters.get++;
    if (range) validateRange(this.uriOf(key), range);
    await fs.mkdir(path.dirname(localPath), { recursive: true });
    // Stream into a sibling temp file and rename, so a failure never leaves a short file at localPath.
    const tmp = `${localPath}.${randomUUID()}.part`;
    try {
      let written = 0;
      if (range && range.start === range.end) {
        if (!(await this.headObject(key))) throw this.missing(key);
        await fs.writeFile(tmp, new Uint8Array(0));
      } else {
        written = await this.call('GetObject', key, async () => {
          try {
            const res = await this.send('GetObject', new GetObjectCommand({ Bucket: this.bucket, Key: this.fullKey(key), Range: httpRange(range) }));
            const out = createWriteStream(tmp); // truncates what a failed attempt left
            await pipeline((res.Body as Readable | undefined) ?? Readable.from([]), out);
            return out.bytesWritten;
          } catch (e) {
            if (isUnsatisfiableRange(e)) {
              await fs.writeFile(tmp, new Uint8Array(0));
              return 0;
            }
            throw e;
          }
        });
      }
      await fs.rename(tmp, localPath);
      this.counters.bytesRead += written;
    } catch (e) {
      await fs.rm(tmp, { force: true });
      if (e instanceof ShoalError) throw e;
      throw new ShoalError('store', `getToFile ${this.uriOf(key)} to ${localPath} failed: ${(e as Error).message}`, { cause: e });
    }
  }

  /** One CopyObject: S3 copies up to 5 GiB this way, far above what a task writes. */
  async copy(srcKey: string, dstKey: string): Promise<void> {
    this.counters.copy++;
    const CopySource = `${this.bucket}/${copySourceKey(this.fullKey(srcKey))}`;
    try {
      await this.retrier.run('CopyObject', () =>
        this.send('CopyObject', new CopyObjectCommand({ Bucket: this.bucket, Key: this.fullKey(dstKey), CopySource })));
    } catch (e) {
      if (isNotFound(e)) throw this.missing(srcKey);
      throw this.error('CopyObject', `${srcKey} -> ${dstKey}`, e);
    }
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    this.counters.head++;
    return this.headObject(key);
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    this.counters.list++;
    const out: ObjectInfo[] = [];
    let token: string | undefined;
    do {
      const page = await this.call('ListObjectsV2', prefix, () =>
        this.send('ListObjectsV2', new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix + prefix, ContinuationToken: token })));
      for (const c of page.Contents ?? []) {
        if (c.Key === undefined) continue;
        out.push({ key: c.Key.slice(this.prefix.length), size: c.Size ?? 0, lastModified: c.LastModified?.getTime() ?? 0 });
      }
      if (page.IsTruncated && !page.NextContinuationToken) {
        throw new ShoalError('store', `list ${this.uriOf(prefix)}: the server said the listing is truncated but gave no continuation token`, { retryable: false });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    // S3 already lists in this order; sorting anyway keeps other servers honest.
    return out.sort((a, b) => compareKeys(a.key, b.key));
  }

  async delete(keys: readonly string[]): Promise<void> {
    this.counters.delete++;
    const batches: string[][] = [];
    for (let i = 0; i < keys.length; i += DELETE_BATCH) batches.push(keys.slice(i, i + DELETE_BATCH));
    await mapLimit(batches, 4, (batch) => this.deleteBatch(batch));
  }

  async deletePrefix(prefix: string): Promise<void> {
    const objects = await this.list(prefix);
    await this.delete(objects.map((o) => o.key));
  }

  /** DeleteObjects reports failures per key inside a 200; retry just the keys that failed transiently. */
  private async deleteBatch(batch: readonly string[]): Promise<void> {
    let pending = batch.map((k) => this.fullKey(k));
    try {
      await this.retrier.run('DeleteObjects', async () => {
        const res = await this.send('DeleteObjects', new DeleteObjectsCommand({
          Bucket: this.bucket,
          Delete: { Objects: pending.map((Key) => ({ Key })), Quiet: true },
        }));
        const failed = (res.Errors ?? []).filter((e) => e.Code !== 'NoSuchKey');
        if (failed.length === 0) return;
        pending = failed.map((e) => e.Key ?? '');
        const transient = failed.every((e) => isTransientError({ name: e.Code }));
        const shown = failed.slice(0, 10).map((e) => `${e.Key} (${e.Code}: ${e.Message})`).join(', ');
        const more = failed.length > 10 ? ` and ${failed.length - 10} more` : '';
        throw Object.assign(new Error(`${failed.length} of the keys could not be deleted: ${shown}${more}`), { $retryable: transient });
      });
    } catch (e) {
      throw this.error('DeleteObjects', batch[0] ?? '', e);
    }
  }

  private async multipart(key: string, size: number, readPart: (start: number, end: number) => Promise<Uint8Array>): Promise<void> {
    const Key = this.fullKey(key);
    const created = await this.call('CreateMultipartUpload', key, () => this.send('CreateMultipartUpload', new CreateMultipartUploadCommand({ Bucket: this.bucket, Key })));
    const UploadId = created.UploadId;
    if (!UploadId) throw new ShoalError('store', `CreateMultipartUpload ${this.uriOf(key)}: the server returned no upload id`);
    const partSize = Math.max(this.partSize, Math.ceil(size / MAX_PARTS));
    const numbers = Array.from({ length: Math.ceil(size / partSize) }, (_, i) => i + 1);
    try {
      const parts = await mapLimit(numbers, this.partConcurrency, async (n) => {
        const start = (n - 1) * partSize;
        const body = await readPart(start, Math.min(size, start + partSize));
        const res = await this.call('UploadPart', key, () =>
          this.send('UploadPart', new UploadPartCommand({ Bucket: this.bucket, Key, UploadId, PartNumber: n, Body: body, ContentLength: body.byteLength })));
        return { PartNumber: n, ETag: res.ETag };
      });
      await this.call('CompleteMultipartUpload', key, () =>
        this.send('CompleteMultipartUpload', new CompleteMultipartUploadCommand({ Bucket: this.bucket, Key, UploadId, MultipartUpload: { Parts: parts } })));
    } catch (e) {
      // An upload left open keeps its parts, invisible and billed, until aborted.
      await this.call('AbortMultipartUpload', key, () =>
        this.send('AbortMultipartUpload', new AbortMultipartUploadCommand({ Bucket: this.bucket, Key, UploadId }))).catch(() => undefined);
      throw e;
    }
  }

  private async putObject(key: string, bytes: Uint8Array): Promise<void> {
    await this.call('PutObject', key, () =>
      this.send('PutObject', new PutObjectCommand({ Bucket: this.bucket, Key: this.fullKey(key), Body: bytes, ContentLength: bytes.byteLength })));
  }

  private async headObject(key: string): Promise<ObjectInfo | undefined> {
    try {
      const res = await this.retrier.run('HeadObject', () => this.send('HeadObject', new HeadObjectCommand({ Bucket: this.bucket, Key: this.fullKey(key) })));
      return { key, size: res.ContentLength ?? 0, lastModified: res.LastModified?.getTime() ?? 0 };
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw this.error('HeadObject', key, e);
    }
  }

  /**
   * Whether the object at `key` is exactly `bytes`. Another writer's identical bytes
   * also pass; that is harmless, since the state is then the same as if we had won.
   */
  private async holds(key: string, bytes: Uint8Array): Promise<boolean> {
    try {
      const res = await this.retrier.run('GetObject', async () => {
        const r = await this.send('GetObject', new GetObjectCommand({ Bucket: this.bucket, Key: this.fullKey(key) }));
        return r.Body ? r.Body.transformToByteArray() : new Uint8Array(0);
      });
      return Buffer.from(res).equals(bytes);
    } catch (e) {
      if (isNotFound(e)) return false;
      throw this.error('GetObject', key, e);
    }
  }

  private send<I extends ServiceInputTypes, O extends ServiceOutputTypes>(
    op: string,
    command: $Command<I, O, S3ClientResolvedConfig, ServiceInputTypes, ServiceOutputTypes>,
  ): Promise<O> {
    this.requests[op] = (this.requests[op] ?? 0) + 1;
    return this.client.send(command);
  }

  /** Runs one retried S3 operation, turning what finally escapes into a store error. */
  private async call<T>(op: string, key: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await this.retrier.run(op, fn);
    } catch (e) {
      throw this.error(op, key, e);
    }
  }

  private fullKey(key: string): string {
    return this.prefix + key;
  }

  private uriOf(key: string): string {
    return `s3://${this.bucket}/${this.prefix}${key}`;
  }

  private missing(key: string): ShoalError {
    return new ShoalError('store', `object not found: ${key} (in ${this.root})`, { retryable: false });
  }

  private error(op: string, key: string, e: unknown): ShoalError {
    if (e instanceof ShoalError) return e;
    if (isNotFound(e)) return this.missing(key);
    const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    const status = err.$metadata?.httpStatusCode;
    const detail = `${err.name ?? 'Error'}${status === undefined ? '' : ` (HTTP ${status})`}: ${err.message ?? String(e)}`;
    return new ShoalError('store', `S3 ${op} ${this.uriOf(key)} failed: ${detail}`, { retryable: isTransientError(e), cause: e });
  }
}

/**
 * x-amz-copy-source must be URL-encoded ('+', '%', spaces and non-ASCII otherwise name
 * another key). Characters S3 takes literally stay literal, which also keeps Hive's
 * `col=value` directories copyable on servers that decode the header with decodeURI.
 */
function copySourceKey(key: string): string {
  return encodeURIComponent(key).replace(/%(2F|3D|3A|40|2C|3B|24|26)/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

function httpRange(range: ByteRange | undefined): string | undefined {
  return range === undefined ? undefined : `bytes=${range.start}-${range.end - 1}`;
}

const nameOf = (e: unknown) => (e as { name?: unknown } | undefined)?.name;
const statusOf = (e: unknown) => (e as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;

/** A missing object; a missing bucket or upload is a different, louder failure. */
function isNotFound(e: unknown): boolean {
  const name = nameOf(e);
  if (name === 'NoSuchKey' || name === 'NotFound') return true;
  return statusOf(e) === 404 && name !== 'NoSuchBucket' && name !== 'NoSuchUpload';
}

function isPreconditionFailed(e: unknown): boolean {
  return nameOf(e) === 'PreconditionFailed' || statusOf(e) === 412;
}

/** S3 answers 409 when a conditional write raced another one on the same key; the outcome is then unknown, so try again. */
function isConflict(e: unknown): boolean {
  return nameOf(e) === 'ConditionalRequestConflict' || statusOf(e) === 409;
}

function isUnsatisfiableRange(e: unknown): boolean {
  return nameOf(e) === 'InvalidRange' || statusOf(e) === 416;
}
