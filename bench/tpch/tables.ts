// Row generators, one per table, following the column rules of TPC-H clause 4.2.3.
// Each generator produces a key range [from, to] and draws every value from the
// column's own counter-based stream, so a row's contents depend only on its key.
import {
  COLORS, CONTAINER_S1, CONTAINER_S2, INSTRUCTIONS, NATIONS, PRIORITIES, REGIONS, SEGMENTS,
  SHIP_MODES, TYPE_S1, TYPE_S2, TYPE_S3,
} from './dists.js';
import { rand, streamSeed, uniform } from './rng.js';
import { comment, pad9, phone, vstring } from './text.js';

/** What a generator writes to; DuckDB's appender is one. Money is in cents, dates in epoch days. */
export interface RowSink {
  appendInteger(value: number): void;
  appendVarchar(value: string): void;
  endRow(): void;
}

const epochDay = (y: number, m: number, d: number): number => Date.UTC(y, m - 1, d) / 86_400_000;
export const STARTDATE = epochDay(1992, 1, 1);
export const ENDDATE = epochDay(1998, 12, 31);
export const CURRENTDATE = epochDay(1995, 6, 17);
/** Orders stop 151 days before ENDDATE so every line item ships, at the latest, by ENDDATE. */
export const LAST_ORDERDATE = ENDDATE - 151;

export interface Scale {
  readonly sf: number;
  readonly suppliers: number;
  readonly parts: number;
  readonly customers: number;
  readonly orders: number;
  readonly clerks: number;
}

export function scaleOf(sf: number): Scale {
  return {
    sf,
    suppliers: Math.round(sf * 10_000),
    parts: Math.round(sf * 200_000),
    customers: Math.round(sf * 150_000),
    orders: Math.round(sf * 1_500_000),
    clerks: Math.max(1, Math.round(sf * 1_000)),
  };
}

/** Only the first 8 of every 32 orderkeys are used, so keys are sparse (clause 4.2.3). */
export function orderKey(ordinal: number): number {
  const i = ordinal - 1;
  return Math.floor(i / 8) * 32 + (i % 8) + 1;
}

/** The i-th (0..3) supplier of a part: spreads each part's suppliers across the key range. */
export function psSuppkey(partkey: number, i: number, suppliers: number): number {
  return ((partkey + i * (Math.floor(suppliers / 4) + Math.floor((partkey - 1) / suppliers))) % suppliers) + 1;
}

/** p_retailprice in cents. */
export function retailCents(partkey: number): number {
  return 90_000 + (Math.floor(partkey / 10) % 20_001) + 100 * (partkey % 1_000);
}

const S = Object.fromEntries(
  [
    'r_cmnt', 'n_cmnt',
    's_addr', 's_nation', 's_phone', 's_abal', 's_cmnt', 's_bbb', 's_bbb_fill',
    'c_addr', 'c_nation', 'c_phone', 'c_abal', 'c_mseg', 'c_cmnt',
    'p_name', 'p_mfgr', 'p_brnd', 'p_type', 'p_size', 'p_cntr', 'p_cmnt',
    'ps_qty', 'ps_scst', 'ps_cmnt',
    'o_date', 'o_lcnt', 'o_ckey', 'o_prio', 'o_clrk', 'o_cmnt',
    'l_pkey', 'l_sidx', 'l_qty', 'l_dcnt', 'l_tax', 'l_sdte', 'l_cdte', 'l_rdte', 'l_rflg', 'l_inst', 'l_smod', 'l_cmnt',
  ].map((name) => [name, streamSeed(name)]),
) as Record<string, number>;

export function genRegion(sink: RowSink, pool: string): void {
  REGIONS.forEach((name, key) => {
    sink.appendInteger(key);
    sink.appendVarchar(name);
    sink.appendVarchar(comment(pool, S.r_cmnt!, key, 31, 115));
    sink.endRow();
  });
}

export function genNation(sink: RowSink, pool: string): void {
  NATIONS.forEach(([name, region], key) => {
    sink.appendInteger(key);
    sink.appendVarchar(name);
    sink.appendInteger(region);
    sink.appendVarchar(comment(pool, S.n_cmnt!, key, 31, 114));
    sink.endRow();
  });
}

