// The Hive-dialect syntax tree: plain data, every node tagged by `kind` and carrying the
// position of its first token so that later phases can report `file:line:col`.
import type { SourcePos } from '../common/errors.js';
import type { HiveType } from '../common/types.js';

export type Pos = SourcePos;

/** A possibly qualified name: `t`, `db.t`. Identifiers are lower-cased unless quoted with backquotes (Hive is case-insensitive anyway). */
export interface QName { readonly db?: string; readonly name: string; readonly pos: Pos }

// ───────────────────────── expressions ─────────────────────────

export type Expr =
  | LiteralExpr
  | ColumnExpr
  | StarExpr
  | UnaryExpr
  | BinaryExpr
  | CallExpr
  | CaseExpr
  | CastExpr
  | InExpr
  | BetweenExpr
  | LikeExpr
  | IsNullExpr
  | ExistsExpr
  | SubqueryExpr
  | IndexExpr
  | FieldExpr
  | IntervalExpr;

export interface LiteralExpr {
  readonly kind: 'literal';
  /** number literals keep their text: `10` int, `10L` bigint, `10S` smallint, `10Y` tinyint, `1.5` decimal/double, `1BD` decimal, `1e3` double. */
  readonly type: 'null' | 'boolean' | 'number' | 'string' | 'date' | 'timestamp';
  readonly value: null | boolean | string;
  readonly pos: Pos;
}
/** `a`, `t.a`, `db.t.a`; also `s.field` before the binder knows whether `s` is a table or a struct column. */
export interface ColumnExpr { readonly kind: 'column'; readonly parts: readonly string[]; readonly pos: Pos }
/** `*` or `t.*` */
export interface StarExpr { readonly kind: 'star'; readonly qualifier?: readonly string[]; readonly pos: Pos }
export interface UnaryExpr { readonly kind: 'unary'; readonly op: '-' | '+' | 'not' | '~'; readonly operand: Expr; readonly pos: Pos }
export type BinaryOp =
  | '+' | '-' | '*' | '/' | '%' | 'div'
  | '=' | '==' | '<>' | '!=' | '<' | '<=' | '>' | '>=' | '<=>'
  | 'and' | 'or' | '||' | '&' | '|' | '^';
export interface BinaryExpr { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr; readonly pos: Pos }
export interface CallExpr {
  readonly kind: 'call';
  readonly name: string; // lower-cased; `db.fn` kept dotted
  readonly args: readonly Expr[];
  readonly distinct: boolean;
  /** `count(*)` */
  readonly star: boolean;
  readonly over?: WindowSpec;
  readonly pos: Pos;
}
export interface WindowSpec {
  /** a named window from the WINDOW clause, possibly refined */
  readonly ref?: string;
  readonly partitionBy: readonly Expr[];
  readonly orderBy: readonly OrderItem[];
  readonly frame?: WindowFrame;
  readonly pos: Pos;
}
export interface WindowFrame {
  readonly unit: 'rows' | 'range';
  readonly start: FrameBound;
  readonly end: FrameBound; // `ROWS 2 PRECEDING` alone means end = current row
}
export type FrameBound =
  | { readonly kind: 'unboundedPreceding' }
  | { readonly kind: 'preceding'; readonly offset: Expr }
  | { readonly kind: 'currentRow' }
  | { readonly kind: 'following'; readonly offset: Expr }
  | { readonly kind: 'unboundedFollowing' };
