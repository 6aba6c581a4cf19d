// TPC-H data generator for Shoal's benchmark: writes a Hive-layout warehouse
// (`<warehouse>/tpch.db/<table>/part-NNNNN.parquet`) plus month-partitioned copies of
// lineitem and orders, and a manifest. Output is a pure function of the scale factor.
//
//   npx node --import tsx bench/tpch/generate.ts --sf 0.1 --out bench/data/sf0.1 [--force]
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import {
  describeTable, MANIFEST_FILE, TPCH_DB, type TpchColumn, type TpchManifest, type TpchTable,
} from './manifest.js';
import { PARTITIONED, SCHEMAS, type BaseTable } from './schema.js';
import {
  betterBusinessBureau, genCustomer, genNation, genOrdersAndLineitems, genPart, genPartsupp, genRegion,
  genSupplier, scaleOf, type RowSink,
} from './tables.js';
import { textPool } from './text.js';
import { partFileName, PartWriter, sqlString } from './writer.js';

export type { TpchManifest, TpchTable, TpchFile, TpchColumn, TpchPartition } from './manifest.js';

/** Bump whenever generated values or the layout change, so cached warehouses are rebuilt. */
export const GENERATOR_VERSION = 1;

export interface GenerateOptions {
  readonly sf: number;
  readonly warehouseDir: string;
  /** regenerate even when a manifest for the same sf and version exists */
  readonly force?: boolean;
  /** progress lines, e.g. console.error */
  readonly log?: (line: string) => void;
}

// Rows per Parquet file, sized from measured bytes/row so that files stay under ~64 MiB.
const ROWS_PER_FILE = { customer: 500_000, part: 1_000_000, partsupp: 1_000_000 } as const;
/** Orders per batch; the batch's line items (about 4x as many rows) go to one lineitem file. */
const ORDERS_PER_FILE = 375_000;

export async function generateTpch(opts: GenerateOptions): Promise<TpchManifest> {
  const { sf, warehouseDir } = opts;
  if (!(sf >= 0.01 && sf <= 10)) throw new Error(`scale factor must be within [0.01, 10], got ${sf}`);
  const dbDir = join(warehouseDir, `${TPCH_DB}.db`);
  const manifestPath = join(dbDir, MANIFEST_FILE);
  if (!opts.force) {
    const cached = await readCachedManifest(warehouseDir, manifestPath, sf);
    if (cached) return cached;
  }

  const started = performance.now();
  const log = (line: string) => opts.log?.(`${((performance.now() - started) / 1000).toFixed(1)}s ${line}`);
  await rm(dbDir, { recursive: true, force: true });
  for (const t of Object.keys(SCHEMAS)) await mkdir(join(dbDir, t), { recursive: true });

  const db = await DuckDBInstance.create(':memory:');
  try {
    const con = await db.connect();
    await writeBaseTables(db, dbDir, sf, log);
    for (const p of PARTITIONED) {
      await writePartitioned(con, dbDir, p.base, p.name, p.column, p.from);
      log(`${p.name} written`);
    }

    const tables: TpchTable[] = [];
    for (const [name, columns] of Object.entries(SCHEMAS)) {
      tables.push(await describeTable(con, warehouseDir, name, columns, []));
    }
    for (const p of PARTITIONED) {
      const part: TpchColumn[] = [{ name: p.column, type: 'string' }];
      tables.push(await describeTable(con, warehouseDir, p.name, SCHEMAS[p.base], part));
    }
    con.closeSync();

    const manifest: TpchManifest = {
      generator: 'shoal-tpch',
      version: GENERATOR_VERSION,
      sf,
      database: TPCH_DB,
      generatedAt: new Date().toISOString(),
      seconds: Math.round((performance.now() - started) / 10) / 100,
      tables,
    };
    // Written last and renamed into place: its presence means the warehouse is complete.
    await writeFile(`${manifestPath}.tmp`, JSON.stringify(manifest, null, 2));
    await rename(`${manifestPath}.tmp`, manifestPath);
    return manifest;
  } finally {
    db.closeSync();
  }
}

async function readCachedManifest(warehouseDir: string, path: string, sf: number): Promise<TpchManifest | undefined> {
  let m: TpchManifest;
  try {
    m = JSON.parse(await readFile(path, 'utf8')) as TpchManifest;
  } catch {
    return undefined;
  }
  if (m.generator !== 'shoal-tpch' || m.version !== GENERATOR_VERSION || m.sf !== sf) return undefined;
  for (const t of m.tables) {
    for (const f of t.files) {
      const st = await stat(join(warehouseDir, f.key)).catch(() => undefined);
      if (st?.size !== f.size) return undefined;
    }
  }
  return m;
}