/**
 * SF*5 suppliers get "Customer ... Complaints" and as many "Customer ... Recommends" in
 * their comment (Q16 excludes the former). Picked without repetition by rejection.
 */
export function betterBusinessBureau(scale: Scale): Map<number, string> {
  const marks = new Map<number, string>();
  const each = Math.round(scale.sf * 5);
  for (let draw = 0; marks.size < Math.min(2 * each, scale.suppliers); draw++) {
    const key = uniform(S.s_bbb!, draw, 1, scale.suppliers);
    if (!marks.has(key)) marks.set(key, marks.size < each ? 'Complaints' : 'Recommends');
  }
  return marks;
}

function markComment(pool: string, text: string, key: number, word: string): string {
  const fixed = 'Customer '.length + word.length;
  const filler = comment(pool, S.s_bbb_fill!, key, 0, Math.min(10, text.length - fixed));
  const phrase = `Customer ${filler}${word}`;
  const at = uniform(S.s_bbb_fill!, key, 0, text.length - phrase.length, 2);
  return text.slice(0, at) + phrase + text.slice(at + phrase.length);
}

export function genSupplier(sink: RowSink, pool: string, from: number, to: number, marks: Map<number, string>): void {
  for (let k = from; k <= to; k++) {
    const nation = uniform(S.s_nation!, k, 0, 24);
    let text = comment(pool, S.s_cmnt!, k, 25, 100);
    const mark = marks.get(k);
    if (mark !== undefined) text = markComment(pool, text, k, mark);
    sink.appendInteger(k);
    sink.appendVarchar(`Supplier#${pad9(k)}`);
    sink.appendVarchar(vstring(S.s_addr!, k, 10, 40));
    sink.appendInteger(nation);
    sink.appendVarchar(phone(S.s_phone!, k, nation));
    sink.appendInteger(uniform(S.s_abal!, k, -99_999, 999_999));
    sink.appendVarchar(text);
    sink.endRow();
  }
}

export function genCustomer(sink: RowSink, pool: string, from: number, to: number): void {
  for (let k = from; k <= to; k++) {
    const nation = uniform(S.c_nation!, k, 0, 24);
    sink.appendInteger(k);
    sink.appendVarchar(`Customer#${pad9(k)}`);
    sink.appendVarchar(vstring(S.c_addr!, k, 10, 40));
    sink.appendInteger(nation);
    sink.appendVarchar(phone(S.c_phone!, k, nation));
    sink.appendInteger(uniform(S.c_abal!, k, -99_999, 999_999));
    sink.appendVarchar(SEGMENTS[uniform(S.c_mseg!, k, 0, SEGMENTS.length - 1)]!);
    sink.appendVarchar(comment(pool, S.c_cmnt!, k, 29, 116));
    sink.endRow();
  }
}

/** Five distinct colour words. */
function partName(k: number): string {
  const picked: number[] = [];
  for (let draw = 0; picked.length < 5; draw++) {
    const c = uniform(S.p_name!, k, 0, COLORS.length - 1, draw);
    if (!picked.includes(c)) picked.push(c);
  }
  return picked.map((c) => COLORS[c]).join(' ');
}

export function genPart(sink: RowSink, pool: string, from: number, to: number): void {
  for (let k = from; k <= to; k++) {
    const mfgr = uniform(S.p_mfgr!, k, 1, 5);
    const type = uniform(S.p_type!, k, 0, 149);
    const container = uniform(S.p_cntr!, k, 0, 39);
    sink.appendInteger(k);
    sink.appendVarchar(partName(k));
    sink.appendVarchar(`Manufacturer#${mfgr}`);
    sink.appendVarchar(`Brand#${mfgr}${uniform(S.p_brnd!, k, 1, 5)}`);
    sink.appendVarchar(`${TYPE_S1[Math.floor(type / 25)]} ${TYPE_S2[Math.floor(type / 5) % 5]} ${TYPE_S3[type % 5]}`);
    sink.appendInteger(uniform(S.p_size!, k, 1, 50));
    sink.appendVarchar(`${CONTAINER_S1[container >> 3]} ${CONTAINER_S2[container & 7]}`);
    sink.appendInteger(retailCents(k));
    sink.appendVarchar(comment(pool, S.p_cmnt!, k, 5, 22));
    sink.endRow();
  }
}

