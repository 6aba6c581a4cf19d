// Hive functions DuckDB has no equivalent for, registered on each DuckDB instance as JS
// scalar functions: Java regular expressions RE2 cannot run, Java's hashCode, conv,
// crc32 and the SHA-2 variants. They run on the JS thread, so the renderer uses them only
// where DuckDB's own functions cannot give Hive's answer.
import { createHash } from 'node:crypto';
import {
  BIGINT, BLOB, BOOLEAN, DOUBLE, FLOAT, INTEGER, LIST, TIMESTAMP, VARCHAR,
  DuckDBScalarFunction, MAP, listValue, mapValue, type DuckDBConnection, type DuckDBType, type DuckDBValue,
} from '@duckdb/node-api';
import { javaDoubleString } from '../common/java-number.js';
import { formatDecimal, parseDecimalPattern, type DecimalPattern } from '../common/java-decimal-format.js';
import { getJsonObject, jsonTupleValue } from './functions/json-path.js';
import { parseReplacement, translateJavaRegex } from './functions/java-regex.js';

const regexCache = new Map<string, RegExp>();

/** A Java pattern as a global JS RegExp (callers reset lastIndex). */
function javaRegExp(pattern: string): RegExp {
  let re = regexCache.get(pattern);
  if (!re) {
    const { source, flags } = translateJavaRegex(pattern).js;
    try {
      re = new RegExp(source, `${flags}gu`);
    } catch {
      re = new RegExp(source, `${flags}g`);
    }
    regexCache.set(pattern, re);
  }
  re.lastIndex = 0;
  return re;
}

function groupOf(m: RegExpExecArray, ref: number | { name: string }): string {
  if (typeof ref === 'number') {
    if (ref >= m.length) throw new Error(`no group ${ref} in pattern`);
    return m[ref] ?? '';
  }
  const g = m.groups?.[ref.name];
  if (g === undefined && !(m.groups && ref.name in m.groups)) throw new Error(`no group named '${ref.name}' in pattern`);
  return g ?? '';
}

function rlike(s: string, p: string): boolean {
  return javaRegExp(p).test(s);
}

function regexpReplace(s: string, p: string, rep: string): string {
  const parts = parseReplacement(rep);
  return s.replace(javaRegExp(p), (...args: unknown[]) => {
    // String.replace passes match, groups…, offset, input[, named groups]; rebuild an exec-like array
    const hasNamed = typeof args[args.length - 1] === 'object';
    const groups = args.slice(0, args.length - (hasNamed ? 3 : 2)) as string[];
    const m = Object.assign(groups, { groups: hasNamed ? (args[args.length - 1] as Record<string, string>) : undefined }) as unknown as RegExpExecArray;
    return parts.map((x) => (typeof x === 'string' ? x : groupOf(m, x))).join('');
  });
}

function regexpExtract(s: string, p: string, idx: number): string | null {
  const m = javaRegExp(p).exec(s);
  if (!m) return '';
  if (idx < 0 || idx >= m.length) throw new Error(`regexp_extract: group ${idx} is out of range for pattern '${p}'`);
  return m[idx] ?? null;
}

/** Java's String.split(regex, -1): trailing empty strings kept, no leading empty string for a zero-width match at 0. */
function split(s: string, p: string): string[] {
  const re = javaRegExp(p);
  const out: string[] = [];
  let last = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    if (m[0].length === 0) {
      if (m.index === 0 || m.index >= s.length) { re.lastIndex++; continue; }
      re.lastIndex++;
    }
    out.push(s.slice(last, m.index));
    last = m.index + m[0].length;
  }
  out.push(s.slice(last));
  return out;
}

/** Hive's str_to_map: split on the first delimiter (trailing empties dropped, as split(regex) does), then each entry once on the second; a later key wins. */
function strToMap(text: string, d1: string, d2: string): DuckDBValue {
  const entries = split(text, d1);
  while (entries.length > 0 && entries[entries.length - 1] === '') entries.pop();
  const map = new Map<string, string | null>();
  for (const kv of entries) {
    const re = javaRegExp(d2);
    const m = re.exec(kv);
    if (m && !(m[0].length === 0 && m.index === 0)) map.set(kv.slice(0, m.index), kv.slice(m.index + m[0].length));
    else map.set(kv, null);
  }
  return mapValue([...map].map(([key, value]) => ({ key, value })));
}

const MASK64 = (1n << 64n) - 1n;

