// Table layouts. Every numeric column is staged in DuckDB as INTEGER (money in cents,
// dates as days since 1970-01-01) because appending plain integers is several times
// cheaper than building DECIMAL/DATE values in JS; the conversion happens in the SQL
// that writes each Parquet file.

export type HiveTypeName = 'int' | 'bigint' | 'decimal(15,2)' | 'date' | 'string';

export interface ColumnDef {
  readonly name: string;
  readonly type: HiveTypeName;
}

export type BaseTable = 'region' | 'nation' | 'supplier' | 'customer' | 'part' | 'partsupp' | 'orders' | 'lineitem';

const MONEY = 'decimal(15,2)' as const;

function cols(spec: string): ColumnDef[] {
  return spec.split(',').map((c) => {
    const [name, type] = c.trim().split(' ') as [string, string];
    return { name, type: (type === 'money' ? MONEY : type) as HiveTypeName };
  });
}

export const SCHEMAS: Readonly<Record<BaseTable, readonly ColumnDef[]>> = {
  region: cols('r_regionkey int, r_name string, r_comment string'),
  nation: cols('n_nationkey int, n_name string, n_regionkey int, n_comment string'),
  supplier: cols('s_suppkey int, s_name string, s_address string, s_nationkey int, s_phone string, s_acctbal money, s_comment string'),
  customer: cols('c_custkey int, c_name string, c_address string, c_nationkey int, c_phone string, c_acctbal money, c_mktsegment string, c_comment string'),
  part: cols('p_partkey int, p_name string, p_mfgr string, p_brand string, p_type string, p_size int, p_container string, p_retailprice money, p_comment string'),
  partsupp: cols('ps_partkey int, ps_suppkey int, ps_availqty int, ps_supplycost money, ps_comment string'),
  orders: cols('o_orderkey bigint, o_custkey int, o_orderstatus string, o_totalprice money, o_orderdate date, o_orderpriority string, o_clerk string, o_shippriority int, o_comment string'),
  lineitem: cols(
    'l_orderkey bigint, l_partkey int, l_suppkey int, l_linenumber int, l_quantity money, l_extendedprice money, ' +
    'l_discount money, l_tax money, l_returnflag string, l_linestatus string, l_shipdate date, l_commitdate date, ' +
    'l_receiptdate date, l_shipinstruct string, l_shipmode string, l_comment string',
  ),
};

/** Partitioned copies: [table, base table, partition column, the date column it is derived from]. */
export const PARTITIONED = [
  { name: 'lineitem_part', base: 'lineitem', column: 'l_shipmonth', from: 'l_shipdate' },
  { name: 'orders_part', base: 'orders', column: 'o_ordermonth', from: 'o_orderdate' },
] as const satisfies readonly { name: string; base: BaseTable; column: string; from: string }[];

export function stagingDdl(table: string, columns: readonly ColumnDef[]): string {
  const defs = columns.map((c) => `${c.name} ${c.type === 'string' ? 'VARCHAR' : 'INTEGER'}`);
  return `CREATE TABLE ${table} (${defs.join(', ')})`;
}

/** The SELECT list that turns staged integers into the published column types. */
export function publishSelect(columns: readonly ColumnDef[]): string {
  return columns
    .map((c) => {
      switch (c.type) {
        case 'int':
        case 'string': return c.name;
        case 'bigint': return `CAST(${c.name} AS BIGINT) AS ${c.name}`;
        // Integer times DECIMAL literal is exact decimal arithmetic, no float detour.
        case 'decimal(15,2)': return `CAST(${c.name} * 0.01 AS DECIMAL(15,2)) AS ${c.name}`;
        case 'date': return `CAST(DATE '1970-01-01' + ${c.name} AS DATE) AS ${c.name}`;
      }
    })
    .join(', ');
}
