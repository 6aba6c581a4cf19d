// Runs s3rver for the tests in a process of its own. It is a separate process because
// s3rver's ListObjectsV2 continuation tokens use DES, which Node 17+ only allows under
// --openssl-legacy-provider, a flag the test process itself should not need.
// Plain JS: started without tsx, so it comes up fast.
//
// argv: <bucket>. Reports {port} over IPC once listening; exits (removing its data
// directory) on 'stop', SIGTERM/SIGINT, or when its parent goes away (IPC or stdin closes).
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import S3rver from 's3rver';

// s3rver answers a PUT before the object's file is fully written, and writes it in
// place, so a GET right after can read a short object (S3 itself is read-after-write
// consistent, and a PUT replaces an object whole). Write beside the object and rename.
const require = createRequire(import.meta.url);
const FilesystemStore = require('s3rver/lib/stores/filesystem');
FilesystemStore.prototype.putObject = async function putObject(object) {
  const objectPath = this.getResourcePath(object.bucket, object.key, 'object');
  await fs.promises.mkdir(path.dirname(objectPath), { recursive: true });
  const tmp = `${objectPath}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`; // not an "._S3rver_object" name: never listed
  const md5 = crypto.createHash('md5');
  let size = 0;
  const source = Buffer.isBuffer(object.content) ? Readable.from([object.content]) : object.content;
  const count = new Transform({ transform(chunk, _enc, cb) { md5.update(chunk); size += chunk.length; cb(null, chunk); } });
  try {
    await pipeline(source, count, fs.createWriteStream(tmp));
    await fs.promises.rename(tmp, objectPath);
  } catch (e) {
    await fs.promises.rm(tmp, { force: true });
    throw e;
  }
  const digest = md5.digest('hex');
  await this.putMetadata(object.bucket, object.key, object.metadata, digest);
  return { size, md5: digest };
};

const bucket = process.argv[2];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shoal-s3rver-'));
const server = new S3rver({ address: '127.0.0.1', port: 0, directory: dir, silent: true, configureBuckets: [{ name: bucket }] });

let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  // Whatever happens below, do not linger.
  setTimeout(() => process.exit(code), 2000).unref();
  try {
    server.httpServer?.closeAllConnections?.();
    await server.close();
  } catch {
    // not running yet, or already closed
  }
  fs.rmSync(dir, { recursive: true, force: true });
  process.exit(code);
}

process.on('disconnect', () => void stop());
process.on('message', (m) => { if (m === 'stop') void stop(); });
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
process.stdin.on('end', () => void stop());
process.stdin.on('error', () => void stop());
process.stdin.resume();

try {
  const { port } = await server.run();
  process.send?.({ port });
} catch (e) {
  process.stderr.write(`s3rver failed to start: ${e?.stack ?? e}\n`);
  await stop(1);
}
