// Table-generating functions: `LATERAL VIEW [OUTER] explode|posexplode|inline|json_tuple(…)
// alias AS c1, …` and the same functions alone in a select list (`SELECT explode(arr) AS x`);
// user table functions likewise, their columns named and typed by their declared struct.
// Column names and types follow Hive: explode of an array gives `col`, of a map `key` and
// `value`; posexplode `pos` (INT, from 0) and `val`; inline the struct's fields;
// json_tuple STRING columns `c0`, `c1`, ….
import { sqlError, type SourcePos } from '../common/errors.js';
import { T, isStringy, isVoid, typeToString, type HiveType } from '../common/types.js';
import type * as A from '../sql/ast.js';
import { bindExpr, castTo, type Scope } from './bind-expr.js';
import type { BExpr, ColumnInfo, GenerateNode, PlanNode } from './nodes.js';
import type { UdfDef } from '../udf/model.js';
import { udfArguments, userFunction } from './user-functions.js';

export const GENERATORS = ['explode', 'posexplode', 'inline', 'json_tuple'] as const;
type Generator = (typeof GENERATORS)[number];

export function isGenerator(e: A.Expr): e is A.CallExpr {
  if (e.kind !== 'call' || e.over) return false;
  const name = e.name.toLowerCase();
  return (GENERATORS as readonly string[]).includes(name) || userFunction(name)?.kind === 'table';
}

interface Generated { readonly plan: PlanNode; readonly scope: Scope; readonly columns: readonly ColumnInfo[] }

/** The input with the generator's columns after its own, qualified by `alias`. */
export function bindGenerate(
  input: { readonly plan: PlanNode; readonly scope: Scope },
  func: A.CallExpr, outer: boolean, alias: string | undefined, columnAliases: readonly string[], newId: () => string,
): Generated {
  const name = func.name.toLowerCase();
  const udf = (GENERATORS as readonly string[]).includes(name) ? undefined : userFunction(name);
  if (!(GENERATORS as readonly string[]).includes(name) && udf?.kind !== 'table')
    throw sqlError(`${name}() is not a table-generating function; LATERAL VIEW takes explode, posexplode, inline, json_tuple or a user table function`, func.pos);
  if (func.distinct || func.star) throw sqlError(`${name}() takes neither DISTINCT nor *`, func.pos);
  const args = func.args.map((a) => bindExpr(a, { scope: input.scope, clause: `the arguments of ${name}()` }));
  const { outArgs, shape } = udf ? userSignature(udf, args, func.pos) : signature(name as Generator, args, func.pos);
  if (columnAliases.length && columnAliases.length !== shape.length)
    throw sqlError(`${name}() here produces ${shape.length} column${shape.length === 1 ? '' : 's'} (${shape.map((s) => s.name).join(', ')}), but ${columnAliases.length} alias${columnAliases.length === 1 ? ' was' : 'es were'} given`, func.pos);
  const columns: ColumnInfo[] = shape.map((s, i) => ({ id: newId(), name: (columnAliases[i] ?? s.name).toLowerCase(), type: s.type, ...(alias && { qualifier: alias }) }));
  const plan: GenerateNode = { kind: 'generate', input: input.plan, fn: udf?.name ?? name, args: outArgs, ...(udf && { udf: true as const }), outer, columns };
  return { plan, scope: { columns: [...input.scope.columns, ...columns] }, columns };
}

/** A user table function: its declared struct's fields are its columns. */
function userSignature(udf: UdfDef, args: readonly BExpr[], pos: SourcePos): { outArgs: BExpr[]; shape: { name: string; type: HiveType }[] } {
  const fields = udf.returns.kind === 'struct' ? udf.returns.fields : [];
  return { outArgs: udfArguments(udf, args, pos), shape: fields.map((f) => ({ name: f.name, type: f.type })) };
}

function signature(fn: Generator, args: readonly BExpr[], pos: SourcePos): { outArgs: BExpr[]; shape: { name: string; type: HiveType }[] } {
  const one = () => {
    if (args.length !== 1) throw sqlError(`${fn}() takes 1 argument, but ${args.length} were given`, pos);
    return args[0]!;
  };
  const wrong = (t: HiveType, want: string) => sqlError(`${fn}() needs ${want}, but its argument is ${typeToString(t)}`, pos);
  switch (fn) {
    case 'explode': {
      const a = one();
      if (a.type.kind === 'array') return { outArgs: [a], shape: [{ name: 'col', type: a.type.element }] };
      if (a.type.kind === 'map') return { outArgs: [a], shape: [{ name: 'key', type: a.type.key }, { name: 'value', type: a.type.value }] };
      throw wrong(a.type, 'an array or a map');
    }
    case 'posexplode': {
      const a = one();
      if (a.type.kind !== 'array') throw wrong(a.type, 'an array');
      return { outArgs: [a], shape: [{ name: 'pos', type: T.int }, { name: 'val', type: a.type.element }] };
    }
    case 'inline': {
      const a = one();
      if (a.type.kind !== 'array' || a.type.element.kind !== 'struct') throw wrong(a.type, 'an array of structs');
      return { outArgs: [a], shape: a.type.element.fields.map((f) => ({ name: f.name, type: f.type })) };
    }
    case 'json_tuple': {
      if (args.length < 2) throw sqlError(`json_tuple() takes a JSON string and at least one key`, pos);
      for (const a of args) if (!isStringy(a.type) && !isVoid(a.type)) throw wrong(a.type, 'strings');
      return { outArgs: args.map((a) => castTo(a, T.string)), shape: args.slice(1).map((_, i) => ({ name: `c${i}`, type: T.string })) };
    }
  }
}
