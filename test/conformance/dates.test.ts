// Hive's date and time functions against DuckDB with Hive's semantics spelled out. The
// session time zone is UTC (Shoal's default, hive.local.time.zone); the reference runs in UTC.
import { conformance } from './harness.js';

const dsDate = "coalesce(TRY_CAST(ds AS DATE), TRY_CAST(TRY_CAST(ds AS TIMESTAMP) AS DATE))";

conformance('date and time functions', [
  { semantic: 'from_unixtime formats epoch seconds as yyyy-MM-dd HH:mm:ss in the session time zone', hive: 'from_unixtime(b % 2000000000)', duck: "strftime(to_timestamp(b % 2000000000) AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M:%S')", type: 'string' },
  { semantic: 'from_unixtime with a SimpleDateFormat pattern', hive: "from_unixtime(i, 'yyyy/MM/dd HH:mm EEE')", duck: "strftime(to_timestamp(i) AT TIME ZONE 'UTC', '%Y/%m/%d %H:%M %a')" },
  { semantic: 'unix_timestamp of a string in the default pattern', hive: 'unix_timestamp(CAST(ts AS STRING))', duck: 'CAST(floor(epoch(ts)) AS BIGINT)', type: 'bigint' },
  { semantic: 'unix_timestamp with a pattern; a string that does not parse is NULL', hive: "unix_timestamp(ds, 'yyyy-MM-dd')", duck: "CAST(epoch(try_strptime(ds, '%Y-%m-%d')) AS BIGINT)" },
  { semantic: 'unix_timestamp of a timestamp column', hive: 'unix_timestamp(ts)', duck: 'CAST(floor(epoch(ts)) AS BIGINT)' },
  { semantic: 'unix_timestamp with a day-first pattern and single-digit fields', hive: "unix_timestamp('8/4/2008 7:05', 'd/M/yyyy H:mm')", duck: "CAST(epoch(TIMESTAMP '2008-04-08 07:05:00') AS BIGINT)", rows: 'one' },
  { semantic: 'unix_timestamp() without arguments is the current time', hive: 'unix_timestamp() > 1700000000', duck: 'TRUE', rows: 'one' },
  { semantic: 'to_date of a timestamp string keeps the date part (Hive 2.1+: DATE)', hive: 'to_date(CAST(ts AS STRING))', duck: 'CAST(ts AS DATE)', type: 'date' },
  { semantic: 'to_date of a string that is not a date is NULL', hive: 'to_date(ds)', duck: dsDate },
  { semantic: 'date_format of a timestamp', hive: "date_format(ts, 'yyyy-MM-dd HH:mm:ss.SSS')", duck: "strftime(ts, '%Y-%m-%d %H:%M:%S.%g')" },
  { semantic: 'date_format of a date string with month and day names', hive: "date_format(ds, 'MMMM d, yyyy (EEEE) D')", duck: `strftime(${dsDate}, '%B %-d, %Y (%A) %-j')` },
  { semantic: "date_format with quoted literal text and ''", hive: "date_format(ts, \"yyyy'T'HH 'o''clock'\")", duck: "strftime(ts, '%YT%H o''clock')" },
  { semantic: 'datediff counts days from the second date to the first', hive: "datediff(ds, '2008-01-01')", duck: `CAST(${dsDate} - DATE '2008-01-01' AS INTEGER)`, type: 'int' },
  { semantic: 'datediff ignores the time of day', hive: "datediff(ts, '2008-04-08 23:59:59')", duck: "CAST(CAST(ts AS DATE) - DATE '2008-04-08' AS INTEGER)" },
  { semantic: 'date_add and date_sub give a DATE (Hive 2.1+)', hive: 'date_add(ds, i % 400)', duck: `${dsDate} + CAST(i % 400 AS INTEGER)`, type: 'date' },
  { semantic: 'date_sub of a timestamp', hive: 'date_sub(ts, 31)', duck: 'CAST(ts AS DATE) - 31', type: 'date' },
  { semantic: 'add_months keeps the last day of a month the last day', hive: 'add_months(ds, 1)', duck: `strftime(CASE WHEN ${dsDate} = last_day(${dsDate}) THEN last_day(${dsDate} + INTERVAL 1 MONTH) ELSE CAST(${dsDate} + INTERVAL 1 MONTH AS DATE) END, '%Y-%m-%d')`, type: 'string' },
  { semantic: 'add_months clamps to the end of a shorter month and goes backwards', hive: "concat(add_months('2009-01-31', 1), ' ', add_months('2009-03-30', -1), ' ', add_months('2008-02-29', 12))", duck: "'2009-02-28 2009-02-28 2009-02-28'", rows: 'one' },
  { semantic: "months_between counts the rest in 31-day months (Hive docs: months_between('1997-02-28 10:30:00', '1996-10-30') = 3.94959677)", hive: "months_between('1997-02-28 10:30:00', '1996-10-30')", duck: '3.94959677::DOUBLE', type: 'double', rows: 'one' },
  { semantic: 'months_between counts both month ends as whole months and rounds to 8 places', hive: "concat(months_between('2008-02-29', '2008-01-31'), ' ', months_between('2008-05-15 12:00:00', '2008-04-15'))", duck: "'1.0 1.0'", rows: 'one' },
  { semantic: 'months_between over columns, whole when the days of month match', hive: "months_between(ts, '2000-01-15 06:00:00')", duck: "CASE WHEN day(ts) = 15 THEN ((year(ts) - 2000) * 12 + month(ts) - 1) ELSE round(((year(ts) - 2000) * 12 + month(ts) - 1) + ((day(ts) * 86400 + hour(ts) * 3600 + minute(ts) * 60 + second(ts)) - (15 * 86400 + 6 * 3600)) / 2678400.0, 8) END" },
  { semantic: 'last_day gives the last day of the month as a string', hive: 'last_day(ds)', duck: `strftime(last_day(${dsDate}), '%Y-%m-%d')`, type: 'string' },
  { semantic: 'next_day gives the next given weekday after the date', hive: "concat(next_day(ds, 'TU'), '/', next_day(ds, 'friday'))", duck: `strftime(${dsDate} + CAST((2 - dayofweek(${dsDate}) + 6) % 7 + 1 AS INTEGER), '%Y-%m-%d') || '/' || strftime(${dsDate} + CAST((5 - dayofweek(${dsDate}) + 6) % 7 + 1 AS INTEGER), '%Y-%m-%d')` },
  { semantic: 'trunc to month, year and quarter', hive: "concat_ws(' ', trunc(ds, 'MM'), trunc(ds, 'YEAR'), trunc(ts, 'Q'))", duck: `CASE WHEN ${dsDate} IS NULL AND ts IS NULL THEN '' ELSE concat_ws(' ', strftime(date_trunc('month', ${dsDate}), '%Y-%m-%d'), strftime(date_trunc('year', ${dsDate}), '%Y-%m-%d'), strftime(date_trunc('quarter', ts), '%Y-%m-%d')) END` },
  { semantic: 'trunc with an unknown format is NULL', hive: "trunc(ds, 'WEEK')", duck: 'CAST(NULL AS VARCHAR)' },
  { semantic: 'year, quarter, month, day of a date string', hive: 'year(ds) * 10000 + quarter(ds) * 1000 + month(ds) * 10 + day(ds)', duck: `year(${dsDate}) * 10000 + quarter(${dsDate}) * 1000 + month(${dsDate}) * 10 + day(${dsDate})`, type: 'int' },
  { semantic: 'dayofmonth, hour, minute, second of a timestamp', hive: 'dayofmonth(ts) * 1000000 + hour(ts) * 10000 + minute(ts) * 100 + second(ts)', duck: 'day(ts) * 1000000 + hour(ts) * 10000 + minute(ts) * 100 + second(ts)' },
  { semantic: 'hour of a date-only string is 0', hive: 'hour(ds)', duck: `CASE WHEN ${dsDate} IS NOT NULL THEN 0 END` },
  { semantic: 'weekofyear is the ISO week', hive: 'weekofyear(ds)', duck: `weekofyear(${dsDate})` },
  { semantic: 'dayofweek counts from Sunday = 1', hive: 'dayofweek(ts)', duck: 'dayofweek(ts) + 1' },
  { semantic: 'current_date and current_timestamp agree with each other', hive: 'to_date(current_timestamp) = current_date', duck: 'TRUE', rows: 'one' },
  { semantic: 'from_utc_timestamp renders a UTC time in a zone', hive: "from_utc_timestamp(ts, 'America/Los_Angeles')", duck: "timezone('America/Los_Angeles', timezone('UTC', ts))", type: 'timestamp' },
  { semantic: 'to_utc_timestamp reads a time in a zone as UTC', hive: "to_utc_timestamp(ts, 'Asia/Tokyo')", duck: "ts - INTERVAL 9 HOUR" },
  { semantic: 'date + INTERVAL n DAY is a timestamp (day-time interval)', hive: "CAST(ds AS DATE) + INTERVAL '1' DAY", duck: `CAST(${dsDate} AS TIMESTAMP) + INTERVAL 1 DAY`, type: 'timestamp' },
  { semantic: 'date - INTERVAL n MONTH is a date (year-month interval)', hive: 'CAST(ds AS DATE) - INTERVAL 1 MONTH', duck: `CAST(${dsDate} - INTERVAL 1 MONTH AS DATE)`, type: 'date' },
  { semantic: 'timestamp + INTERVAL (expression) HOUR', hive: 'ts + INTERVAL (i % 24) HOUR', duck: 'ts + to_hours(CAST(i % 24 AS INTEGER))' },
  { semantic: 'INTERVAL arithmetic on a DATE literal', hive: "DATE '2012-02-29' + INTERVAL 1 YEAR", duck: "DATE '2013-02-28'", rows: 'one' },
  { semantic: 'comparing a date column with a string compares dates', hive: "CAST(ds AS DATE) > '2008-06-01'", duck: `${dsDate} > DATE '2008-06-01'` },
], [
  { semantic: 'a date pattern letter Shoal cannot translate is rejected at planning', sql: "SELECT date_format(ts, 'yyyy-MM-dd Q') FROM edge", error: /date pattern letter 'Q'/ },
  { semantic: 'date functions reject non-date arguments', sql: 'SELECT year(array(1)) FROM edge', error: /year\(\): argument 1 must be a date, timestamp or string/ },
]);

conformance('session time zone', [
  { semantic: 'from_unixtime uses hive.local.time.zone', hive: 'from_unixtime(0)', duck: "strftime(timezone('America/New_York', to_timestamp(0)), '%Y-%m-%d %H:%M:%S')", rows: 'one' },
  { semantic: 'unix_timestamp reads wall-clock times in hive.local.time.zone', hive: "unix_timestamp('1970-01-01 00:00:00')", duck: '18000::BIGINT', rows: 'one' },
], [], { 'hive.local.time.zone': 'America/New_York' });
