// Hive's date and time functions as DuckDB SQL. Hive's timestamps are wall-clock times;
// unix_timestamp and from_unixtime read and write them in the session time zone.
import { DEFAULT_DATE_PATTERN, javaDateFormat, type DateFormat } from '../../common/java-date-format.js';
import { isNumeric } from '../../common/types.js';
import { quoteString } from '../render-cast.js';
import { SESSION_TZ, asDate, asTimestamp, literalText, type Render } from './render.js';
import { hiveRoundDouble } from './math.js';

const pattern = (text: string | undefined): DateFormat => {
  const f = javaDateFormat(text ?? DEFAULT_DATE_PATTERN);
  if (!f.ok) throw new Error(f.message);
  return f;
};
const ymd = (date: string) => `strftime(${date}, '%Y-%m-%d')`;
const intOf = (f: string): Render => (a, args) => `CAST(${f}(${asTimestamp(args[0]!, a[0]!)}) AS INTEGER)`;

/** Epoch seconds of a wall-clock TIMESTAMP in the session time zone. */
const epochSeconds = (ts: string) => `CAST(floor(epoch(timezone(${SESSION_TZ}, ${ts}))) AS BIGINT)`;

const unixTimestamp: Render = (a, args) => {
  if (a.length === 0) return `CAST(floor(epoch(now())) AS BIGINT)`;
  const x = args[0]!;
  if (!(x.type.kind === 'primitive' && ['string', 'varchar', 'char'].includes(x.type.name))) return epochSeconds(asTimestamp(x, a[0]!));
  const text = a.length > 1 ? literalText(args[1]) : undefined;
  const f = pattern(text);
  // SimpleDateFormat.parse ignores text after the pattern; for the default pattern that is a fraction or a zone
  const input = text === undefined ? `regexp_extract(${a[0]}, '^\\s*(\\d+-\\d+-\\d+ \\d+:\\d+:\\d+)', 1)` : a[0];
  return epochSeconds(`try_strptime(${input}, ${quoteString(f.parse)})`);
};

const DAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];
const NAMES = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];
/** next_day's day name: two letters, three letters or the full name, any case. */
const dayNumber = (n: string) => `(CASE ${DAYS.map((d, i) => `WHEN upper(${n}) IN ('${d}', '${NAMES[i]!.slice(0, 3)}', '${NAMES[i]}') THEN ${i}`).join(' ')} END)`;

const TRUNC_UNITS: Record<string, string> = { MONTH: 'month', MON: 'month', MM: 'month', YEAR: 'year', YYYY: 'year', YY: 'year', QUARTER: 'quarter', Q: 'quarter' };

function monthsBetween(a: readonly string[], args: Parameters<Render>[1]): string {
  const t1 = asTimestamp(args[0]!, a[0]!), t2 = asTimestamp(args[1]!, a[1]!);
  const months = `((year(${t1}) - year(${t2})) * 12 + month(${t1}) - month(${t2}))`;
  const secs = (t: string) => `(day(${t}) * 86400 + hour(${t}) * 3600 + minute(${t}) * 60 + second(${t}))`;
  const sameDay = `(day(${t1}) = day(${t2}) OR (CAST(${t1} AS DATE) = last_day(${t1}) AND CAST(${t2} AS DATE) = last_day(${t2})))`;
  const raw = `(CASE WHEN ${sameDay} THEN CAST(${months} AS DOUBLE) ELSE ${months} + (${secs(t1)} - ${secs(t2)}) / 2678400.0 END)`;
  const roundOff = a.length < 3 ? 'TRUE' : a[2];
  return `(CASE WHEN ${roundOff} THEN ${hiveRoundDouble(raw, '8', 'round')} ELSE ${raw} END)`;
}