function ranges(first: number, last: number, step: number): [number, number][] {
  const out: [number, number][] = [];
  for (let from = first; from <= last; from += step) out.push([from, Math.min(last, from + step - 1)]);
  return out;
}

async function writeBaseTables(db: DuckDBInstance, dbDir: string, sf: number, log: (l: string) => void): Promise<void> {
  const scale = scaleOf(sf);
  const pool = textPool();
  const w = await PartWriter.open(db, dbDir);
  const one = (t: BaseTable, fill: (s: RowSink) => void) => w.batch([t], ([s]) => fill(s!));

  await one('region', (s) => genRegion(s, pool));
  await one('nation', (s) => genNation(s, pool));
  const marks = betterBusinessBureau(scale);
  await one('supplier', (s) => genSupplier(s, pool, 1, scale.suppliers, marks));
  for (const [a, b] of ranges(1, scale.customers, ROWS_PER_FILE.customer)) await one('customer', (s) => genCustomer(s, pool, a, b));
  for (const [a, b] of ranges(1, scale.parts, ROWS_PER_FILE.part)) await one('part', (s) => genPart(s, pool, a, b));
  for (const [a, b] of ranges(1, scale.parts, ROWS_PER_FILE.partsupp / 4)) {
    await one('partsupp', (s) => genPartsupp(s, pool, scale, a, b));
  }
  log('region, nation, supplier, customer, part, partsupp staged');
  let lines = 0;
  for (const [a, b] of ranges(1, scale.orders, ORDERS_PER_FILE)) {
    await w.batch(['orders', 'lineitem'], ([o, l]) => {
      lines += genOrdersAndLineitems(o!, l!, pool, scale, a, b);
    });
    log(`orders ${b}/${scale.orders}, lineitem rows ${lines}`);
  }
  await w.close();
}

/**
 * Hive-style copy partitioned by month ('YYYY-MM') of a date column. DuckDB leaves the
 * partition column out of the files, as Hive does; files are renamed to part-NNNNN.
 */
async function writePartitioned(
  con: DuckDBConnection, dbDir: string, base: string, name: string, column: string, from: string,
): Promise<void> {
  const target = join(dbDir, name);
  await con.run(
    `COPY (SELECT *, strftime(${from}, '%Y-%m') AS ${column} FROM read_parquet(${sqlString(join(dbDir, base, '*.parquet'))})) ` +
    `TO ${sqlString(target)} (FORMAT parquet, PARTITION_BY (${column}), FILENAME_PATTERN 'tmp-{i}', OVERWRITE_OR_IGNORE)`,
  );
  for (const dir of (await readdir(target)).sort()) {
    const files = (await readdir(join(target, dir))).filter((f) => f.endsWith('.parquet')).sort();
    for (let i = 0; i < files.length; i++) await rename(join(target, dir, files[i]!), join(target, dir, partFileName(i)));
  }
}

function parseArgs(argv: readonly string[]): { sf: number; out: string; force: boolean } {
  let sf = 1;
  let out: string | undefined;
  let force = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--sf') sf = Number(argv[++i]);
    else if (a === '--out') out = argv[++i];
    else if (a === '--force') force = true;
    else throw new Error(`unknown argument ${a}; usage: generate.ts --sf N --out DIR [--force]`);
  }
  return { sf, out: out ?? join('bench', 'data', `sf${sf}`), force };
}

async function main(): Promise<void> {
  const { sf, out, force } = parseArgs(process.argv.slice(2));
  const t0 = performance.now();
  const m = await generateTpch({ sf, warehouseDir: out, force, log: (l) => console.error(`[tpch sf${sf}] ${l}`) });
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  for (const t of m.tables) {
    console.log(`${t.name.padEnd(14)} ${String(t.rowCount).padStart(10)} rows ${String(t.files.length).padStart(4)} files ${(t.bytes / 2 ** 20).toFixed(1).padStart(8)} MiB`);
  }
  console.log(`sf ${sf} in ${out}: ${secs}s wall; manifest from ${m.generatedAt}, which took ${m.seconds}s to generate`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
