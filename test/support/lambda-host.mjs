// A Lambda container stand-in: a plain Node process (no tsx) that loads one bundled
// function (dist/functions/<name>/index.mjs) and runs the events its parent sends, one
// result or { errorType, errorMessage } per invocation, as the Lambda runtime reports them.
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const { handler } = await import(pathToFileURL(path.join(process.argv[2], 'index.mjs')).href);
process.on('message', async (m) => {
  if (m === 'stop') { process.exit(0); }
  try {
    const result = await handler(m.event);
    process.send({ id: m.id, ok: true, result: result ?? null });
  } catch (e) {
    process.send({ id: m.id, ok: false, errorType: e?.name ?? 'Error', errorMessage: e?.message ?? String(e) });
  }
});
process.send({ ready: true });
