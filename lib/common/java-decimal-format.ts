// java.text.DecimalFormat patterns, as Hive's format_number(x, 'pattern') applies them:
// prefix and suffix text (quoted with '…', `%` scales by 100, `‰` by 1000), `#` and `0`
// digits, `,` grouping (the group size is the digit count after the last comma), a `.`
// with minimum (`0`) and maximum (`#`) fraction digits, HALF_EVEN rounding of the exact
// binary value (Java 8+), and a `-` before the prefix for negative numbers unless the
// pattern has its own `;negative` part. Exponent patterns (`0.##E0`) are not supported.

export interface DecimalPattern {
  readonly prefix: string;
  readonly suffix: string;
  readonly negPrefix: string;
  readonly negSuffix: string;
  readonly minInt: number;
  readonly minFrac: number;
  readonly maxFrac: number;
  readonly group: number;
  readonly showPoint: boolean;
  readonly multiplier: number;
}

/** Splits one sub-pattern into prefix, number part and suffix, unquoting the affixes. */
function affixes(p: string): { prefix: string; body: string; suffix: string; multiplier: number } {
  let i = 0;
  let prefix = '';
  let multiplier = 1;
  const literal = (out: string, at: number): [string, number] => {
    const ch = p[at]!;
    if (ch === "'") {
      const end = p.indexOf("'", at + 1);
      if (end < 0) throw new Error(`unclosed quote in the pattern '${p}'`);
      return [out + (end === at + 1 ? "'" : p.slice(at + 1, end)), end + 1];
    }
    if (ch === '%') multiplier = 100;
    if (ch === '\u2030') multiplier = 1000;
    return [out + ch, at + 1];
  };
  while (i < p.length && !'#0,.'.includes(p[i]!)) [prefix, i] = literal(prefix, i);
  let j = i;
  while (j < p.length && '#0,.'.includes(p[j]!)) j++;
  const body = p.slice(i, j);
  let suffix = '';
  for (let k = j; k < p.length;) {
    if (p[k] === 'E') throw new Error(`exponent patterns are not supported: '${p}'`);
    [suffix, k] = literal(suffix, k);
  }
  return { prefix, body, suffix, multiplier };
}

export function parseDecimalPattern(pattern: string): DecimalPattern {
  const [pos = '', neg] = pattern.split(';');
  const a = affixes(pos);
  if (a.body === '' || (a.body.match(/\./g)?.length ?? 0) > 1) throw new Error(`malformed number pattern '${pattern}'`);
  const [int = '', frac] = a.body.split('.');
  if (frac?.includes(',')) throw new Error(`malformed number pattern '${pattern}'`);
  const lastComma = int.lastIndexOf(',');
  const n = neg !== undefined ? affixes(neg) : undefined;
  return {
    prefix: a.prefix, suffix: a.suffix,
    negPrefix: n ? n.prefix : `-${a.prefix}`, negSuffix: n ? n.suffix : a.suffix,
    minInt: (int.match(/0/g) ?? []).length,
    minFrac: (frac?.match(/0/g) ?? []).length,
    maxFrac: frac?.length ?? 0,
    group: lastComma < 0 ? 0 : int.length - lastComma - 1,
    showPoint: frac !== undefined && frac.length === 0,
    multiplier: a.multiplier,
  };
}

/** The exact decimal digits of |x| rounded HALF_EVEN to `places` fraction digits: [integer, fraction]. */
function roundHalfEven(x: number, places: number): [string, string] {
  if (x >= 1e21) return [BigInt(x).toString(), '0'.repeat(places)];
  const extra = Math.min(100, places + 30);
  const exact = x.toFixed(extra);
  const point = exact.indexOf('.');
  const keep = exact.slice(0, point + 1 + places).replace('.', '');
  const rest = exact.slice(point + 1 + places);
  let digits = BigInt(keep || '0');
  const up = rest[0]! > '5' || (rest[0] === '5' && (/[1-9]/.test(rest.slice(1)) || digits % 2n === 1n));
  if (up) digits += 1n;
  const text = digits.toString().padStart(places + 1, '0');
  return [text.slice(0, text.length - places), text.slice(text.length - places)];
}

export function formatDecimal(x: number, p: DecimalPattern): string {
  if (Number.isNaN(x)) return 'NaN';
  const negative = x < 0 || Object.is(x, -0);
  const v = Math.abs(x) * p.multiplier;
  if (!Number.isFinite(v)) return `${negative ? p.negPrefix : p.prefix}\u221e${negative ? p.negSuffix : p.suffix}`;
  let [int, frac] = roundHalfEven(v, p.maxFrac);
  int = int.replace(/^0+/, '');
  while (frac.length > p.minFrac && frac.endsWith('0')) frac = frac.slice(0, -1);
  if (int.length < p.minInt) int = int.padStart(p.minInt, '0');
  if (int === '' && frac === '') int = '0';
  if (p.group > 0) int = int.replace(new RegExp(`\\B(?=(\\d{${p.group}})+$)`, 'g'), ',');
  const number = int + (frac !== '' || p.showPoint ? `.${frac}` : '');
  // as Java, a negative number that rounds to zero keeps its sign (-0.00)
  return negative ? `${p.negPrefix}${number}${p.negSuffix}` : `${p.prefix}${number}${p.suffix}`;
}
