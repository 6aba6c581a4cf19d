// Bucket lifecycle, for tests and local setups against an S3-compatible endpoint.
// Kept here so that nothing outside lib/store talks to the SDK.
import { CreateBucketCommand, DeleteBucketCommand } from '@aws-sdk/client-s3';
import { ShoalError } from '../common/errors.js';
import { createS3Client, type S3ConnectOptions } from './s3-client.js';
import { S3Store } from './s3-store.js';

export async function createBucket(bucket: string, opts: S3ConnectOptions = {}): Promise<void> {
  const client = createS3Client(opts);
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (e) {
    const name = (e as { name?: string }).name;
    if (name === 'BucketAlreadyOwnedByYou') return;
    throw new ShoalError('store', `creating bucket ${bucket} failed: ${name}: ${(e as Error).message}`, { cause: e });
  } finally {
    client.destroy();
  }
}

/** Empties the bucket, then removes it. */
export async function removeBucket(bucket: string, opts: S3ConnectOptions = {}): Promise<void> {
  const client = createS3Client(opts);
  try {
    await new S3Store({ ...opts, bucket, client }).deletePrefix('');
    await client.send(new DeleteBucketCommand({ Bucket: bucket }));
  } catch (e) {
    if ((e as { name?: string }).name === 'NoSuchBucket') return;
    throw e instanceof ShoalError ? e : new ShoalError('store', `removing bucket ${bucket} failed: ${(e as Error).message}`, { cause: e });
  } finally {
    client.destroy();
  }
}
