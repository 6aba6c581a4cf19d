// `SET` keys Shoal reads, with their defaults. Hive's own keys pass through unchanged.

export const DEFAULTS: Readonly<Record<string, string>> = {
  /** fine partitions every shuffle-writing stage produces; readers coalesce them */
  'shoal.shuffle.partitions': '64',
  /** a hash-partitioned map output up to this size is one Parquet file of all partitions, not one per partition (0: never) */
  'shoal.shuffle.combined-max-bytes': String(4 * 1024 * 1024),
  /** bytes of input a task should get, for sizing every stage's fan-out */
  'shoal.adaptive.target-bytes-per-task': String(128 * 1024 * 1024),
  'shoal.adaptive.min-parallelism': '1',
  'shoal.adaptive.max-parallelism': '1000',
  /** a join partition over this many times the median partition (and over the target) is split across tasks */
  'shoal.adaptive.skew-factor': '4',
  /** a join side whose upstream wrote less than this is broadcast at run time instead of read by partition */
  'shoal.join.broadcast-threshold-bytes': String(10 * 1024 * 1024),
  /** shuffle rows on the dynamic partition columns before writing (Flink's sort option) */
  'shoal.sink.dynamic-partition.sort': 'true',
  'shoal.aggregate.two-phase': 'true',
  /** a written file under this size is merged with others of its partition before the commit */
  'shoal.compaction.small-file-bytes': String(16 * 1024 * 1024),
  /** the size merged files aim at */
  'shoal.compaction.target-file-bytes': String(128 * 1024 * 1024),
  /** at most this many rows per Parquet row group in merged files */
  'shoal.compaction.row-group-rows': String(1024 * 1024),
  'shoal.compaction.enabled': 'true',
  /** scans of Parquet on S3 fetch only the column chunks they read (and the footer), not whole files */
  'shoal.scan.column-ranges': 'true',
  /** Hive's session time zone (Hive 3's key): unix_timestamp, from_unixtime, current_timestamp read and write wall-clock times in it */
  'hive.local.time.zone': 'UTC',
};

/** The session time zone as an IANA name; Hive's 'LOCAL' is the machine's zone. */
export function sessionTimeZone(settings: Readonly<Record<string, string>>): string {
  const tz = setting(settings, 'hive.local.time.zone').trim();
  return tz === '' || tz.toUpperCase() === 'LOCAL' ? Intl.DateTimeFormat().resolvedOptions().timeZone : tz;
}

export function setting(settings: Readonly<Record<string, string>>, key: string): string {
  return settings[key] ?? DEFAULTS[key] ?? '';
}

export function numberSetting(settings: Readonly<Record<string, string>>, key: string): number {
  const raw = setting(settings, key).trim();
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?$/i.exec(raw);
  if (!m) throw new Error(`setting ${key}=${raw} is not a number`);
  const unit = (m[2] ?? '').toLowerCase()[0];
  const mult = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  return Math.round(Number(m[1]) * mult);
}
