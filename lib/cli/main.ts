// The `shoal` command line: run, explain. Rows go to stdout, progress and errors to
// stderr; the exit code is set, never forced, so all output is flushed.
import { readFile, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { Command, Option } from 'commander';
import { formatError, isShoalError } from '../common/errors.js';
import { Catalog } from '../catalog/catalog.js';
import { emitAsl } from '../asl/emit.js';
import { runScript } from '../local/runner.js';
import { explainJobStatement } from '../planner/explain.js';
import { planJob } from '../planner/plan-job.js';
import { openStore } from '../store/open-store.js';
import { formatRows, type Format } from './format.js';
import { lineDisplay, terminalDisplay } from './progress-display.js';
import { compareTables, formatReport, type CompareReport } from '../compare/compare.js';
import { runShadow } from '../compare/shadow.js';
import { compareCost, formatCost } from '../compare/cost.js';
import type { JobMetrics } from '../metrics/report.js';

const collect = (v: string, acc: Record<string, string>) => {
  const eq = v.indexOf('=');
  if (eq < 0) throw new Error(`expected key=value, got '${v}'`);
  return { ...acc, [v.slice(0, eq).trim()]: v.slice(eq + 1).trim() };
};

async function readScript(file: string | undefined, expr: string | undefined): Promise<{ text: string; file: string }> {
  if (expr !== undefined) return { text: expr, file: '<command line>' };
  if (!file) throw new Error('give a script: shoal run FILE.sql, -f FILE.sql or -e "SQL"');
  return { text: await readFile(file, 'utf8'), file };
}

function report(e: unknown, file: string): void {
  const msg = formatError(e, file);
  process.stderr.write(`error: ${msg}\n`);
  if (!isShoalError(e) && process.env.SHOAL_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
  process.exitCode = 1;
}

async function printComparison(reports: readonly CompareReport[], json: string | undefined): Promise<void> {
  for (const r of reports) process.stdout.write(formatReport(r));
  if (json) await writeFile(json, `${JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2)}\n`);
  process.exitCode = reports.every((r) => r.match) ? 0 : 1;
}

/** the options compare and shadow share */
function comparisonOptions(cmd: Command): Command {
  return cmd
    .option('--warehouse <uri>', 'warehouse: a directory or s3://bucket/prefix', './warehouse')
    .option('--key <cols>', 'key columns: print the first differing rows of differing partitions')
    .option('--tolerance <x>', 'relative tolerance for FLOAT and DOUBLE columns', '1e-9')
    .option('--json <file>', 'write the report as JSON')
    .option('--workers <n>', 'local worker threads', String(availableParallelism()));
}

export async function main(argv: string[]): Promise<void> {
  const program = new Command('shoal').description('Serverless batch SQL for Hive jobs').showHelpAfterError();
  program
    .command('run')
    .description('run the statements of a Hive SQL script on the local runner')
    .argument('[file]', 'the script')
    .option('-f, --file <file>', 'the script')
    .option('-e, --execute <sql>', 'SQL text to run')
    .option('--warehouse <uri>', 'warehouse: a directory or s3://bucket/prefix', './warehouse')
    .option('--set <key=value>', 'a setting, like SET (repeatable)', collect, {})
    .option('--var <name=value>', 'fills ${name} and ${hivevar:name} (repeatable)', collect, {})
    .addOption(new Option('--format <format>', 'how rows are printed').choices(['table', 'tsv', 'csv', 'json']).default('table'))
    .option('--workers <n>', 'local worker threads', String(availableParallelism()))
    .option('--metrics <file>', 'write the job report (per stage: tasks, bytes, rows, S3 requests; where the time went) as JSON')
    .action(async (fileArg: string | undefined, o: { file?: string; execute?: string; warehouse: string; set: Record<string, string>; var: Record<string, string>; format: Format; workers: string; metrics?: string }) => {
      let file = o.file ?? fileArg ?? '<command line>';
      try {
        const script = await readScript(o.file ?? fileArg, o.execute);
        file = script.file;
        const started = Date.now();
        // a terminal that does not know its size (some CI pseudo-terminals) gets the log lines
        const display = process.stderr.isTTY && process.stderr.rows > 0 ? terminalDisplay(process.stderr) : lineDisplay((l) => process.stderr.write(`${l}\n`));
        const r = await runScript(script.text, {
          warehouse: o.warehouse, file: script.file === '<command line>' ? undefined : script.file,
          vars: o.var, settings: o.set, workers: Number(o.workers),
          onProgress: (p) => display.update(p),
        }).finally(() => display.finish());
        for (const res of r.results) process.stdout.write(formatRows(res.columns, res.rows, o.format));
        if (o.metrics) await writeFile(o.metrics, `${JSON.stringify(r.metrics, null, 2)}\n`);
        process.stderr.write(`job ${r.queryId}: ${r.plan.statements.length} statement(s) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      } catch (e) {
        report(e, file);
      }
    });
  program
    .command('explain')
    .description('print the optimized plan and the stage DAG of each statement')
    .argument('<file>', 'the script')
    .option('--warehouse <uri>', 'warehouse for the catalog', './warehouse')
    .option('--asl', 'print the Step Functions state machine instead')
    .option('--set <key=value>', 'a setting (repeatable)', collect, {})
    .option('--var <name=value>', 'a variable (repeatable)', collect, {})
    .action(async (file: string, o: { warehouse: string; asl?: boolean; set: Record<string, string>; var: Record<string, string> }) => {
      try {
        const text = await readFile(file, 'utf8');
        const catalog = await new Catalog(openStore(o.warehouse)).load();
        const plan = await planJob(text, { file, vars: o.var, settings: o.set, catalog });
        if (o.asl) { process.stdout.write(`${JSON.stringify(emitAsl(plan), null, 2)}\n`); return; }
        for (const st of plan.statements) {
          process.stdout.write(`-- statement ${st.index + 1}: ${st.text.split('\n')[0]!.slice(0, 100)}\n`);
          if (st.kind === 'dataflow') process.stdout.write(`${explainJobStatement(st).join('\n')}\n`);
          else if (st.kind === 'ddl') process.stdout.write(`catalog: ${st.action.kind}\n`);
          else process.stdout.write(`rows known at plan time\n`);
        }
      } catch (e) {
        report(e, file);
      }
    });
  comparisonOptions(program
    .command('compare')
    .description('compare two tables per partition: row counts and per column nulls, sum, min, max, distinct count (exit 0 match, 1 different, 2 error)')
    .argument('<tableA>').argument('<tableB>'))
    .option('--partition <spec>', 'only partitions matching col=value[,col=value]')
    .action(async (ta: string, tb: string, o: { warehouse: string; partition?: string; key?: string; tolerance: string; json?: string; workers: string }) => {
      try {
        const r = await compareTables(ta, tb, { warehouse: o.warehouse, partition: o.partition, key: o.key?.split(',').map((k) => k.trim()), tolerance: Number(o.tolerance), workers: Number(o.workers) });
        await printComparison([r], o.json);
      } catch (e) {
        report(e, '<compare>');
        process.exitCode = 2;
      }
    });
  comparisonOptions(program
    .command('shadow')
    .description('run a job with the tables it writes redirected to a shadow database, then compare them with the originals (exit 0 match, 1 different, 2 error)')
    .argument('<file>', 'the job script')
    .requiredOption('--shadow-db <name>', 'database the job writes to instead')
    .option('--compare-to <db>', 'compare with the same-named tables of this database instead of the originals')
    .option('--baseline-metrics <file>', 'the original run\'s metrics report (shoal run --metrics): cost compared beside the data'))
    .option('--var <name=value>', 'fills ${name} and ${hivevar:name} (repeatable)', collect, {})
    .option('--set <key=value>', 'a setting, like SET (repeatable)', collect, {})
    .action(async (file: string, o: { shadowDb: string; compareTo?: string; baselineMetrics?: string; warehouse: string; var: Record<string, string>; set: Record<string, string>; key?: string; tolerance: string; json?: string; workers: string }) => {
      try {
        const r = await runShadow(await readFile(file, 'utf8'), {
          warehouse: o.warehouse, shadowDb: o.shadowDb, compareTo: o.compareTo, file, vars: o.var, settings: o.set,
          key: o.key?.split(',').map((k) => k.trim()), tolerance: Number(o.tolerance), workers: Number(o.workers),
        });
        for (const t of r.uncompared) process.stderr.write(`not compared: ${t} (no original table)\n`);
        if (o.baselineMetrics) {
          const baseline = JSON.parse(await readFile(o.baselineMetrics, 'utf8')) as JobMetrics;
          process.stdout.write(`cost against ${o.baselineMetrics}:\n${formatCost(compareCost(r.run.metrics, baseline))}`);
        }
        await printComparison(r.reports, o.json);
      } catch (e) {
        report(e, file);
        process.exitCode = 2;
      }
    });
  await program.parseAsync(argv);
}
