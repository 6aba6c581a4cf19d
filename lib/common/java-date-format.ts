// Java SimpleDateFormat patterns (what Hive's unix_timestamp, from_unixtime and
// date_format take) as DuckDB strftime/strptime formats. Shared by the binder, which
// rejects a pattern it cannot translate, and by the executor, which renders it.

export interface DateFormat {
  readonly ok: true;
  /** for strftime (formatting): unpadded fields use DuckDB's `%-` forms */
  readonly format: string;
  /** for strptime (parsing): DuckDB reads one or two digits for padded fields either way */
  readonly parse: string;
}
export interface DateFormatError { readonly ok: false; readonly message: string }

// letter → [format for count 1, count 2, count ≥3 | ≥4]; parse uses the padded forms
const LETTERS: Record<string, (n: number) => [string, string] | undefined> = {
  y: (n) => (n === 2 ? ['%y', '%y'] : ['%Y', '%Y']),
  Y: (n) => (n === 2 ? ['%y', '%y'] : ['%G', '%G']),
  M: (n) => (n === 1 ? ['%-m', '%m'] : n === 2 ? ['%m', '%m'] : n === 3 ? ['%b', '%b'] : ['%B', '%B']),
  L: (n) => (n === 1 ? ['%-m', '%m'] : n === 2 ? ['%m', '%m'] : n === 3 ? ['%b', '%b'] : ['%B', '%B']),
  d: (n) => (n === 1 ? ['%-d', '%d'] : ['%d', '%d']),
  D: (n) => (n < 3 ? ['%-j', '%j'] : ['%j', '%j']),
  H: (n) => (n === 1 ? ['%-H', '%H'] : ['%H', '%H']),
  h: (n) => (n === 1 ? ['%-I', '%I'] : ['%I', '%I']),
  m: (n) => (n === 1 ? ['%-M', '%M'] : ['%M', '%M']),
  s: (n) => (n === 1 ? ['%-S', '%S'] : ['%S', '%S']),
  S: (n) => (n <= 3 ? ['%g', '%g'] : n <= 6 ? ['%f', '%f'] : ['%n', '%n']),
  a: () => ['%p', '%p'],
  E: (n) => (n <= 3 ? ['%a', '%a'] : ['%A', '%A']),
  u: () => ['%u', '%u'],
  w: (n) => (n === 1 ? ['%-V', '%V'] : ['%V', '%V']),
  z: () => ['%Z', '%Z'],
  Z: () => ['%z', '%z'],
  X: () => ['%z', '%z'],
};

const cache = new Map<string, DateFormat | DateFormatError>();

export function javaDateFormat(pattern: string): DateFormat | DateFormatError {
  const hit = cache.get(pattern);
  if (hit) return hit;
  let format = '';
  let parse = '';
  const literal = (s: string) => {
    const esc = s.replace(/%/g, '%%');
    format += esc;
    parse += esc;
  };
  let i = 0;
  let result: DateFormat | DateFormatError | undefined;
  while (i < pattern.length && !result) {
    const c = pattern[i]!;
    if (c === "'") {
      // '' is a quote; 'text' is literal text
      if (pattern[i + 1] === "'") { literal("'"); i += 2; continue; }
      let text = '';
      let j = i + 1;
      for (; j < pattern.length; j++) {
        if (pattern[j] !== "'") { text += pattern[j]; continue; }
        if (pattern[j + 1] === "'") { text += "'"; j++; continue; }
        break;
      }
      if (j >= pattern.length) { result = { ok: false, message: `unterminated quote in date pattern '${pattern}'` }; break; }
      literal(text);
      i = j + 1;
      continue;
    }
    if (/[a-zA-Z]/.test(c)) {
      let n = 1;
      while (pattern[i + n] === c) n++;
      const spec = LETTERS[c]?.(n);
      if (!spec) { result = { ok: false, message: `date pattern letter '${c}' in '${pattern}' is not supported` }; break; }
      format += spec[0];
      parse += spec[1];
      i += n;
      continue;
    }
    literal(c);
    i++;
  }
  result ??= { ok: true, format, parse };
  cache.set(pattern, result);
  return result;
}

/** Hive's default pattern for unix_timestamp and from_unixtime. */
export const DEFAULT_DATE_PATTERN = 'yyyy-MM-dd HH:mm:ss';
