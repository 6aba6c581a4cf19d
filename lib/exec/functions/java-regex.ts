// Hive's regular expressions are java.util.regex; DuckDB's are RE2, and the tasks' JS
// runtime has ECMAScript RegExp. A Java pattern is rendered on RE2 when it translates
// exactly (the common case, and the fast one); otherwise it runs through a JS function
// (lookaround, backreferences, named-group replacements), which is closer to Java.

const POSIX: Record<string, string> = {
  Lower: 'a-z', Upper: 'A-Z', ASCII: '\\x00-\\x7F', Alpha: 'a-zA-Z', Digit: '0-9', Alnum: 'a-zA-Z0-9',
  Punct: '!-\\/:-@\\[-`{-~', Graph: '!-~', Print: ' -~', Blank: ' \\t', Cntrl: '\\x00-\\x1F\\x7F', XDigit: '0-9a-fA-F',
  Space: ' \\t\\n\\x0B\\f\\r',
};

interface Translation { readonly re2?: string; readonly js: { source: string; flags: string } }

const cache = new Map<string, Translation>();

/** The pattern as RE2 when that is exact, and as an ECMAScript RegExp in any case. */
export function translateJavaRegex(pattern: string): Translation {
  const hit = cache.get(pattern);
  if (hit) return hit;
  let re2 = '';
  let js = '';
  let exact = true;
  let flags = '';
  let inClass = false;
  // a '+' right after a quantifier makes it possessive
  let afterQuantifier = false;
  let i = 0;
  const both = (s: string) => { re2 += s; js += s; };
  while (i < pattern.length) {
    const c = pattern[i]!;
    const quantified = afterQuantifier;
    afterQuantifier = false;
    if (c === '\\') {
      const n = pattern[i + 1];
      if (n === undefined) { both('\\\\'); i++; continue; }
      if (n === 'p' || n === 'P') {
        const m = /^\\[pP](\{(\w+)\}|(\w))/.exec(pattern.slice(i));
        const name = m?.[2] ?? m?.[3] ?? '';
        const set = POSIX[name.replace(/^Is/, '')];
        if (m && set) {
          const neg = n === 'P';
          if (inClass) { if (neg) exact = false; else re2 += set; js += neg ? `[^${set}]` : set; }
          else both(`[${neg ? '^' : ''}${set}]`);
          i += m[0].length;
          continue;
        }
        if (m && /^[A-Z][a-z]?$/.test(name)) { both(m[0]); i += m[0].length; continue; }
        exact = false;
        js += m ? m[0] : '\\p';
        i += m ? m[0].length : 2;
        continue;
      }
      if (n === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        const text = pattern.slice(i + 2, end < 0 ? undefined : end);
        both(text.replace(/[\\^$.|?*+()[\]{}\-/]/g, '\\$&'));
        i = end < 0 ? pattern.length : end + 2;
        continue;
      }
      if (n === 'u' && /^[0-9a-fA-F]{4}$/.test(pattern.slice(i + 2, i + 6))) {
        re2 += `\\x{${pattern.slice(i + 2, i + 6)}}`;
        js += pattern.slice(i, i + 6);
        i += 6;
        continue;
      }
      if (/[1-9]/.test(n) && !inClass) { exact = false; js += `\\${n}`; i += 2; continue; }
      if (n === 'A') { re2 += '\\A'; js += '^'; i += 2; continue; }
      if (n === 'z' || n === 'Z') { if (n === 'Z') exact = false; re2 += '\\z'; js += '$'; i += 2; continue; }
      if (n === 'e') { both('\\x1B'); i += 2; continue; }
      if ('GhHvVRXc0'.includes(n)) exact = false;
      both(`\\${n}`);
      i += 2;
      continue;
    }
    if (inClass) {
      if (c === '[' || (c === '&' && pattern[i + 1] === '&')) exact = false;
      if (c === ']') inClass = false;
      both(c);
      i++;
      continue;
    }
    if (c === '[') {
      inClass = true;
      both(c);
      i++;
      // a ']' or '^]' right after '[' is a literal in Java as in RE2
      if (pattern[i] === '^') { both('^'); i++; }
      if (pattern[i] === ']') { both('\\]'); i++; }
      continue;
    }
    if (c === '(' && pattern[i + 1] === '?') {
      const rest = pattern.slice(i + 2);
      const named = /^<([a-zA-Z][a-zA-Z0-9]*)>/.exec(rest);
      if (named) { re2 += `(?P<${named[1]}>`; js += `(?<${named[1]}>`; i += 2 + named[0].length; continue; }
      const inline = /^([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])/.exec(rest);
      if (inline) {
        const on = inline[1]!, off = inline[2] ?? '';
        if (!/^[ims]*$/.test(on + off)) exact = false;
        re2 += `(?${inline[0]}`;
        // a leading (?i) becomes a RegExp flag; other inline flags are passed on as written
        if (inline[3] === ')' && i === 0 && off === '') flags += on.replace(/[^ims]/g, '');
        else js += `(?${inline[0]}`;
        i += 2 + inline[0].length;
        continue;
      }
      // lookahead, lookbehind, atomic groups: not in RE2; atomic groups become plain ones in JS
      exact = false;
      if (rest.startsWith('>')) { js += '(?:'; i += 3; continue; }
      js += '(?';
      i += 2;
      continue;
    }
    if (c === '+' && quantified) {
      // possessive quantifier: not in RE2; greedy in JS
      exact = false;
      i++;
      continue;
    }
    const bounds = c === '{' ? /^\{\d+(,\d*)?\}/.exec(pattern.slice(i)) : null;
    if (bounds) {
      both(bounds[0]);
      i += bounds[0].length;
      afterQuantifier = true;
      continue;
    }
    afterQuantifier = c === '*' || c === '+' || c === '?';
    both(c);
    i++;
  }
  const t: Translation = { re2: exact ? re2 : undefined, js: { source: js, flags } };
  cache.set(pattern, t);
  return t;
}

/**
 * A Java replacement string (`$1`, `${name}`, `\$`) as RE2's (`\1`), or undefined when
 * RE2 cannot express it.
 */
export function re2Replacement(rep: string): string | undefined {
  let out = '';
  for (let i = 0; i < rep.length; i++) {
    const c = rep[i]!;
    if (c === '\\') { const n = rep[++i]; if (n === undefined) return undefined; out += n === '\\' ? '\\\\' : n; continue; }
    if (c === '$') {
      const m = /^\d/.exec(rep.slice(i + 1));
      if (!m) return undefined;
      out += `\\${m[0]}`;
      i += 1;
      continue;
    }
    out += c;
  }
  return out;
}

/** The parts of a Java replacement string: text, or a group by number or name. */
export function parseReplacement(rep: string): (string | number | { name: string })[] {
  const parts: (string | number | { name: string })[] = [];
  let text = '';
  for (let i = 0; i < rep.length; i++) {
    const c = rep[i]!;
    if (c === '\\' && i + 1 < rep.length) { text += rep[++i]; continue; }
    if (c === '$') {
      const named = /^\{([a-zA-Z][a-zA-Z0-9]*)\}/.exec(rep.slice(i + 1));
      const num = /^\d/.exec(rep.slice(i + 1));
      if (named || num) {
        if (text) parts.push(text);
        text = '';
        parts.push(named ? { name: named[1]! } : Number(num![0]));
        i += named ? named[0].length : 1;
        continue;
      }
      throw new Error(`illegal group reference in replacement '${rep}'`);
    }
    text += c;
  }
  if (text) parts.push(text);
  return parts;
}