export const DATE_RENDERERS: Record<string, Render> = {
  from_unixtime: (a, args) => `strftime(timezone(${SESSION_TZ}, to_timestamp(${a[0]})), ${quoteString(pattern(a.length > 1 ? literalText(args[1]) : undefined).format)})`,
  unix_timestamp: unixTimestamp,
  to_unix_timestamp: unixTimestamp,
  to_date: (a, args) => asDate(args[0]!, a[0]!),
  date_format: (a, args) => `strftime(${asTimestamp(args[0]!, a[0]!)}, ${quoteString(pattern(literalText(args[1])).format)})`,
  datediff: (a, args) => `CAST(${asDate(args[0]!, a[0]!)} - ${asDate(args[1]!, a[1]!)} AS INTEGER)`,
  date_add: (a, args) => `(${asDate(args[0]!, a[0]!)} + ${a[1]})`,
  date_sub: (a, args) => `(${asDate(args[0]!, a[0]!)} - ${a[1]})`,
  // the last day of a month stays the last day; a day past the target month's end becomes its last day
  add_months: (a, args) => {
    const d = asDate(args[0]!, a[0]!);
    const moved = `CAST(${d} + to_months(${a[1]}) AS DATE)`;
    const date = `(CASE WHEN ${d} = last_day(${d}) THEN last_day(${moved}) ELSE ${moved} END)`;
    return a.length > 2 ? `strftime(${date}, ${quoteString(pattern(literalText(args[2])).format)})` : ymd(date);
  },
  months_between: monthsBetween,
  last_day: (a, args) => ymd(`last_day(${asDate(args[0]!, a[0]!)})`),
  next_day: (a, args) => {
    const d = asDate(args[0]!, a[0]!);
    return ymd(`(${d} + CAST((${dayNumber(a[1]!)} - dayofweek(${d}) + 6) % 7 + 1 AS INTEGER))`);
  },
  trunc: (a, args) => {
    if (isNumeric(args[0]!.type)) return `trunc(${a[0]}${a.length > 1 ? `, ${a[1]}` : ''})`;
    const unit = literalText(args[1]);
    const d = asDate(args[0]!, a[0]!);
    if (unit !== undefined) return TRUNC_UNITS[unit.toUpperCase()] ? ymd(`date_trunc('${TRUNC_UNITS[unit.toUpperCase()]}', ${d})`) : 'CAST(NULL AS VARCHAR)';
    return `(CASE ${Object.entries(TRUNC_UNITS).map(([k, v]) => `WHEN upper(${a[1]}) = '${k}' THEN ${ymd(`date_trunc('${v}', ${d})`)}`).join(' ')} END)`;
  },
  year: intOf('year'), quarter: intOf('quarter'), month: intOf('month'), day: intOf('day'), dayofmonth: intOf('day'),
  hour: intOf('hour'), minute: intOf('minute'), second: intOf('second'), weekofyear: intOf('weekofyear'),
  // Hive numbers the days of the week from 1 (Sunday); DuckDB from 0
  dayofweek: (a, args) => `CAST(dayofweek(${asTimestamp(args[0]!, a[0]!)}) + 1 AS INTEGER)`,
  current_date: () => `CAST(timezone(${SESSION_TZ}, now()) AS DATE)`,
  current_timestamp: () => `date_trunc('millisecond', timezone(${SESSION_TZ}, now()))`,
  from_utc_timestamp: (a, args) => `timezone(${a[1]}, timezone('UTC', ${asTimestamp(args[0]!, a[0]!)}))`,
  to_utc_timestamp: (a, args) => `timezone('UTC', timezone(${a[1]}, ${asTimestamp(args[0]!, a[0]!)}))`,
};

const INTERVAL_FN: Record<string, string> = { year: 'to_years', month: 'to_months', day: 'to_days', hour: 'to_hours', minute: 'to_minutes', second: 'to_seconds' };

/** `x ± INTERVAL n unit`: the binder gives the amount already negated for '-'. */
export const intervalAdd: Render = (a, args, type) => {
  const unit = literalText(args[2])!;
  const base = type.kind === 'primitive' && type.name === 'date' ? asDate(args[0]!, a[0]!) : asTimestamp(args[0]!, a[0]!);
  const sum = `(${base} + ${INTERVAL_FN[unit]}(${a[1]}))`;
  return type.kind === 'primitive' && type.name === 'date' ? `CAST(${sum} AS DATE)` : `CAST(${sum} AS TIMESTAMP)`;
};
