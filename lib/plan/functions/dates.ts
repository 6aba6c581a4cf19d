// Hive's date and time functions. Hive 2.1+ result types: to_date, date_add and date_sub
// give DATE; add_months, last_day, next_day and trunc give 'yyyy-MM-dd' strings.
import { sqlError, type SourcePos } from '../../common/errors.js';
import { javaDateFormat } from '../../common/java-date-format.js';
import type { BExpr } from '../nodes.js';
import { T, isNumeric, isPrimitive, isStringy, typeToString, type HiveType } from '../../common/types.js';
import { fixed, fn, requireLiteral, type ScalarSignature } from './signature.js';

/** Dates, timestamps and strings are read as points in time; anything else is not. */
const timeLike = (t: HiveType) => isStringy(t) || isPrimitive(t, 'date', 'timestamp', 'void');
const checkTime = (...idx: number[]): ScalarSignature['check'] => (args, pos, name) => {
  for (const i of idx) {
    const t = args[i]?.type;
    if (t && !timeLike(t)) throw sqlError(`${name}(): argument ${i + 1} must be a date, timestamp or string, but it is ${typeToString(t)}`, pos);
  }
};
const field = fn(1, 1, fixed(T.int), undefined, checkTime(0));
function checkPattern(args: readonly BExpr[], i: number, pos: SourcePos, name: string): void {
  if (args.length <= i) return;
  const f = javaDateFormat(requireLiteral(args, i, 'pattern', pos, name));
  if (!f.ok) throw sqlError(`${name}(): ${f.message}`, pos);
}
const pattern = (i: number): ScalarSignature['check'] => (args, pos, name) => {
  checkTime(0)!(args, pos, name);
  checkPattern(args, i, pos, name);
};

export const DATE_FUNCTIONS: Record<string, ScalarSignature> = {
  from_unixtime: fn(1, 2, fixed(T.string), () => [T.bigint, T.string], (args, pos, name) => checkPattern(args, 1, pos, name)),
  unix_timestamp: fn(0, 2, fixed(T.bigint), () => [undefined, T.string], pattern(1)),
  to_unix_timestamp: fn(1, 2, fixed(T.bigint), () => [undefined, T.string], pattern(1)),
  to_date: fn(1, 1, fixed(T.date), undefined, checkTime(0)),
  date_format: fn(2, 2, fixed(T.string), () => [undefined, T.string], pattern(1)),
  datediff: fn(2, 2, fixed(T.int), undefined, checkTime(0, 1)),
  date_add: fn(2, 2, fixed(T.date), () => [undefined, T.int], checkTime(0)),
  date_sub: fn(2, 2, fixed(T.date), () => [undefined, T.int], checkTime(0)),
  add_months: fn(2, 3, fixed(T.string), () => [undefined, T.int, T.string], pattern(2)),
  months_between: fn(2, 3, fixed(T.double), () => [undefined, undefined, T.boolean], checkTime(0, 1)),
  last_day: fn(1, 1, fixed(T.string), undefined, checkTime(0)),
  next_day: fn(2, 2, fixed(T.string), () => [undefined, T.string], checkTime(0)),
  // trunc(date, 'MM') truncates a date; trunc(number, d) (Hive 3) truncates a number
  trunc: fn(1, 2, (a) => (isNumeric(a[0]!) ? a[0]! : T.string), (a) => (isNumeric(a[0]!) ? [a[0], T.int] : [undefined, T.string]), (args, pos, name) => {
    if (!isNumeric(args[0]!.type)) {
      checkTime(0)!(args, pos, name);
      if (args.length < 2) throw sqlError(`${name}(): a date needs a format ('MM', 'YEAR', 'Q', …) as its second argument`, pos);
    }
  }),
  year: field, quarter: field, month: field, day: field, dayofmonth: field,
  hour: field, minute: field, second: field, weekofyear: field, dayofweek: field,
  current_date: fn(0, 0, fixed(T.date)),
  current_timestamp: fn(0, 0, fixed(T.timestamp)),
  from_utc_timestamp: fn(2, 2, fixed(T.timestamp), () => [undefined, T.string], checkTime(0)),
  to_utc_timestamp: fn(2, 2, fixed(T.timestamp), () => [undefined, T.string], checkTime(0)),
};

