// A job: the statements of one script, each planned into either a catalog action or a
// DAG of stages with a sink. This is the document the planner writes to the store and
// every handler reads; it is plain data.
import type { UdfDef } from '../udf/model.js';
import type { HiveType } from '../common/types.js';
import type { ColumnMeta, DataFile, FunctionMeta, Stats, StorageFormat, TableMeta } from '../catalog/model.js';
import type { Stage } from '../stages/stage.js';
import type { DescribeStatement, ShowStatement } from '../sql/ast.js';

export type DdlAction =
  | { readonly kind: 'createDatabase'; readonly name: string; readonly ifNotExists: boolean; readonly location: string; readonly comment?: string; readonly properties: Readonly<Record<string, string>> }
  | { readonly kind: 'dropDatabase'; readonly name: string; readonly ifExists: boolean; readonly cascade: boolean }
  | { readonly kind: 'createTable'; readonly table: TableMeta; readonly ifNotExists: boolean; readonly orReplace?: boolean }
  | { readonly kind: 'dropTable'; readonly db: string; readonly name: string; readonly ifExists: boolean; readonly view: boolean }
  | {
      readonly kind: 'loadData'; readonly db: string; readonly table: string; readonly overwrite: boolean;
      /** files already uploaded under the job's staging prefix */
      readonly files: readonly DataFile[];
      readonly partitionValues?: readonly (string | null)[];
    }
  | {
      readonly kind: 'addPartitions'; readonly db: string; readonly table: string; readonly ifNotExists: boolean;
      /** files found under each partition's directory when the statement was planned */
      readonly partitions: readonly FoundPartition[];
    }
  | { readonly kind: 'dropPartitions'; readonly db: string; readonly table: string; readonly ifExists: boolean; readonly filters: readonly PartitionFilter[] }
  | { readonly kind: 'renameTable'; readonly db: string; readonly table: string; readonly toDb: string; readonly toName: string }
  | { readonly kind: 'addColumns'; readonly db: string; readonly table: string; readonly columns: readonly ColumnMeta[]; readonly replace: boolean }
  | { readonly kind: 'setProperties'; readonly db: string; readonly table: string; readonly properties: Readonly<Record<string, string>> }
  /** `ifExists` only while planning, when partitions written earlier in the script are not known yet */
  | { readonly kind: 'truncate'; readonly db: string; readonly table: string; readonly filter?: PartitionFilter; readonly ifExists?: boolean }
  /** MSCK REPAIR TABLE: the partitions (or, unpartitioned, the files) found under the table's location */
  | { readonly kind: 'repair'; readonly db: string; readonly table: string; readonly mode: 'add' | 'drop' | 'sync'; readonly found: readonly FoundPartition[] }
  /** ANALYZE TABLE … COMPUTE STATISTICS: the stats are measured by the commit step, keyed by partition path ('' unpartitioned) */
  /**
   * SHOW/DESCRIBE: rows read off the catalog when the statement's turn comes, after the statements before it have committed;
   * `temporaryFunctions`: the script's temporary functions at that point, which no catalog holds
   */
  | {
      readonly kind: 'show'; readonly statement: ShowStatement | DescribeStatement; readonly currentDb: string; readonly columns: readonly ResultColumn[];
      readonly temporaryFunctions?: readonly UdfDef[];
    }
  /** CREATE FUNCTION (permanent): the module is already in the warehouse at `blobs/<hash>.mjs` */
  | { readonly kind: 'createFunction'; readonly fn: FunctionMeta }
  | { readonly kind: 'dropFunction'; readonly db: string; readonly name: string; readonly ifExists: boolean }
  /** `noScan`: counts from the catalog's file records (rows as written), without reading the files */
  | { readonly kind: 'analyze'; readonly db: string; readonly table: string; readonly filter?: PartitionFilter; readonly noScan?: boolean; readonly stats?: Readonly<Record<string, Stats>> };

/** Partition values in column order (null for the default partition), with the files found there. */
export interface FoundPartition { readonly values: readonly (string | null)[]; readonly location?: string; readonly files: readonly DataFile[] }

