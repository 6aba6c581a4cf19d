// The one interface through which the engine touches storage. It is S3-shaped on
// purpose: keys, not paths; whole-object puts; ranged gets; prefix listing; and a
// put-if-absent that is the only atomic primitive the engine relies on.

export interface ObjectInfo {
  readonly key: string;
  readonly size: number;
  /** epoch milliseconds */
  readonly lastModified: number;
}

export interface ByteRange {
  /** first byte, inclusive */
  readonly start: number;
  /** last byte, exclusive */
  readonly end: number;
}

/** Counters every store keeps, read by the metrics report. */
export interface StoreCounters {
  get: number;
  put: number;
  list: number;
  delete: number;
  head: number;
  copy: number;
  bytesRead: number;
  bytesWritten: number;
}

export interface PutFileOptions {
  /** the caller no longer needs the local file */
  readonly move?: boolean;
}

export interface ObjectStore {
  /** a URI naming the store's root, e.g. `file:///abs/warehouse` or `s3://bucket/prefix` */
  readonly root: string;
  readonly counters: StoreCounters;

  put(key: string, body: Uint8Array | string): Promise<void>;
  /**
   * Uploads a local file (multipart where the store supports it). With `move`, the caller
   * is done with the file: a local store may move it into place instead of copying it,
   * so it may be gone afterwards.
   */
  putFile(key: string, localPath: string, opts?: PutFileOptions): Promise<void>;
  /**
   * Writes only if no object exists at `key`. Returns false, writing nothing, if one does.
   * Atomic: of two concurrent callers exactly one gets true.
   */
  putIfAbsent(key: string, body: Uint8Array | string): Promise<boolean>;
  /** Throws a ShoalError of kind 'store' naming the key when the object does not exist. */
  get(key: string, range?: ByteRange): Promise<Uint8Array>;
  /**
   * Downloads an object (or a range of it) to a local file. A local store may hard-link a
   * whole object instead of copying it (objects are never changed in place): read the
   * file, never write to it.
   */
  getToFile(key: string, localPath: string, range?: ByteRange): Promise<void>;
  /**
   * Copies an object inside the store without moving its bytes through the caller
   * (CopyObject on S3). Replaces what is at `dstKey`; throws like `get` when `srcKey` is absent.
   */
  copy(srcKey: string, dstKey: string): Promise<void>;
  /** undefined when absent */
  head(key: string): Promise<ObjectInfo | undefined>;
  /** Every object whose key starts with `prefix`, sorted by key, all pages. */
  list(prefix: string): Promise<ObjectInfo[]>;
  delete(keys: readonly string[]): Promise<void>;
  /** Deletes every object under the prefix. */
  deletePrefix(prefix: string): Promise<void>;
}

export function newCounters(): StoreCounters {
  return { get: 0, put: 0, list: 0, delete: 0, head: 0, copy: 0, bytesRead: 0, bytesWritten: 0 };
}

/** Joins key segments with `/`, without doubling slashes. */
export function joinKey(...parts: string[]): string {
  return parts.filter((p) => p !== '').map((p, i) => (i === 0 ? p.replace(/\/+$/, '') : p.replace(/^\/+|\/+$/g, ''))).join('/');
}
