// Hive's type system as plain data. Shared by the parser (type names in DDL and CAST),
// the binder (coercion) and the executor (DuckDB type names).

export type PrimitiveName =
  | 'tinyint' | 'smallint' | 'int' | 'bigint'
  | 'float' | 'double' | 'decimal'
  | 'string' | 'varchar' | 'char'
  | 'boolean' | 'date' | 'timestamp' | 'binary'
  | 'void'; // the type of a bare NULL literal

export type HiveType =
  | { readonly kind: 'primitive'; readonly name: PrimitiveName; readonly precision?: number; readonly scale?: number; readonly length?: number }
  | { readonly kind: 'array'; readonly element: HiveType }
  | { readonly kind: 'map'; readonly key: HiveType; readonly value: HiveType }
  | { readonly kind: 'struct'; readonly fields: readonly { readonly name: string; readonly type: HiveType }[] };

export const T = {
  tinyint: { kind: 'primitive', name: 'tinyint' },
  smallint: { kind: 'primitive', name: 'smallint' },
  int: { kind: 'primitive', name: 'int' },
  bigint: { kind: 'primitive', name: 'bigint' },
  float: { kind: 'primitive', name: 'float' },
  double: { kind: 'primitive', name: 'double' },
  string: { kind: 'primitive', name: 'string' },
  boolean: { kind: 'primitive', name: 'boolean' },
  date: { kind: 'primitive', name: 'date' },
  timestamp: { kind: 'primitive', name: 'timestamp' },
  binary: { kind: 'primitive', name: 'binary' },
  void: { kind: 'primitive', name: 'void' },
} as const satisfies Record<string, HiveType>;

export function decimal(precision: number, scale: number): HiveType {
  return { kind: 'primitive', name: 'decimal', precision, scale };
}

const INTEGRAL: readonly PrimitiveName[] = ['tinyint', 'smallint', 'int', 'bigint'];
const NUMERIC: readonly PrimitiveName[] = [...INTEGRAL, 'float', 'double', 'decimal'];
const STRINGY: readonly PrimitiveName[] = ['string', 'varchar', 'char'];

export function isPrimitive(t: HiveType, ...names: PrimitiveName[]): boolean {
  return t.kind === 'primitive' && names.includes(t.name);
}
export const isIntegral = (t: HiveType): boolean => t.kind === 'primitive' && INTEGRAL.includes(t.name);
export const isNumeric = (t: HiveType): boolean => t.kind === 'primitive' && NUMERIC.includes(t.name);
export const isStringy = (t: HiveType): boolean => t.kind === 'primitive' && STRINGY.includes(t.name);
export const isVoid = (t: HiveType): boolean => t.kind === 'primitive' && t.name === 'void';

/** Hive's DDL spelling: `int`, `decimal(10,2)`, `array<string>`, `struct<a:int,b:string>`. */
export function typeToString(t: HiveType): string {
  switch (t.kind) {
    case 'primitive':
      if (t.name === 'decimal') return `decimal(${t.precision ?? 10},${t.scale ?? 0})`;
      if (t.name === 'varchar' || t.name === 'char') return `${t.name}(${t.length ?? 255})`;
      return t.name;
    case 'array': return `array<${typeToString(t.element)}>`;
    case 'map': return `map<${typeToString(t.key)},${typeToString(t.value)}>`;
    case 'struct': return `struct<${t.fields.map((f) => `${f.name}:${typeToString(f.type)}`).join(',')}>`;
  }
}

export function typesEqual(a: HiveType, b: HiveType): boolean {
  return typeToString(a) === typeToString(b);
}

/** The DuckDB type that holds a Hive type's values exactly. */
export function duckType(t: HiveType): string {
  switch (t.kind) {
    case 'primitive':
      switch (t.name) {
        case 'tinyint': return 'TINYINT';
        case 'smallint': return 'SMALLINT';
        case 'int': return 'INTEGER';
        case 'bigint': return 'BIGINT';
        case 'float': return 'FLOAT';
        case 'double': return 'DOUBLE';
        case 'decimal': return `DECIMAL(${t.precision ?? 10},${t.scale ?? 0})`;
        case 'string': case 'varchar': case 'char': return 'VARCHAR';
        case 'boolean': return 'BOOLEAN';
        case 'date': return 'DATE';
        case 'timestamp': return 'TIMESTAMP';
        case 'binary': return 'BLOB';
        case 'void': return 'INTEGER';
      }
      break;
    case 'array': return `${duckType(t.element)}[]`;
    case 'map': return `MAP(${duckType(t.key)}, ${duckType(t.value)})`;
    case 'struct': return `STRUCT(${t.fields.map((f) => `"${f.name.replace(/"/g, '""')}" ${duckType(f.type)}`).join(', ')})`;
  }
}
