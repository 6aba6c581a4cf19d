// A directory that plays S3. Keys map to files under the root, so other tools (DuckDB,
// a shell) can read the warehouse directly. Every write lands in a temp file first and
// is then renamed or hard-linked into place, so a reader sees a whole object or none.
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import * as fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { ShoalError } from '../common/errors.js';
import { newCounters, type ByteRange, type ObjectInfo, type ObjectStore, type PutFileOptions, type StoreCounters } from './object-store.js';
import { compareKeys, mapLimit, toBytes, validateRange } from './util.js';

/** Temp files live here, under the root (same file system, so rename and link work), and are never listed. */
const TMP = '.shoal-tmp';
/** How often to redo mkdir + rename when a concurrent delete pruned the parent directory in between. */
const INSTALL_ATTEMPTS = 8;
const IO_CONCURRENCY = 32;

type Errno = NodeJS.ErrnoException;
const codeOf = (e: unknown): string | undefined => (e as Errno | undefined)?.code;
const MISSING = new Set(['ENOENT', 'ENOTDIR']);

export class LocalStore implements ObjectStore {
  readonly root: string;
  readonly counters: StoreCounters = newCounters();
  /** absolute path of the root directory */
  readonly dir: string;
  private readonly tmpDir: string;

  constructor(dir: string) {
    this.dir = path.resolve(dir);
    this.root = pathToFileURL(this.dir).href;
    this.tmpDir = path.join(this.dir, TMP);
  }

  async put(key: string, body: Uint8Array | string): Promise<void> {
    this.counters.put++;
    const target = this.pathOf(key);
    const bytes = toBytes(body);
    const tmp = await this.tempPath();
    try {
      await fs.writeFile(tmp, bytes, { flag: 'wx' });
      await this.install(key, target, (t) => fs.rename(tmp, t));
    } catch (e) {
      throw this.fail('put', key, e);
    } finally {
      await fs.rm(tmp, { force: true });
    }
    this.counters.bytesWritten += bytes.byteLength;
  }

  async putFile(key: string, localPath: string, opts?: PutFileOptions): Promise<void> {
    this.counters.put++;
    const target = this.pathOf(key);
    const tmp = await this.tempPath();
    let size: number;
    try {
      // A file the caller gives up moves in when it is on the same file system.
      if (!(opts?.move && (await tryFs(() => fs.rename(localPath, tmp))))) await fs.copyFile(localPath, tmp, fs.constants.COPYFILE_EXCL);
      size = (await fs.stat(tmp)).size;
      await this.install(key, target, (t) => fs.rename(tmp, t));
    } catch (e) {
      throw this.fail('putFile', key, e, localPath);
    } finally {
      await fs.rm(tmp, { force: true });
    }
    this.counters.bytesWritten += size;
  }

  async putIfAbsent(key: string, body: Uint8Array | string): Promise<boolean> {
    this.counters.put++;
    const target = this.pathOf(key);
    const bytes = toBytes(body);
    const tmp = await this.tempPath();
    try {
      await fs.writeFile(tmp, bytes, { flag: 'wx' });
      // link(2) refuses to replace an existing name, atomically and across processes,
      // and the temp file is complete before the name appears.
      await this.install(key, target, (t) => fs.link(tmp, t));
    } catch (e) {
      if (codeOf(e) === 'EEXIST') {
        const st = await fs.lstat(target).catch(() => undefined);
        if (st?.isDirectory()) throw this.shapeError(key);
        return false;
      }
      throw this.fail('putIfAbsent', key, e);
    } finally {
      await fs.rm(tmp, { force: true });
    }
    this.counters.bytesWritten += bytes.byteLength;
    return true;
  }

  async get(key: string, range?: ByteRange): Promise<Uint8Array> {
    this.counters.get++;
    const { fh, size } = await this.openObject(key);
    try {
      const [start, end] = clamp(key, size, range);
      const buf = Buffer.allocUnsafe(end - start);
      let done = 0;
      while (done < buf.length) {
        const { bytesRead } = await fh.read(buf, done, buf.length - done, start + done);
        if (bytesRead === 0) break; // truncated under us: a concurrent in-place writer, which we never are
        done += bytesRead;
      }
      this.counters.bytesRead += done;
      return done === buf.length ? buf : buf.subarray(0, done);
    } catch (e) {
      throw this.fail('get', key, e);
    } finally {
      await fh.close();
    }
  }

