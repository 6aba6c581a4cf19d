// Java's Double.toString and Float.toString, which Hive uses wherever it prints a DOUBLE
// or FLOAT (CAST to STRING, the CLI, values inside arrays, maps and structs).

/** The shortest decimal digits that read back as the same float (Float.toString's digits). */
function floatDigits(x: number, exponential: boolean): string {
  for (let p = 1; p <= 9; p++) {
    const t = exponential ? x.toExponential(p - 1) : x.toPrecision(p);
    if (Math.fround(Number(t)) === x) return exponential ? t : String(Number(t));
  }
  return exponential ? x.toExponential() : String(x);
}

/**
 * Java's text of a double (or, with `float`, of a float widened to a double): plain with
 * at least one fraction digit in [10^-3, 10^7), else the computerized scientific form
 * `d.dddE±n`; `NaN`, `Infinity`.
 */
export function javaDoubleString(x: number, float = false): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const a = Math.abs(x);
  if (a >= 1e-3 && a < 1e7) {
    const t = float ? floatDigits(x, false) : String(x);
    return t.includes('.') ? t : `${t}.0`;
  }
  const [m = '', e = ''] = (float ? floatDigits(x, true) : x.toExponential()).split('e');
  return `${m.includes('.') ? m : `${m}.0`}E${e.startsWith('+') ? e.slice(1) : e}`;
}