/** `PARTITION (ds='x', hr<'12')`: conditions on some partition columns, all of which must hold. */
export type PartitionFilter = readonly { readonly column: string; readonly op: '=' | '<' | '<=' | '>' | '>=' | '<>'; readonly value: string | null }[];

export interface ResultColumn { readonly name: string; readonly type: HiveType }

export type Sink =
  | { readonly kind: 'result'; readonly columns: readonly ResultColumn[] }
  | {
      readonly kind: 'table';
      readonly db: string;
      readonly table: string;
      readonly overwrite: boolean;
      /** the table is created by the commit (CTAS) */
      readonly create?: TableMeta;
      /** CTAS IF NOT EXISTS: a table created meanwhile by another job is left alone */
      readonly ifNotExists?: boolean;
      /** values of the static partition columns; the rest of the partition columns are dynamic */
      readonly staticPartition: Readonly<Record<string, string | null>>;
      /** dynamic partition column names, in the table's order: the last columns of the sink's rows */
      readonly dynamicPartition: readonly string[];
      /** all partition columns of the table, static ones first */
      readonly partitionColumns: readonly string[];
      readonly format: StorageFormat;
      readonly fieldDelimiter?: string;
    };

export type StatementPlan =
  | { readonly kind: 'ddl'; readonly index: number; readonly text: string; readonly action: DdlAction }
  | {
      readonly kind: 'dataflow'; readonly index: number; readonly text: string; readonly stages: readonly Stage[]; readonly settings: Readonly<Record<string, string>>;
      /**
       * Where the rows go: one sink, or one per branch of a multi-insert (at most one of
       * them a result). A stage's `{ kind: 'sink', sink }` output indexes this list; the
       * commit switches every table sink in one catalog change.
       */
      readonly sinks: readonly Sink[];
      /** the user functions the statement calls: tasks load exactly these modules, by hash */
      readonly udfs?: readonly UdfDef[];
    }
  /** rows known at plan time (EXPLAIN, SET) */
  | { readonly kind: 'rows'; readonly index: number; readonly text: string; readonly columns: readonly ResultColumn[]; readonly rows: readonly (readonly unknown[])[] };

export type DataflowPlan = Extract<StatementPlan, { kind: 'dataflow' }>;
export type TableSink = Extract<Sink, { kind: 'table' }>;
export type ResultSink = Extract<Sink, { kind: 'result' }>;

/** The sink that returns rows to the client, if the statement has one. */
export const resultSinkOf = (df: DataflowPlan): ResultSink | undefined => df.sinks.find((s): s is ResultSink => s.kind === 'result');

/** The stage that writes sink `k`. */
export function sinkStageOf(df: DataflowPlan, k: number): Stage {
  const st = df.stages.find((s) => s.output.kind === 'sink' && s.output.sink === k);
  if (!st) throw new Error(`statement ${df.index} has no stage writing sink ${k}`);
  return st;
}

export interface JobPlan {
  readonly queryId: string;
  readonly name: string;
  readonly createdAt: number;
  readonly statements: readonly StatementPlan[];
}

export const jobPrefix = (queryId: string) => `_jobs/${queryId}`;
export const planKey = (queryId: string) => `${jobPrefix(queryId)}/plan.json`;
export const stagingPrefix = (queryId: string) => `_staging/${queryId}`;
/** Where one attempt of one task writes (a sink stage's writer, or `compact`): unique per job, statement, step, task and attempt. */
export const attemptPrefix = (queryId: string, statement: number, step: `writer-st${number}` | 'compact', task: number, attempt: string) =>
  `${stagingPrefix(queryId)}/s${statement}/${step}/t${String(task).padStart(5, '0')}-${attempt}`;
export const showRowsKey = (queryId: string, statement: number) => `${jobPrefix(queryId)}/results/${statement}.rows.json`;
export const resultKey = (queryId: string, statement: number) => `${jobPrefix(queryId)}/results/${statement}.parquet`;
