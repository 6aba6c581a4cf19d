// Hive's regular-expression functions on RE2 where the Java pattern translates exactly,
// else on the JS functions in udfs.ts.
import type { BExpr } from '../../plan/nodes.js';
import { quoteString } from '../render-cast.js';
import { re2Replacement, translateJavaRegex } from './java-regex.js';
import { literalText, type Render } from './render.js';

/** The RE2 form of a literal Java pattern, when there is an exact one. */
function re2(p: BExpr): string | undefined {
  const text = literalText(p);
  return text === undefined ? undefined : translateJavaRegex(text).re2;
}

export const rlike: Render = (a, args) => {
  const p = re2(args[1]!);
  return p !== undefined ? `regexp_matches(${a[0]}, ${quoteString(p)})` : `hive_rlike(${a[0]}, ${a[1]})`;
};

export const REGEX_RENDERERS: Record<string, Render> = {
  rlike, regexp: rlike,
  regexp_replace: (a, args) => {
    const p = re2(args[1]!);
    const repText = literalText(args[2]);
    const rep = repText === undefined ? undefined : re2Replacement(repText);
    if (p !== undefined && rep !== undefined) return `regexp_replace(${a[0]}, ${quoteString(p)}, ${quoteString(rep)}, 'g')`;
    return `hive_regexp_replace(${a[0]}, ${a[1]}, ${a[2]})`;
  },
  regexp_extract: (a, args) => {
    const p = re2(args[1]!);
    const idx = args.length > 2 ? literalText(args[2]) : '1';
    // DuckDB needs a constant group index; Hive gives '' when nothing matches, as DuckDB does
    if (p !== undefined && idx !== undefined && /^\d+$/.test(idx)) return `regexp_extract(${a[0]}, ${quoteString(p)}, ${idx})`;
    return `hive_regexp_extract(${a[0]}, ${a[1]}, ${a[2] ?? '1'})`;
  },
  split: (a, args) => {
    const p = re2(args[1]!);
    // Java's split on a zero-width match differs from RE2's; those go through JS
    return p !== undefined && p !== '' ? `regexp_split_to_array(${a[0]}, ${quoteString(p)})` : `hive_split(${a[0]}, ${a[1]})`;
  },
};
