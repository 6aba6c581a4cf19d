// Shared by the SQL front-end tests: ASTs compared without positions, and syntax errors
// checked for their exact message and line:column.
import assert from 'node:assert/strict';
import { isShoalError } from '../../lib/common/errors.js';

/** A node without its `pos` fields (and without undefined members), for deepEqual. */
export function strip(node: unknown): unknown {
  return JSON.parse(JSON.stringify(node, (k, v: unknown) => (k === 'pos' || k === 'storedAsPos' ? undefined : v)));
}

export function assertSqlError(fn: () => unknown, message: string, line: number, col: number): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(isShoalError(e), `expected a ShoalError, got ${String(e)}`);
    assert.equal(e.kind, 'sql');
    assert.equal(e.message, message);
    assert.deepEqual({ line: e.pos?.line, col: e.pos?.col }, { line, col });
    return true;
  });
}

export const col = (...parts: string[]) => ({ kind: 'column', parts });
export const num = (value: string) => ({ kind: 'literal', type: 'number', value });
export const str = (value: string) => ({ kind: 'literal', type: 'string', value });
export const bin = (op: string, left: unknown, right: unknown) => ({ kind: 'binary', op, left, right });
export const call = (name: string, ...args: unknown[]) => ({ kind: 'call', name, args, distinct: false, star: false });
