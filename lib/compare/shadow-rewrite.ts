// A shadow run's one change to a job: every table it writes is redirected, on the parsed
// statements, to the same-named table in the shadow database, and later reads of those
// tables follow. Production tables are then only ever read.
import * as A from '../sql/ast.js';
import { ShoalError } from '../common/errors.js';

/** statements that change the catalog outside tables: refused, they would touch production (temporary functions excepted) */
const REFUSED = new Set(['createView', 'dropView', 'createDatabase', 'dropDatabase', 'createFunction', 'dropFunction', 'msck', 'analyze']);

export interface ShadowRewriter {
  /** rewrites one statement; `currentDb` is the database USE selected at that point */
  readonly rewrite: (stmt: A.Statement, currentDb: string) => A.Statement;
  /** `db.table` of production → shadow, for every table the job wrote so far */
  readonly written: ReadonlyMap<string, string>;
}

const full = (q: A.QName, currentDb: string) => `${(q.db ?? currentDb).toLowerCase()}.${q.name.toLowerCase()}`;

export function shadowRewriter(shadowDb: string): ShadowRewriter {
  const written = new Map<string, string>();
  const target = (q: A.QName, currentDb: string): A.QName => {
    const from = full(q, currentDb);
    if (from.startsWith(`${shadowDb}.`)) return q;
    written.set(from, `${shadowDb}.${q.name.toLowerCase()}`);
    return { ...q, db: shadowDb };
  };
  // Reads of a table the job already wrote go to its shadow; CTE names are not tables.
  const reads = <T>(node: T, currentDb: string, ctes: ReadonlySet<string>): T => {
    if (Array.isArray(node)) return node.map((n) => reads(n, currentDb, ctes)) as T;
    if (node === null || typeof node !== 'object') return node;
    const o = node as Record<string, unknown>;
    const out = Object.fromEntries(Object.entries(o).map(([k, v]) => [k, reads(v, currentDb, ctes)])) as Record<string, unknown>;
    if (o.kind === 'table' && o.name && typeof o.name === 'object') {
      const q = o.name as A.QName;
      if (!(q.db === undefined && ctes.has(q.name.toLowerCase())) && written.has(full(q, currentDb))) out.name = { ...q, db: shadowDb };
    }
    return out as T;
  };
  const cteNames = (node: unknown, acc = new Set<string>()): Set<string> => {
    if (Array.isArray(node)) node.forEach((n) => cteNames(n, acc));
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (Array.isArray(o.with)) for (const c of o.with as A.Cte[]) acc.add(c.name.toLowerCase());
      Object.values(o).forEach((v) => cteNames(v, acc));
    }
    return acc;
  };
  const rewrite = (stmt: A.Statement, currentDb: string): A.Statement => {
    // a temporary function lives only in the job: nothing of production changes
    const temporaryFunction = (stmt.kind === 'createFunction' || stmt.kind === 'dropFunction') && stmt.temporary;
    if (REFUSED.has(stmt.kind) && !temporaryFunction) throw new ShoalError('config', `a shadow run cannot run ${stmt.kind} (it would change production): ${stmt.text.slice(0, 80)}`);
    const s = reads(stmt, currentDb, cteNames(stmt));
    switch (s.kind) {
      case 'insert': return { ...s, table: target(s.table, currentDb) };
      // every branch reads the source as it was, so no branch reads another's shadow
      case 'multiInsert': return { ...s, branches: s.branches.map((b) => ('table' in b ? { ...b, table: target(b.table, currentDb) } : b)) };
      case 'loadData': return { ...s, table: target(s.table, currentDb) };
      case 'createTable': return { ...s, name: target(s.name, currentDb) };
      case 'dropTable': case 'truncate': return { ...s, name: target(s.name, currentDb) };
      case 'alterTable':
        if (s.action.kind === 'rename') throw new ShoalError('config', `a shadow run cannot rename tables: ${s.text.slice(0, 80)}`);
        return { ...s, name: target(s.name, currentDb) };
      case 'explain': return { ...s, statement: rewrite(s.statement, currentDb) };
      default: return s;
    }
  };
  return { rewrite, written };
}
