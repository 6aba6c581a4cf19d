// Hive's `${var}` substitution, done on the script text before lexing (as the Hive CLI
// does), so that variables work inside string literals and identifiers alike. Comments are
// left alone: a commented-out line naming a variable that is no longer passed must not fail.
import { isShoalError, sqlError, withFile } from '../common/errors.js';
import { positionAt } from './lexer.js';

// Hive's own pattern: no `}`, `$` or whitespace inside the braces.
const REFERENCE = /\$\{([^}$\s]+)\}/y;
// Hive's hive.variable.substitute.depth
const MAX_DEPTH = 40;

/**
 * Replaces `${name}`, `${hivevar:name}`, `${hiveconf:name}` (looked up in `vars`, under the
 * prefixed key first and then the bare name) and `${env:NAME}` (from the environment).
 * Values are themselves substituted, as in Hive. An undefined variable is an error at the
 * position of its `$`.
 */
export function substituteVariables(text: string, vars: Readonly<Record<string, string>>, file?: string): string {
  try {
    return substitute(text, vars);
  } catch (e) {
    throw file && isShoalError(e) ? withFile(e, file) : e;
  }
}

function substitute(text: string, vars: Readonly<Record<string, string>>): string {
  let out = '';
  let i = 0;
  let quote = ''; // the open quote character, or '' outside strings and backquoted names
  while (i < text.length) {
    const c = text[i]!;
    if (!quote && c === '-' && text[i + 1] === '-') {
      const nl = text.indexOf('\n', i);
      const end = nl < 0 ? text.length : nl;
      out += text.slice(i, end);
      i = end;
      continue;
    }
    if (!quote && c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      const end = close < 0 ? text.length : close + 2;
      out += text.slice(i, end);
      i = end;
      continue;
    }
    if (c === '$') {
      REFERENCE.lastIndex = i;
      const m = REFERENCE.exec(text);
      if (m) {
        out += resolve(m[1]!, vars, text, i, 0);
        i += m[0].length;
        continue;
      }
    }
    if (quote) {
      if (c === '\\' && quote !== '`') {
        out += text.slice(i, i + 2);
        i += 2;
        continue;
      }
      if (c === quote) quote = '';
    } else if (c === "'" || c === '"' || c === '`') {
      quote = c;
    }
    out += c;
    i++;
  }
  return out;
}

function resolve(ref: string, vars: Readonly<Record<string, string>>, text: string, at: number, depth: number): string {
  if (depth >= MAX_DEPTH) {
    throw sqlError(`variable \${${ref}} expands recursively more than ${MAX_DEPTH} levels`, positionAt(text, at));
  }
  const value = lookup(ref, vars);
  if (value === undefined) throw sqlError(`undefined variable \${${ref}}`, positionAt(text, at));
  // Nested references are reported at the outer reference: that is where the user can look.
  return value.replace(/\$\{([^}$\s]+)\}/g, (_m, inner: string) => resolve(inner, vars, text, at, depth + 1));
}

function lookup(ref: string, vars: Readonly<Record<string, string>>): string | undefined {
  const colon = ref.indexOf(':');
  const own = (k: string) => (Object.hasOwn(vars, k) ? vars[k] : undefined);
  if (colon < 0) return own(ref) ?? own(`hivevar:${ref}`) ?? own(`hiveconf:${ref}`);
  const ns = ref.slice(0, colon).toLowerCase();
  const name = ref.slice(colon + 1);
  if (ns === 'env') return process.env[name];
  return own(ref) ?? own(name);
}
