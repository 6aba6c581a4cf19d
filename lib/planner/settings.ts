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
  /** speculative execution (issue 6): a straggler gets one shadow attempt once most of its stage has finished */
  'shoal.speculation.enabled': 'true',
  /** the share of a stage's tasks that must have finished before any shadow is launched */
  'shoal.speculation.min-finished-ratio': '0.75',
  /** a running task is a straggler past this many times the median duration of its stage's finished tasks */
  'shoal.speculation.multiplier': '1.5',
  /** and past this much running time: shorter tasks are not worth a second Lambda */
  'shoal.speculation.min-runtime': '10s',
  /** how often a stage's watcher looks at its tasks' progress (a Wait state on AWS: whole seconds) */
  'shoal.speculation.interval': '5s',
  /** how often a running task attempt writes its progress record and sends its heartbeat (at least 3 times per heartbeat timeout) */
  'shoal.task.progress-interval': '5s',
  /** a task attempt that reports no progress for this long is failed and retried (the Task state's HeartbeatSeconds) */
  'shoal.task.heartbeat-timeout': '60s',
  /** a job none of whose attempts advanced (rows or bytes) for this long is aborted and cleaned up */
  'shoal.job.no-progress-timeout': '10min',
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

/** A duration setting in milliseconds: `500ms`, `10s`, `2min`, `1h`; a bare number is seconds. */
export function durationSetting(settings: Readonly<Record<string, string>>, key: string): number {
  const raw = setting(settings, key).trim();
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|sec|m|min|h)?$/i.exec(raw);
  if (!m) throw new Error(`setting ${key}=${raw} is not a duration: expected e.g. 500ms, 10s, 2min`);
  const unit = (m[2] ?? 's').toLowerCase();
  const mult = unit === 'ms' ? 1 : unit === 'm' || unit === 'min' ? 60_000 : unit === 'h' ? 3_600_000 : 1000;
  return Math.round(Number(m[1]) * mult);
}

/** A ratio or factor setting, e.g. `0.75`. */
export function ratioSetting(settings: Readonly<Record<string, string>>, key: string): number {
  const raw = setting(settings, key).trim();
  const n = Number(raw);
  if (raw === '' || !Number.isFinite(n) || n < 0) throw new Error(`setting ${key}=${raw} is not a non-negative number`);
  return n;
}

export function booleanSetting(settings: Readonly<Record<string, string>>, key: string): boolean {
  const raw = setting(settings, key).trim().toLowerCase();
  if (raw !== 'true' && raw !== 'false') throw new Error(`setting ${key}=${raw} is not true or false`);
  return raw === 'true';
}
