// Worker threads start without the parent's TypeScript loader; register tsx, then load the worker.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

if (workerData?.threads) process.env.SHOAL_DUCKDB_THREADS = String(workerData.threads);
register();
await import('./worker.ts');
