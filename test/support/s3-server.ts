// An S3 endpoint for tests. By default a real s3rver in a child process, on 127.0.0.1
// and a port picked at run time; when SHOAL_AWS_ENDPOINT is set (e.g. LocalStack) that
// endpoint is used instead, with a bucket of our own made and removed there.
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createBucket, removeBucket } from '../../lib/store/s3-admin.js';
import { TEST_CREDENTIALS, type S3ConnectOptions } from '../../lib/store/s3-client.js';

export interface S3TestServer {
  readonly endpoint: string;
  readonly bucket: string;
  /** what an S3Store needs to reach it (spread into S3StoreOptions) */
  readonly connect: S3ConnectOptions;
  /** 's3rver' when we started one, else 'external' */
  readonly kind: 's3rver' | 'external';
  stop(): Promise<void>;
}

const CHILD = fileURLToPath(new URL('./s3rver-child.mjs', import.meta.url));
const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 3_000;

export async function startS3Server(): Promise<S3TestServer> {
  const external = process.env['SHOAL_AWS_ENDPOINT'];
  if (external) {
    const bucket = `shoal-test-${randomUUID().slice(0, 12)}`;
    const connect: S3ConnectOptions = { endpoint: external };
    await createBucket(bucket, connect);
    return { endpoint: external, bucket, connect, kind: 'external', stop: () => removeBucket(bucket, connect) };
  }
  const bucket = 'shoal-test';
  const env = { ...process.env };
  delete env['NODE_TEST_CONTEXT']; // the child is a server, not a test file
  delete env['NODE_OPTIONS']; // keep loaders like tsx out of it
  const child = fork(CHILD, [bucket], {
    execPath: process.execPath,
    execArgv: ['--openssl-legacy-provider'],
    stdio: ['pipe', 'ignore', 'inherit', 'ipc'],
    env,
  });
  const killOnExit = () => child.kill('SIGTERM');
  process.on('exit', killOnExit);
  let port: number;
  try {
    port = await waitForPort(child);
  } catch (e) {
    child.kill('SIGKILL');
    process.off('exit', killOnExit);
    throw e;
  }
  // Let the test process exit on its own; the exit hook (or, if we are killed, the
  // child's watch on IPC and stdin) takes the server down with it.
  child.unref();
  child.channel?.unref();
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    connect: { endpoint, credentials: { ...TEST_CREDENTIALS } },
    kind: 's3rver',
    stop: async () => {
      process.off('exit', killOnExit);
      await stopChild(child);
    },
  };
}

/** Runs `fn` with a server that is stopped afterwards, whatever `fn` does. */
export async function withS3<T>(fn: (server: S3TestServer) => Promise<T>): Promise<T> {
  const server = await startS3Server();
  try {
    return await fn(server);
  } finally {
    await server.stop();
  }
}

function waitForPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`s3rver did not start within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    const onMessage = (m: unknown) => {
      const port = (m as { port?: unknown } | null)?.port;
      if (typeof port === 'number') done(undefined, port);
    };
    const onExit = (code: number | null, signal: string | null) => done(new Error(`s3rver exited before it was ready (code ${code}, signal ${signal}); see its stderr above`));
    const onError = (e: Error) => done(e);
    function done(err: Error | undefined, port?: number) {
      clearTimeout(timer);
      child.off('message', onMessage).off('exit', onExit).off('error', onError);
      if (err) reject(err);
      else resolve(port!);
    }
    child.on('message', onMessage).on('exit', onExit).on('error', onError);
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    // a ref'd timer: keeps this process alive until the child is really gone
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    if (!child.connected || !child.send('stop')) child.kill('SIGTERM');
  });
}
