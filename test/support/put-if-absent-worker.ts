// A separate process racing putIfAbsent on a LocalStore, to show the write is atomic
// across processes and not only within one. argv: <dir> <key> <id> <tries> <startAtEpochMs>.
// Prints the number of calls that won.
import { LocalStore } from '../../lib/store/local-store.js';

const [dir, key, id, tries, startAt] = process.argv.slice(2) as [string, string, string, string, string];
const store = new LocalStore(dir);
// Start together, so the calls really overlap rather than queue behind process start-up.
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
const results = await Promise.all(Array.from({ length: Number(tries) }, (_, i) => store.putIfAbsent(key, `${id}-${i}`)));
process.stdout.write(String(results.filter(Boolean).length));