  async getToFile(key: string, localPath: string, range?: ByteRange): Promise<void> {
    this.counters.get++;
    // Write beside the destination and rename, so a failed copy never leaves a short file at localPath.
    const tmp = `${localPath}.${randomUUID()}.part`;
    if (range === undefined) {
      const linked = await this.linkObject(key, tmp, localPath);
      if (linked !== undefined) {
        this.counters.bytesRead += linked;
        return;
      }
    }
    const { fh, size } = await this.openObject(key);
    try {
      const [start, end] = clamp(key, size, range);
      await fs.mkdir(path.dirname(localPath), { recursive: true });
      if (end > start) {
        await pipeline(fh.createReadStream({ start, end: end - 1, autoClose: false }), createWriteStream(tmp, { flags: 'wx' }));
      } else {
        await fs.writeFile(tmp, new Uint8Array(0), { flag: 'wx' });
      }
      await fs.rename(tmp, localPath);
      this.counters.bytesRead += end - start;
    } catch (e) {
      await fs.rm(tmp, { force: true });
      throw this.fail('getToFile', key, e, localPath);
    } finally {
      await fh.close();
    }
  }

  async copy(srcKey: string, dstKey: string): Promise<void> {
    this.counters.copy++;
    const source = this.pathOf(srcKey);
    const target = this.pathOf(dstKey);
    const tmp = await this.tempPath();
    try {
      await fs.copyFile(source, tmp, fs.constants.COPYFILE_EXCL);
      await this.install(dstKey, target, (t) => fs.rename(tmp, t));
    } catch (e) {
      if (MISSING.has(codeOf(e) ?? '') && !(await this.head(srcKey))) throw this.missing(srcKey);
      if (codeOf(e) === 'EISDIR') throw this.missing(srcKey); // a directory: only a prefix of other keys
      throw this.fail('copy', `${srcKey} -> ${dstKey}`, e);
    } finally {
      await fs.rm(tmp, { force: true });
    }
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    this.counters.head++;
    const p = this.pathOf(key);
    try {
      const st = await fs.stat(p);
      return st.isFile() ? { key, size: st.size, lastModified: st.mtimeMs } : undefined;
    } catch (e) {
      if (MISSING.has(codeOf(e) ?? '')) return undefined;
      throw this.fail('head', key, e);
    }
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    this.counters.list++;
    // Start at the deepest directory the prefix spells out in full, so listing one
    // table does not walk the whole warehouse.
    const base = prefix.slice(0, prefix.lastIndexOf('/') + 1);
    const baseSegs = base === '' ? [] : base.slice(0, -1).split('/');
    if (!baseSegs.every(validSegment)) return []; // no valid key can start like that
    const out: ObjectInfo[] = [];
    try {
      await this.walk(base, prefix, out);
    } catch (e) {
      throw this.fail('list', prefix, e);
    }
    return out.sort((a, b) => compareKeys(a.key, b.key));
  }

  async delete(keys: readonly string[]): Promise<void> {
    this.counters.delete++;
    const paths = keys.map((k) => this.pathOf(k));
    await mapLimit(paths, IO_CONCURRENCY, async (p, i) => {
      try {
        await fs.unlink(p);
      } catch (e) {
        const code = codeOf(e);
        // As on S3, deleting what is not an object (absent, or only a prefix of others) is a no-op.
        if (code !== undefined && (MISSING.has(code) || code === 'EISDIR' || code === 'EPERM')) return;
        throw this.fail('delete', keys[i]!, e);
      }
      await this.pruneEmptyDirs(path.dirname(p));
    });
  }

  async deletePrefix(prefix: string): Promise<void> {
    const objects = await this.list(prefix);
    await this.delete(objects.map((o) => o.key));
  }

  /**
   * A whole object as a hard link at `localPath`: no bytes copied, and as good as a copy
   * because objects are only ever replaced (rename), never written in place. Undefined
   * where a link cannot be made (another file system, no such object, links refused):
   * the caller copies, which also reports a missing object properly.
   */
  private async linkObject(key: string, tmp: string, localPath: string): Promise<number | undefined> {
    const source = this.pathOf(key);
    await fs.mkdir(path.dirname(localPath), { recursive: true });
    if (!(await tryFs(() => fs.link(source, tmp)))) return undefined;
    try {
      const { size } = await fs.stat(tmp);
      await fs.rename(tmp, localPath);
      return size;
    } catch (e) {
      await fs.rm(tmp, { force: true });
      throw this.fail('getToFile', key, e, localPath);
    }
  }

  /** Maps a key to its file, refusing keys that a file system cannot hold faithfully. */
  private pathOf(key: string): string {
    const segs = key.split('/');
    if (key === '' || !segs.every(validSegment)) {
      throw new ShoalError('store', `invalid key "${key}" for ${this.root}: expected non-empty segments separated by single '/', none of them '.', '..' or starting with ${TMP}`);
    }
    return path.join(this.dir, ...segs);
  }

  private async tempPath(): Promise<string> {
    await fs.mkdir(this.tmpDir, { recursive: true });
    return path.join(this.tmpDir, randomUUID());
  }