export interface CaseExpr {
  readonly kind: 'case';
  readonly operand?: Expr;
  readonly whens: readonly { readonly when: Expr; readonly then: Expr }[];
  readonly else?: Expr;
  readonly pos: Pos;
}
export interface CastExpr { readonly kind: 'cast'; readonly expr: Expr; readonly type: HiveType; readonly pos: Pos }
export interface InExpr {
  readonly kind: 'in';
  readonly expr: Expr;
  readonly list?: readonly Expr[];
  readonly query?: QueryExpr;
  readonly not: boolean;
  readonly pos: Pos;
}
export interface BetweenExpr { readonly kind: 'between'; readonly expr: Expr; readonly low: Expr; readonly high: Expr; readonly not: boolean; readonly pos: Pos }
export interface LikeExpr { readonly kind: 'like'; readonly op: 'like' | 'rlike' | 'regexp'; readonly expr: Expr; readonly pattern: Expr; readonly not: boolean; readonly pos: Pos }
export interface IsNullExpr { readonly kind: 'isNull'; readonly expr: Expr; readonly not: boolean; readonly pos: Pos }
export interface ExistsExpr { readonly kind: 'exists'; readonly query: QueryExpr; readonly not: boolean; readonly pos: Pos }
/** a scalar subquery */
export interface SubqueryExpr { readonly kind: 'subquery'; readonly query: QueryExpr; readonly pos: Pos }
/** `arr[0]`, `m['k']` */
export interface IndexExpr { readonly kind: 'index'; readonly expr: Expr; readonly index: Expr; readonly pos: Pos }
/** `expr.field` where `expr` is not a plain column path, e.g. `arr[0].f`, `named_struct(...).a` */
export interface FieldExpr { readonly kind: 'field'; readonly expr: Expr; readonly field: string; readonly pos: Pos }
/** `INTERVAL '1' DAY`, `INTERVAL 2 MONTH` */
export interface IntervalExpr { readonly kind: 'interval'; readonly value: Expr; readonly unit: 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second'; readonly pos: Pos }

// ───────────────────────── queries ─────────────────────────

export interface OrderItem {
  readonly expr: Expr;
  readonly desc: boolean;
  /** explicit NULLS FIRST/LAST; absent means Hive's default (first when ascending, last when descending) */
  readonly nulls?: 'first' | 'last';
}

export interface QueryExpr {
  readonly kind: 'query';
  readonly with: readonly Cte[];
  readonly body: SetExpr;
  readonly orderBy: readonly OrderItem[];
  /** Hive's per-reducer SORT BY, DISTRIBUTE BY and CLUSTER BY */
  readonly sortBy: readonly OrderItem[];
  readonly distributeBy: readonly Expr[];
  readonly clusterBy: readonly Expr[];
  readonly limit?: number;
  readonly offset?: number;
  readonly pos: Pos;
}
export interface Cte { readonly name: string; readonly columns?: readonly string[]; readonly query: QueryExpr; readonly pos: Pos }

export type SetExpr = SelectCore | SetOpExpr | NestedQuery | ValuesExpr;
export interface SetOpExpr {
  readonly kind: 'setop';
  readonly op: 'union' | 'intersect' | 'except';
  /** `UNION` alone means DISTINCT */
  readonly all: boolean;
  readonly left: SetExpr;
  readonly right: SetExpr;
  readonly pos: Pos;
}
export interface NestedQuery { readonly kind: 'nested'; readonly query: QueryExpr; readonly pos: Pos }
/** `VALUES (1, 'a'), (2, 'b')` as a query body */
export interface ValuesExpr { readonly kind: 'values'; readonly rows: readonly (readonly Expr[])[]; readonly pos: Pos }

export interface SelectCore {
  readonly kind: 'select';
  readonly distinct: boolean;
  readonly items: readonly SelectItem[];
  readonly from?: FromItem;
  readonly where?: Expr;
  readonly groupBy?: GroupBy;
  readonly having?: Expr;
  readonly windows: readonly { readonly name: string; readonly spec: WindowSpec }[];
  readonly qualify?: Expr;
  readonly pos: Pos;
}
export interface SelectItem {
  readonly expr: Expr;
  readonly alias?: string;
  /** `AS (a, b)` after a table-generating function in the select list */
  readonly aliases?: readonly string[];
  readonly pos: Pos;
}
export interface GroupBy {
  readonly exprs: readonly Expr[];
  /** GROUPING SETS ((a, b), (a), ()) */
  readonly groupingSets?: readonly (readonly Expr[])[];
  readonly rollup: boolean;
  readonly cube: boolean;
  readonly pos: Pos;
}

export type FromItem = TableRef | SubqueryRef | JoinRef | LateralViewRef;
export interface TableRef {
  readonly kind: 'table';
  readonly name: QName;
  readonly alias?: string;
  /** TABLESAMPLE(BUCKET x OUT OF y [ON col]) */
  readonly sample?: { readonly bucket: number; readonly outOf: number; readonly on?: Expr };
  readonly pos: Pos;
}
export interface SubqueryRef { readonly kind: 'subquery'; readonly query: QueryExpr; readonly alias?: string; readonly pos: Pos }
export type JoinType = 'inner' | 'left' | 'right' | 'full' | 'leftSemi' | 'leftAnti' | 'cross';
export interface JoinRef {
  readonly kind: 'join';
  readonly type: JoinType;
  readonly left: FromItem;
  readonly right: FromItem;
  readonly on?: Expr;
  readonly using?: readonly string[];
  readonly pos: Pos;
}
/** `input LATERAL VIEW [OUTER] explode(expr) tableAlias AS col1, col2` */
export interface LateralViewRef {
  readonly kind: 'lateralView';
  readonly input: FromItem;
  readonly outer: boolean;
  readonly func: CallExpr;
  readonly tableAlias: string;
  readonly columnAliases: readonly string[];
  readonly pos: Pos;
}

// ───────────────────────── statements ─────────────────────────

export interface ColumnDef { readonly name: string; readonly type: HiveType; readonly comment?: string; readonly pos: Pos }
export interface RowFormat {
  readonly fieldDelimiter?: string; // unescaped: '\001' → '\u0001', '\t' → tab
  readonly collectionDelimiter?: string;
  readonly mapKeyDelimiter?: string;
  readonly lineDelimiter?: string;
  readonly nullFormat?: string;
  /** FIELDS TERMINATED BY … ESCAPED BY 'c', unescaped like the delimiters */
  readonly escapeChar?: string;
  readonly serde?: string;
  readonly serdeProperties?: Readonly<Record<string, string>>;
}
/** `PARTITION (ds='2008-04-08', hr)`: a value for a static column, none for a dynamic one. */
export interface PartitionSpecEntry {
  readonly column: string;
  readonly value?: Expr;
  /** only in `ALTER TABLE … DROP PARTITION (ds < '2024-01-01')`; absent means `=` */
  readonly op?: '<' | '<=' | '>' | '>=' | '<>' | '!=';
  readonly pos: Pos;
}

export type Statement =
  | QueryStatement
  | InsertStatement
  | MultiInsertStatement
  | CreateDatabaseStatement
  | DropDatabaseStatement
  | UseStatement
  | CreateTableStatement
  | DropTableStatement
  | LoadDataStatement
  | SetStatement
  | ResetStatement
  | ExplainStatement
  | CreateViewStatement
  | DropViewStatement
  | AlterTableStatement
  | TruncateStatement
  | MsckStatement
  | ShowStatement
  | DescribeStatement
  | AnalyzeStatement
  | AddResourceStatement
  | CreateFunctionStatement
  | DropFunctionStatement;

interface StatementBase {
  readonly pos: Pos;
  /** the statement's source text (without the trailing `;`), after variable substitution */
  readonly text: string;
}
export interface QueryStatement extends StatementBase { readonly kind: 'query'; readonly query: QueryExpr }
export interface InsertStatement extends StatementBase {
  readonly kind: 'insert';
  readonly overwrite: boolean;
  readonly table: QName;
  readonly partition?: readonly PartitionSpecEntry[];
  /** `INSERT INTO t (a, b) SELECT …` */
  readonly columns?: readonly string[];
  readonly ifNotExists: boolean;
  readonly query: QueryExpr;
}
/** `FROM src INSERT OVERWRITE TABLE a SELECT … INSERT INTO TABLE b SELECT …`: each branch's query has no FROM of its own; `from` is shared. */
export interface MultiInsertStatement extends StatementBase {
  readonly kind: 'multiInsert';
  readonly with: readonly Cte[];
  readonly from: FromItem;
  readonly branches: readonly (Omit<InsertStatement, 'kind' | 'text'> | { readonly kind: 'select'; readonly query: QueryExpr; readonly pos: Pos })[];
}
export interface CreateDatabaseStatement extends StatementBase {
  readonly kind: 'createDatabase'; readonly name: string; readonly ifNotExists: boolean; readonly comment?: string; readonly location?: string;
  readonly properties: Readonly<Record<string, string>>;
}
export interface DropDatabaseStatement extends StatementBase { readonly kind: 'dropDatabase'; readonly name: string; readonly ifExists: boolean; readonly cascade: boolean }
export interface UseStatement extends StatementBase { readonly kind: 'use'; readonly name: string }
export interface CreateTableStatement extends StatementBase {
  readonly kind: 'createTable';
  readonly name: QName;
  readonly ifNotExists: boolean;
  readonly external: boolean;
  readonly temporary: boolean;
  readonly columns: readonly ColumnDef[];
  readonly comment?: string;
  readonly partitionedBy: readonly ColumnDef[];
  /** CTAS in Hive 4 style: `PARTITIONED BY (col, …)` naming select-list columns */
  readonly partitionedByNames?: readonly string[];
  readonly clusteredBy?: { readonly columns: readonly string[]; readonly sortedBy: readonly OrderItem[]; readonly buckets: number };
  readonly rowFormat?: RowFormat;
  /** upper-cased as written: PARQUET, TEXTFILE, ORC, … */
  readonly storedAs?: string;
  readonly storedAsPos?: Pos;
  readonly location?: string;
  readonly properties: Readonly<Record<string, string>>;
  readonly asSelect?: QueryExpr;
  readonly like?: QName;
}
export interface DropTableStatement extends StatementBase { readonly kind: 'dropTable'; readonly name: QName; readonly ifExists: boolean; readonly purge: boolean }
export interface LoadDataStatement extends StatementBase {
  readonly kind: 'loadData'; readonly local: boolean; readonly path: string; readonly overwrite: boolean;
  readonly table: QName; readonly partition?: readonly PartitionSpecEntry[];
}
/** `SET k=v`; `SET k` shows one; `SET` alone shows all. The value is the raw text up to the end of the statement, trimmed. */
export interface SetStatement extends StatementBase { readonly kind: 'set'; readonly key?: string; readonly value?: string }
/** `RESET` restores every setting; `RESET key` (Hive 3) just that one, `key` being the raw text. */
export interface ResetStatement extends StatementBase { readonly kind: 'reset'; readonly key?: string }
export interface ExplainStatement extends StatementBase {
  readonly kind: 'explain'; readonly extended: boolean; readonly statement: Statement;
  /** EXPLAIN FORMATTED (JSON output in Hive) */
  readonly formatted?: boolean;
}
export interface CreateViewStatement extends StatementBase {
  readonly kind: 'createView'; readonly name: QName; readonly ifNotExists: boolean; readonly orReplace: boolean;
  readonly columns?: readonly string[]; readonly query: QueryExpr; readonly comment?: string;
  /** TBLPROPERTIES (…) */
  readonly properties?: Readonly<Record<string, string>>;
}
export interface DropViewStatement extends StatementBase { readonly kind: 'dropView'; readonly name: QName; readonly ifExists: boolean }
export type AlterTableAction =
  | { readonly kind: 'addPartitions'; readonly ifNotExists: boolean; readonly partitions: readonly { readonly spec: readonly PartitionSpecEntry[]; readonly location?: string }[] }
  | { readonly kind: 'dropPartitions'; readonly ifExists: boolean; readonly partitions: readonly (readonly PartitionSpecEntry[])[] }
  | { readonly kind: 'rename'; readonly to: QName }
  | { readonly kind: 'addColumns'; readonly columns: readonly ColumnDef[]; readonly replace: boolean }
  | { readonly kind: 'setProperties'; readonly properties: Readonly<Record<string, string>> }
  | { readonly kind: 'setLocation'; readonly location: string; readonly partition?: readonly PartitionSpecEntry[] }
  | {
    readonly kind: 'changeColumn'; readonly from: string; readonly column: ColumnDef;
    /** `FIRST` / `AFTER col`: where the column moves to */
    readonly first?: boolean; readonly after?: string;
  };
export interface AlterTableStatement extends StatementBase { readonly kind: 'alterTable'; readonly name: QName; readonly action: AlterTableAction }
export interface TruncateStatement extends StatementBase { readonly kind: 'truncate'; readonly name: QName; readonly partition?: readonly PartitionSpecEntry[] }
export interface MsckStatement extends StatementBase {
  readonly kind: 'msck'; readonly name: QName;
  /** `MSCK REPAIR TABLE t ADD|DROP|SYNC PARTITIONS`; absent means ADD, Hive's default */
  readonly partitions?: 'add' | 'drop' | 'sync';
}
export interface ShowStatement extends StatementBase {
  readonly kind: 'show';
  readonly what: 'databases' | 'tables' | 'partitions' | 'createTable' | 'functions' | 'columns' | 'tblproperties' | 'views';
  readonly name?: QName; // the table for partitions / createTable / columns; the database for tables (IN db)
  readonly like?: string;
  readonly partition?: readonly PartitionSpecEntry[];
}
export interface DescribeStatement extends StatementBase {
  readonly kind: 'describe'; readonly target: 'table' | 'database' | 'function';
  readonly name: QName; readonly formatted: boolean; readonly extended: boolean;
  readonly partition?: readonly PartitionSpecEntry[];
  /** `DESCRIBE t col`: one column only */
  readonly column?: string;
}
export interface AnalyzeStatement extends StatementBase {
  readonly kind: 'analyze'; readonly name: QName; readonly partition?: readonly PartitionSpecEntry[];
  readonly forColumns: boolean; readonly noScan: boolean;
  /** `FOR COLUMNS a, b`; absent with forColumns means all columns */
  readonly columns?: readonly string[];
}
/** `ADD JAR|FILE 'path'` */
export interface AddResourceStatement extends StatementBase { readonly kind: 'addResource'; readonly resourceKind: 'jar' | 'file'; readonly paths: readonly string[] }
/**
 * `CREATE [TEMPORARY] FUNCTION [db.]name [(type, …) RETURNS type | RETURNS TABLE (col type, …)]
 * [RETURNS NULL ON NULL INPUT | CALLED ON NULL INPUT] AS 'export' [USING JAR|FILE 'path', …]`;
 * `className` is the module's export (or `module#export` after ADD JAR/FILE)
 */
export interface CreateFunctionStatement extends StatementBase {
  readonly kind: 'createFunction'; readonly temporary: boolean; readonly name: QName; readonly className: string;
  readonly classPos: Pos;
  readonly resources: readonly { readonly kind: 'jar' | 'file'; readonly path: string; readonly pos: Pos }[];
  /** the signature written in the statement; absent: the module's `meta` export gives it */
  readonly signature?: FunctionSignature;
  /** RETURNS NULL ON NULL INPUT (true) or CALLED ON NULL INPUT (false); absent when not written */
  readonly nullOnNullInput?: boolean;
}
/** A user function's declared signature; a table function's `returns` is a struct of its output columns. */
export interface FunctionSignature {
  readonly args: readonly HiveType[];
  readonly returns: HiveType;
  readonly table: boolean;
  readonly pos: Pos;
}
export interface DropFunctionStatement extends StatementBase { readonly kind: 'dropFunction'; readonly temporary: boolean; readonly name: QName; readonly ifExists: boolean }

/** A parsed script: statements in order. */
export interface Script { readonly statements: readonly Statement[] }
