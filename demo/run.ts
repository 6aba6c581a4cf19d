// `npm run demo`: generates the web-shop data, then for each day loads it (demo/load_raw.sql)
// and runs the nightly job (jobs/daily_revenue.sql, the one a deployment schedules) with
// `shoal run`, exactly as a user would, and says where the Parquet files are.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { DAYS, generateDemo } from './generate.js';

const data = resolve('demo/data');
const warehouse = resolve('demo/warehouse');
await generateDemo(data);
process.stderr.write(`generated demo data in ${data}\n`);
for (const ds of DAYS) {
  process.stderr.write(`\n== daily job for ${ds}\n`);
  for (const [file, ...vars] of [['demo/load_raw.sql', `ds=${ds}`, `data=${data}`], ['jobs/daily_revenue.sql', `ds=${ds}`]]) {
    const r = spawnSync(process.execPath, ['bin/shoal.mjs', 'run', '-f', file!, '--warehouse', warehouse, ...vars.flatMap((v) => ['--var', v])], { stdio: 'inherit' });
    if (r.status !== 0) { process.exitCode = r.status ?? 1; break; }
  }
  if (process.exitCode) break;
}
if (!process.exitCode) process.stderr.write(`\nParquet output: ${warehouse}/shop.db/daily_revenue/dt=*/\n`);