/** Hive's conv(): the digits are read as an unsigned 64-bit number up to the first invalid one. */
function conv(num: string, from: number, to: number): string | null {
  if (from < 2 || from > 36 || Math.abs(to) < 2 || Math.abs(to) > 36) return null;
  let negative = num.startsWith('-');
  const digits = negative ? num.slice(1) : num;
  let v = 0n;
  for (const ch of digits) {
    const d = parseInt(ch, 36);
    if (Number.isNaN(d) || d >= from) break;
    v = v * BigInt(from) + BigInt(d);
    if (v > MASK64) { v = MASK64; break; }
  }
  if (digits.length === 0) return null;
  if (negative && to > 0) v = v > MASK64 >> 1n ? MASK64 : (MASK64 + 1n - v) & MASK64;
  if (to < 0 && BigInt.asIntN(64, v) < 0n) {
    v = -BigInt.asIntN(64, v);
    negative = true;
  }
  const text = v.toString(Math.abs(to)).toUpperCase();
  return negative && to < 0 ? `-${text}` : text;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array): bigint {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return BigInt((c ^ 0xffffffff) >>> 0);
}

/** Java's hashCode over bytes as Hive computes it for strings: r = 31 * r + (signed byte). */
function hashBytes(bytes: Uint8Array): number {
  let r = 0;
  for (const b of bytes) r = (Math.imul(r, 31) + ((b << 24) >> 24)) | 0;
  return r;
}

const f64 = new Float64Array(1);
const f64Words = new Int32Array(f64.buffer);
/** Double.hashCode: the two 32-bit halves of doubleToLongBits xor'ed (NaN canonical). */
function hashDouble(d: number): number {
  f64[0] = Number.isNaN(d) ? NaN : d;
  return f64Words[0]! ^ f64Words[1]!;
}
const f32 = new Float32Array(1);
const f32Word = new Int32Array(f32.buffer);
function hashFloat(d: number): number {
  f32[0] = Number.isNaN(d) ? NaN : d;
  return f32Word[0]!;
}

/** Hive's TimestampWritable.hashCode: (seconds << 30 | nanos) folded to 32 bits. */
function hashTimestamp(micros: bigint): number {
  const seconds = micros >= 0n ? micros / 1_000_000n : -((-micros + 999_999n) / 1_000_000n);
  const nanos = (micros - seconds * 1_000_000n) * 1000n;
  const v = BigInt.asUintN(64, (seconds << 30n) | nanos);
  return Number(BigInt.asIntN(32, (v >> 32n) ^ v));
}

/** HiveDecimal.hashCode: BigDecimal's (31 * unscaled.hashCode() + scale) with trailing zeros stripped. */
function hashDecimal(text: string): number {
  let [int = '0', frac = ''] = text.replace(/^[-+]/, '').split('.');
  frac = frac.replace(/0+$/, '');
  let digits = (int + frac).replace(/^0+/, '');
  let scale = frac.length;
  if (digits === '') return 0;
  while (scale > 0 && digits.endsWith('0')) { digits = digits.slice(0, -1); scale--; }
  // a whole number keeps its trailing zeros as a negative scale, as stripTrailingZeros does
  while (scale === 0 && digits.length > 1 && digits.endsWith('0')) { digits = digits.slice(0, -1); scale--; }
  let mag = BigInt(digits);
  const words: number[] = [];
  while (mag > 0n) { words.unshift(Number(mag & 0xffffffffn)); mag >>= 32n; }
  let h = 0;
  for (const w of words) h = (Math.imul(31, h) + w) | 0;
  if (text.startsWith('-')) h = -h | 0;
  return (Math.imul(31, h) + scale) | 0;
}

const MULT = 0x5deece66dn;
const MASK48 = (1n << 48n) - 1n;

/** java.util.Random's 48-bit linear congruential generator, as far as nextDouble needs it. */
class JavaRandom {
  private seed: bigint;
  constructor(seed: bigint) {
    this.seed = (BigInt.asIntN(64, seed) ^ MULT) & MASK48;
  }
  private next(bits: bigint): bigint {
    this.seed = (this.seed * MULT + 0xbn) & MASK48;
    return this.seed >> (48n - bits);
  }
  nextDouble(): number {
    return Number((this.next(26n) << 27n) + this.next(27n)) / 2 ** 53;
  }
}

/**
 * Hive's rand(seed) keeps one Random(seed) per call site in each task (UDFRand is
 * instantiated per operator) and draws nextDouble() per row; the sites' generators live
 * for one task (a worker runs one task at a time).
 */
const randoms = new Map<string, JavaRandom>();
export function resetTaskState(): void {
  randoms.clear();
}
function seededRand(seed: bigint, site: string): number {
  let r = randoms.get(site);
  if (!r) randoms.set(site, (r = new JavaRandom(seed)));
  return r.nextDouble();
}