/** Four rows per part in [from, to]. */
export function genPartsupp(sink: RowSink, pool: string, scale: Scale, from: number, to: number): void {
  for (let k = from; k <= to; k++) {
    for (let i = 0; i < 4; i++) {
      const c = k * 4 + i;
      sink.appendInteger(k);
      sink.appendInteger(psSuppkey(k, i, scale.suppliers));
      sink.appendInteger(uniform(S.ps_qty!, c, 1, 9_999));
      sink.appendInteger(uniform(S.ps_scst!, c, 100, 100_000));
      sink.appendVarchar(comment(pool, S.ps_cmnt!, c, 49, 198));
      sink.endRow();
    }
  }
}

/**
 * Orders with ordinals [from, to] and their line items; returns the line item count.
 * Line values come first because the order's status and total price summarise them.
 */
export function genOrdersAndLineitems(
  orders: RowSink, lines: RowSink, pool: string, scale: Scale, from: number, to: number,
): number {
  // Customers with custkey % 3 == 0 never order: map a dense index onto the other two thirds.
  const orderingCustomers = scale.customers - Math.floor(scale.customers / 3);
  let lineCount = 0;
  for (let i = from; i <= to; i++) {
    const okey = orderKey(i);
    const odate = uniform(S.o_date!, i, STARTDATE, LAST_ORDERDATE);
    const n = uniform(S.o_lcnt!, i, 1, 7);
    let totalCents = 0;
    let shipped = 0;
    for (let ln = 1; ln <= n; ln++) {
      const c = i * 8 + ln;
      const partkey = uniform(S.l_pkey!, c, 1, scale.parts);
      const qty = uniform(S.l_qty!, c, 1, 50);
      const price = qty * retailCents(partkey);
      const disc = uniform(S.l_dcnt!, c, 0, 10);
      const tax = uniform(S.l_tax!, c, 0, 8);
      const ship = odate + uniform(S.l_sdte!, c, 1, 121);
      const receipt = ship + uniform(S.l_rdte!, c, 1, 30);
      // Exact in doubles: price < 2^24, so the product stays below 2^53.
      totalCents += Math.round((price * (100 - disc) * (100 + tax)) / 10_000);
      if (ship <= CURRENTDATE) shipped++;
      lines.appendInteger(okey);
      lines.appendInteger(partkey);
      lines.appendInteger(psSuppkey(partkey, uniform(S.l_sidx!, c, 0, 3), scale.suppliers));
      lines.appendInteger(ln);
      lines.appendInteger(qty * 100);
      lines.appendInteger(price);
      lines.appendInteger(disc);
      lines.appendInteger(tax);
      lines.appendVarchar(receipt <= CURRENTDATE ? ((rand(S.l_rflg!, c) & 1) === 0 ? 'R' : 'A') : 'N');
      lines.appendVarchar(ship > CURRENTDATE ? 'O' : 'F');
      lines.appendInteger(ship);
      lines.appendInteger(odate + uniform(S.l_cdte!, c, 30, 90));
      lines.appendInteger(receipt);
      lines.appendVarchar(INSTRUCTIONS[uniform(S.l_inst!, c, 0, 3)]!);
      lines.appendVarchar(SHIP_MODES[uniform(S.l_smod!, c, 0, 6)]!);
      lines.appendVarchar(comment(pool, S.l_cmnt!, c, 10, 43));
      lines.endRow();
    }
    lineCount += n;
    const j = uniform(S.o_ckey!, i, 0, orderingCustomers - 1);
    orders.appendInteger(okey);
    orders.appendInteger(Math.floor(j / 2) * 3 + (j % 2) + 1);
    orders.appendVarchar(shipped === n ? 'F' : shipped === 0 ? 'O' : 'P');
    orders.appendInteger(totalCents);
    orders.appendInteger(odate);
    orders.appendVarchar(PRIORITIES[uniform(S.o_prio!, i, 0, 4)]!);
    orders.appendVarchar(`Clerk#${pad9(uniform(S.o_clrk!, i, 1, scale.clerks))}`);
    orders.appendInteger(0);
    orders.appendVarchar(comment(pool, S.o_cmnt!, i, 19, 78));
    orders.endRow();
  }
  return lineCount;
}
