// Peak resident memory of this process over a stretch of work. Worker threads (Shoal's
// local tasks) and DuckDB's own threads live in the same process, so the process's RSS
// covers them all. On Linux the kernel's high-water mark (VmHWM) is reset before each
// measurement by writing 5 to /proc/self/clear_refs and read afterwards; elsewhere, or
// if that is refused, RSS is sampled every 20 ms (which can miss short peaks).
import { readFileSync, writeFileSync } from 'node:fs';

const SAMPLE_MS = 20;

function resetHighWater(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

function highWater(): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

export interface PeakMemory { readonly bytes: number; readonly method: 'VmHWM' | 'sampled' }

/** Runs `work` and returns its result with the process's peak RSS while it ran. */
export async function withPeakRss<T>(work: () => Promise<T>): Promise<{ value: T; peak: PeakMemory }> {
  const kernel = resetHighWater();
  let sampled = process.memoryUsage.rss();
  const timer = setInterval(() => { sampled = Math.max(sampled, process.memoryUsage.rss()); }, SAMPLE_MS);
  try {
    const value = await work();
    sampled = Math.max(sampled, process.memoryUsage.rss());
    const hwm = kernel ? highWater() : undefined;
    return { value, peak: hwm !== undefined ? { bytes: Math.max(hwm, sampled), method: 'VmHWM' } : { bytes: sampled, method: 'sampled' } };
  } finally {
    clearInterval(timer);
  }
}
