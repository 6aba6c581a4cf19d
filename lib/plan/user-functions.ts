// User functions (issue 9) as the binder sees them: which UdfDef a call's name resolves to,
// and a call's arguments checked and converted against the declared signature.
//
// Resolution follows Hive: a built-in wins; then a temporary function of the script; then a
// permanent one of the current database (`db.name` names a permanent function directly).
//
// The functions in force are set around the binding of one statement rather than passed
// down: the binder's syntax-level questions ("does this expression aggregate?", "is this a
// table function?") are asked from many places that have no context at hand, and binding
// is synchronous, so a statement-scoped value cannot leak into another statement's binding.
import { sqlError, type SourcePos } from '../common/errors.js';
import { typeToString, type HiveType } from '../common/types.js';
import type { CatalogState, FunctionMeta } from '../catalog/model.js';
import type { Stage } from '../stages/stage.js';
import type { UdfDef } from '../udf/model.js';
import { castTo } from './bind-expr.js';
import { implicitlyConvertible } from './coercion.js';
import { inputsOf, ownExprs, exprChildren, type BExpr, type PlanNode } from './nodes.js';

export interface UserFunctions {
  /** the function a call's (lower-cased) name denotes, if it is a user function */
  resolve(name: string): UdfDef | undefined;
  /** every name a call could use, for suggestions and SHOW FUNCTIONS */
  names(): string[];
}

/** A permanent function as calls see it: named `db.name`. */
export function permanentDef(f: FunctionMeta): UdfDef {
  return {
    name: `${f.db}.${f.name}`, kind: f.kind, export: f.export, hash: f.hash, location: f.location,
    args: f.args, returns: f.returns, nullOnNullInput: f.nullOnNullInput, temporary: false,
  };
}

export function userFunctions(catalog: CatalogState, currentDb: string, temporary: ReadonlyMap<string, UdfDef>): UserFunctions {
  const permanent = (db: string, name: string) => {
    const f = catalog.databases[db]?.functions?.[name];
    return f && permanentDef(f);
  };
  return {
    resolve(name) {
      const dot = name.indexOf('.');
      if (dot >= 0) return permanent(name.slice(0, dot), name.slice(dot + 1));
      return temporary.get(name) ?? permanent(currentDb, name);
    },
    names() {
      const here = Object.keys(catalog.databases[currentDb]?.functions ?? {});
      const all = Object.values(catalog.databases).flatMap((db) => Object.keys(db.functions ?? {}).map((n) => `${db.name}.${n}`));
      return [...new Set([...temporary.keys(), ...here, ...all])];
    },
  };
}

const NONE: UserFunctions = { resolve: () => undefined, names: () => [] };
let current: UserFunctions = NONE;

/** Runs `bind` with `fns` as the user functions in force. */
export function withUserFunctions<T>(fns: UserFunctions | undefined, bind: () => T): T {
  const outer = current;
  current = fns ?? NONE;
  try {
    return bind();
  } finally {
    current = outer;
  }
}

export const userFunction = (name: string): UdfDef | undefined => current.resolve(name);
export const userFunctionNames = (): string[] => current.names();

/** Checks a call's arguments against the function's signature and converts them to the declared types, as Hive does. */
export function udfArguments(def: UdfDef, args: readonly BExpr[], pos: SourcePos): BExpr[] {
  const sig = `${def.name}(${def.args.map(typeToString).join(', ')})`;
  if (args.length !== def.args.length)
    throw sqlError(`${sig} takes ${def.args.length} argument${def.args.length === 1 ? '' : 's'}, but ${args.length} ${args.length === 1 ? 'was' : 'were'} given (declared by ${def.location})`, pos);
  return args.map((a, i) => {
    const want: HiveType = def.args[i]!;
    if (!implicitlyConvertible(a.type, want))
      throw sqlError(`argument ${i + 1} of ${sig} is ${typeToString(a.type)}, which does not convert to ${typeToString(want)} (declared by ${def.location})`, pos);
    return castTo(a, want);
  });
}

/** The names of the user functions a statement's stages call. */
export function udfNamesIn(stages: readonly Stage[]): Set<string> {
  const names = new Set<string>();
  const visitExpr = (e: BExpr) => {
    if (e.kind === 'call' && e.udf) names.add(e.fn);
    exprChildren(e).forEach(visitExpr);
  };
  const visit = (n: PlanNode) => {
    if (n.kind === 'aggregate') for (const a of n.aggs) if (a.udf) names.add(a.fn);
    if (n.kind === 'generate' && n.udf) names.add(n.fn);
    if (n.kind === 'window') for (const c of n.calls) if (c.udf) names.add(c.fn);
    ownExprs(n).forEach(visitExpr);
    inputsOf(n).forEach(visit);
  };
  for (const st of stages) {
    visit(st.fragment);
    if (st.output.kind === 'hash') st.output.keys.forEach(visitExpr);
  }
  return names;
}