  /** Creates the parent directories and places the object, redoing both if a concurrent delete pruned a parent. */
  private async install(key: string, target: string, place: (target: string) => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const retry = (e: unknown) => codeOf(e) === 'ENOENT' && attempt < INSTALL_ATTEMPTS;
      try {
        await fs.mkdir(path.dirname(target), { recursive: true });
      } catch (e) {
        if (retry(e)) continue;
        // some parent is a file, i.e. a key is being used as a prefix of this one
        if (codeOf(e) === 'EEXIST' || codeOf(e) === 'ENOTDIR') throw this.shapeError(key);
        throw e;
      }
      try {
        await place(target);
        return;
      } catch (e) {
        if (retry(e)) continue;
        // the target is a directory, i.e. this key is a prefix of others
        if (codeOf(e) === 'EISDIR' || codeOf(e) === 'ENOTEMPTY' || codeOf(e) === 'ENOTDIR') throw this.shapeError(key);
        throw e; // EEXIST from link reaches putIfAbsent
      }
    }
  }

  private async openObject(key: string): Promise<{ fh: fs.FileHandle; size: number }> {
    const p = this.pathOf(key);
    let fh: fs.FileHandle;
    try {
      fh = await fs.open(p, 'r');
    } catch (e) {
      if (MISSING.has(codeOf(e) ?? '') || codeOf(e) === 'EISDIR') throw this.missing(key);
      throw this.fail('get', key, e);
    }
    const st = await fh.stat();
    if (!st.isFile()) {
      await fh.close();
      throw this.missing(key); // a directory: only a prefix of other keys
    }
    return { fh, size: st.size };
  }

  private async walk(dirKey: string, prefix: string, out: ObjectInfo[]): Promise<void> {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(path.join(this.dir, ...dirKey.split('/').filter((s) => s !== '')), { withFileTypes: true });
    } catch (e) {
      if (MISSING.has(codeOf(e) ?? '')) return; // absent, or deleted while we walked
      throw e;
    }
    const files: string[] = [];
    for (const entry of entries) {
      if (entry.name.startsWith(TMP)) continue;
      const key = dirKey + entry.name;
      if (entry.isDirectory()) {
        const sub = `${key}/`;
        if (sub.startsWith(prefix) || prefix.startsWith(sub)) await this.walk(sub, prefix, out);
      } else if (key.startsWith(prefix) && (entry.isFile() || entry.isSymbolicLink())) {
        files.push(key);
      }
    }
    const infos = await mapLimit(files, IO_CONCURRENCY, async (key) => {
      const st = await fs.stat(path.join(this.dir, ...key.split('/'))).catch((e: unknown) => {
        if (MISSING.has(codeOf(e) ?? '')) return undefined;
        throw e;
      });
      return st?.isFile() ? { key, size: st.size, lastModified: st.mtimeMs } : undefined;
    });
    for (const info of infos) if (info) out.push(info);
  }

  /** Removes directories emptied by a delete, up to (not including) the root; stops at the first non-empty one. */
  private async pruneEmptyDirs(dir: string): Promise<void> {
    while (dir.length > this.dir.length && dir.startsWith(this.dir + path.sep)) {
      try {
        await fs.rmdir(dir);
      } catch {
        return;
      }
      dir = path.dirname(dir);
    }
  }

  private missing(key: string): ShoalError {
    return new ShoalError('store', `object not found: ${key} (in ${this.root})`, { retryable: false });
  }

  private shapeError(key: string): ShoalError {
    return new ShoalError('store', `cannot store ${key} in ${this.root}: a local store cannot hold a key that is also a directory-prefix of other keys (or whose parent is a key)`, { retryable: false });
  }

  private fail(op: string, key: string, e: unknown, localPath?: string): ShoalError {
    if (e instanceof ShoalError) return e;
    const code = codeOf(e);
    // Running out of descriptors or hitting a busy file passes; anything else will fail again.
    const retryable = code === 'EMFILE' || code === 'ENFILE' || code === 'EAGAIN' || code === 'EBUSY';
    const where = localPath === undefined ? '' : ` (local file ${localPath})`;
    return new ShoalError('store', `${op} ${key} in ${this.root} failed${where}: ${(e as Error).message}`, { retryable, cause: e });
  }
}

/** Runs a file system call that has a fallback: true when it worked, false on any error. */
async function tryFs(op: () => Promise<unknown>): Promise<boolean> {
  try {
    await op();
    return true;
  } catch {
    return false;
  }
}

function validSegment(s: string): boolean {
  return s !== '' && s !== '.' && s !== '..' && !s.startsWith(TMP) && !s.includes('\0');
}

/** A range clamped to the object, as S3 clamps a range that runs past the end. */
function clamp(key: string, size: number, range: ByteRange | undefined): [number, number] {
  if (range === undefined) return [0, size];
  validateRange(key, range);
  const end = Math.min(range.end, size);
  return [Math.min(range.start, end), end];
}
