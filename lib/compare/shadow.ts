// `shoal shadow`: runs a job with every table it writes redirected to a shadow database,
// then compares each shadow table with its production original, restricted to the
// partitions the job wrote.
import { Catalog } from '../catalog/catalog.js';
import { DEFAULT_DB, type CatalogState, type TableMeta } from '../catalog/model.js';
import { runScript, type RunResult } from '../local/runner.js';
import { parseScript } from '../sql/parser.js';
import { substituteVariables } from '../sql/variables.js';
import { openStore } from '../store/open-store.js';
import { compareTables, type CompareReport } from './compare.js';
import { shadowRewriter } from './shadow-rewrite.js';

export interface ShadowOptions {
  readonly warehouse: string;
  readonly shadowDb: string;
  /** compare with the same-named tables of this database instead of the job's own targets */
  readonly compareTo?: string;
  readonly file?: string;
  readonly vars?: Readonly<Record<string, string>>;
  readonly settings?: Readonly<Record<string, string>>;
  readonly tolerance?: number;
  readonly key?: readonly string[];
  readonly workers?: number;
}

export interface ShadowResult {
  readonly run: RunResult;
  readonly reports: CompareReport[];
  /** tables written whose original does not exist (e.g. a CTAS of a new table) */
  readonly uncompared: string[];
}

const tableOf = (s: CatalogState, full: string): TableMeta | undefined => {
  const [db, name] = full.split('.', 2) as [string, string];
  return s.databases[db]?.tables[name];
};

/** INSERT targets of the script that exist in production: their shadows are created LIKE them. */
function insertTargets(text: string, o: ShadowOptions): string[] {
  let db = DEFAULT_DB;
  const out = new Set<string>();
  for (const st of parseScript(substituteVariables(text, o.vars ?? {}, o.file)).statements) {
    if (st.kind === 'use') db = st.name.toLowerCase();
    const targets = st.kind === 'insert' ? [st.table] : st.kind === 'multiInsert' ? st.branches.flatMap((b) => ('table' in b ? [b.table] : [])) : [];
    for (const t of targets) out.add(`${(t.db ?? db).toLowerCase()}.${t.name.toLowerCase()}`);
  }
  return [...out];
}

/** partition paths whose files changed between two versions of a table ('' lists for unpartitioned) */
function changedPartitions(before: TableMeta | undefined, after: TableMeta): string[] {
  return Object.entries(after.partitions)
    .filter(([p, m]) => JSON.stringify(before?.partitions[p]?.files) !== JSON.stringify(m.files))
    .map(([p]) => p).sort();
}

export async function runShadow(text: string, o: ShadowOptions): Promise<ShadowResult> {
  const shadowDb = o.shadowDb.toLowerCase();
  const catalog = new Catalog(openStore(o.warehouse));
  const prod = await catalog.load();
  const q = (n: string) => n.split('.').map((x) => `\`${x}\``).join('.');
  const creates = insertTargets(text, o)
    .filter((t) => !t.startsWith(`${shadowDb}.`) && tableOf(prod, t) && !tableOf(prod, `${shadowDb}.${t.split('.')[1]}`))
    .map((t) => `CREATE TABLE IF NOT EXISTS ${q(`${shadowDb}.${t.split('.')[1]}`)} LIKE ${q(t)};`);
  await runScript(`CREATE DATABASE IF NOT EXISTS \`${shadowDb}\`;\n${creates.join('\n')}\n`, { warehouse: o.warehouse, workers: o.workers });
  const before = await catalog.load();
  const rewriter = shadowRewriter(shadowDb);
  const run = await runScript(text, { warehouse: o.warehouse, file: o.file, vars: o.vars, settings: o.settings, workers: o.workers, rewrite: rewriter.rewrite });
  const after = await catalog.load();
  const reports: CompareReport[] = [];
  const uncompared: string[] = [];
  for (const [orig, shadow] of rewriter.written) {
    const s = tableOf(after, shadow);
    const against = o.compareTo ? `${o.compareTo.toLowerCase()}.${orig.split('.')[1]}` : orig;
    if (!s || !tableOf(after, against)) { uncompared.push(orig); continue; }
    const partitions = s.partitionColumns.length ? changedPartitions(tableOf(before, shadow), s) : undefined;
    reports.push(await compareTables(shadow, against, { warehouse: o.warehouse, partitions, tolerance: o.tolerance, key: o.key, workers: o.workers }));
  }
  return { run, reports, uncompared };
}
