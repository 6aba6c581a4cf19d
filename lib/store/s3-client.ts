// Builds the one S3Client a store uses. Against real S3 the SDK's defaults hold; a custom
// endpoint (SHOAL_AWS_ENDPOINT: LocalStack, s3rver, MinIO) gets path-style addressing,
// checksums only where the API demands them (such servers often reject the SDK's
// streaming-checksum encoding), and test credentials when none are configured.
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

export interface S3ConnectOptions {
  /** default: SHOAL_AWS_ENDPOINT; unset means AWS itself */
  readonly endpoint?: string;
  /** default: AWS_REGION, AWS_DEFAULT_REGION, then us-east-1 */
  readonly region?: string;
  /** default: the SDK's chain (see `createS3Client`) */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
  /**
   * Attempts the SDK makes per call before our own retry loop sees a failure.
   * Default 1: the loops would multiply (6 x 3 = 18 tries of a dead call), and only
   * ours is observable and also covers failures while reading a response body.
   */
  readonly sdkMaxAttempts?: number;
  /** ms to establish a connection; default 5000 */
  readonly connectionTimeoutMs?: number;
  /** ms a socket may sit idle mid-request before it counts as dead; default 60000 */
  readonly socketTimeoutMs?: number;
}

/** Static credentials s3rver accepts; used only against a custom endpoint with nothing configured. */
export const TEST_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export function resolveEndpoint(opts: S3ConnectOptions): string | undefined {
  const e = opts.endpoint ?? process.env['SHOAL_AWS_ENDPOINT'];
  return e === undefined || e === '' ? undefined : e;
}

export function createS3Client(opts: S3ConnectOptions = {}): S3Client {
  const endpoint = resolveEndpoint(opts);
  const config: S3ClientConfig = {
    region: opts.region ?? process.env['AWS_REGION'] ?? process.env['AWS_DEFAULT_REGION'] ?? 'us-east-1',
    maxAttempts: opts.sdkMaxAttempts ?? 1,
    requestHandler: {
      connectionTimeout: opts.connectionTimeoutMs ?? 5000,
      socketTimeout: opts.socketTimeoutMs ?? 60_000,
    },
  };
  if (endpoint !== undefined) {
    config.endpoint = endpoint;
    config.forcePathStyle = true;
    config.requestChecksumCalculation = 'WHEN_REQUIRED';
    config.responseChecksumValidation = 'WHEN_REQUIRED';
  }
  if (opts.credentials) config.credentials = { ...opts.credentials };
  else if (endpoint !== undefined && !hasConfiguredCredentials()) config.credentials = { ...TEST_CREDENTIALS };
  return new S3Client(config);
}

/**
 * Whether any source of the SDK's default chain is configured. We look rather than
 * ask the chain, because asking ends in the EC2 metadata probe, which on a laptop or
 * CI box only fails after timeouts.
 */
export function hasConfiguredCredentials(env: NodeJS.ProcessEnv = process.env): boolean {
  const set = (name: string) => (env[name] ?? '') !== '';
  if (set('AWS_ACCESS_KEY_ID') || set('AWS_PROFILE') || set('AWS_WEB_IDENTITY_TOKEN_FILE')
    || set('AWS_CONTAINER_CREDENTIALS_RELATIVE_URI') || set('AWS_CONTAINER_CREDENTIALS_FULL_URI')) return true;
  const home = os.homedir();
  const files = [env['AWS_SHARED_CREDENTIALS_FILE'] || path.join(home, '.aws', 'credentials'), env['AWS_CONFIG_FILE'] || path.join(home, '.aws', 'config')];
  return files.some((f) => existsSync(f));
}