const patterns = new Map<string, DecimalPattern>();
function formatNumber(x: number, pattern: string): string {
  let p = patterns.get(pattern);
  if (!p) patterns.set(pattern, (p = parseDecimalPattern(pattern)));
  return formatDecimal(x, p);
}

const bytesOf = (v: DuckDBValue): Uint8Array => (v as { bytes: Uint8Array }).bytes;

interface Udf {
  readonly name: string;
  readonly params: readonly DuckDBType[];
  readonly returns: DuckDBType;
  readonly fn: (...args: never[]) => unknown;
  readonly volatile?: boolean;
}

const UDFS: readonly Udf[] = [
  { name: 'hive_rlike', params: [VARCHAR, VARCHAR], returns: BOOLEAN, fn: rlike },
  { name: 'hive_regexp_replace', params: [VARCHAR, VARCHAR, VARCHAR], returns: VARCHAR, fn: regexpReplace },
  { name: 'hive_regexp_extract', params: [VARCHAR, VARCHAR, INTEGER], returns: VARCHAR, fn: regexpExtract },
  { name: 'hive_split', params: [VARCHAR, VARCHAR], returns: LIST(VARCHAR), fn: (s: string, p: string) => listValue(split(s, p)) },
  { name: 'hive_str_to_map', params: [VARCHAR, VARCHAR, VARCHAR], returns: MAP(VARCHAR, VARCHAR), fn: strToMap },
  { name: 'hive_conv', params: [VARCHAR, INTEGER, INTEGER], returns: VARCHAR, fn: conv },
  { name: 'hive_crc32', params: [BLOB], returns: BIGINT, fn: (b: DuckDBValue) => crc32(bytesOf(b)) },
  { name: 'hive_sha2', params: [BLOB, INTEGER], returns: VARCHAR, fn: (b: DuckDBValue, bits: number) => createHash(`sha${bits === 0 ? 256 : bits}`).update(bytesOf(b)).digest('hex') },
  { name: 'hive_hash_string', params: [VARCHAR], returns: INTEGER, fn: (s: string) => hashBytes(Buffer.from(s, 'utf8')) },
  { name: 'hive_hash_binary', params: [BLOB], returns: INTEGER, fn: (b: DuckDBValue) => hashBytes(bytesOf(b)) },
  { name: 'hive_hash_double', params: [DOUBLE], returns: INTEGER, fn: hashDouble },
  { name: 'hive_hash_float', params: [FLOAT], returns: INTEGER, fn: hashFloat },
  { name: 'hive_double_string', params: [DOUBLE], returns: VARCHAR, fn: (x: number) => javaDoubleString(x) },
  { name: 'hive_float_string', params: [FLOAT], returns: VARCHAR, fn: (x: number) => javaDoubleString(x, true) },
  { name: 'hive_hash_decimal', params: [VARCHAR], returns: INTEGER, fn: hashDecimal },
  { name: 'hive_get_json_object', params: [VARCHAR, VARCHAR], returns: VARCHAR, fn: getJsonObject },
  { name: 'hive_json_tuple_value', params: [VARCHAR, VARCHAR], returns: VARCHAR, fn: jsonTupleValue },
  { name: 'hive_format_number', params: [DOUBLE, VARCHAR], returns: VARCHAR, fn: formatNumber },
  { name: 'hive_rand', params: [BIGINT, VARCHAR], returns: DOUBLE, fn: seededRand, volatile: true },
  { name: 'hive_hash_timestamp', params: [TIMESTAMP], returns: INTEGER, fn: (t: DuckDBValue) => hashTimestamp((t as { micros: bigint }).micros) },
];

/** Registers the functions on the connection's database (they are visible to every connection of it). */
export function registerHiveUdfs(con: DuckDBConnection): void {
  for (const u of UDFS) {
    con.registerScalarFunction(DuckDBScalarFunction.create({
      name: u.name,
      returnType: u.returns,
      parameterTypes: u.params,
      volatile: u.volatile,
      mainFunction: (info, input, output) => {
        const cols = u.params.map((_, i) => input.getColumnVector(i));
        for (let r = 0; r < input.rowCount; r++) {
          const args = cols.map((c) => c.getItem(r));
          if (args.some((a) => a === null)) { output.setItem(r, null); continue; }
          try {
            output.setItem(r, (u.fn as (...a: unknown[]) => DuckDBValue)(...args));
          } catch (e) {
            info.setError(`${u.name.replace(/^hive_/, '')}: ${e instanceof Error ? e.message : String(e)}`);
            return;
          }
        }
        output.flush();
      },
    }));
  }
}
