// Runs s3rver for the tests in a process of its own. It is a separate process because
// s3rver's ListObjectsV2 continuation tokens use DES, which Node 17+ only allows under
// --openssl-legacy-provider, a flag the test process itself should not need.
// Plain JS: started without tsx, so it comes up fast.
//
// argv: <bucket>. Reports {port} over IPC once listening; exits (removing its data
// directory) on 'stop', SIGTERM/SIGINT, or when its parent goes away (IPC or stdin closes).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';

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
