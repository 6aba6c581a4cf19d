// The catalog lives in the warehouse's object store as a chain of immutable versions.
// `update` writes version N+1 with put-if-absent, so of two concurrent changes exactly
// one lands; the loser re-reads and re-applies its change (or gives up, for commits
// whose precondition no longer holds).
import { ShoalError } from '../common/errors.js';
import type { ObjectStore } from '../store/object-store.js';
import { emptyCatalog, type CatalogState } from './model.js';

const VERSIONS = '_catalog/v/';
const HINT = '_catalog/latest';
const versionKey = (v: number) => `${VERSIONS}${String(v).padStart(10, '0')}.json`;

export class Catalog {
  constructor(readonly store: ObjectStore) {}

  async load(): Promise<CatalogState> {
    let v = await this.readHint();
    // The hint is written after a version lands and may lag; walk forward to the newest.
    while (await this.store.head(versionKey(v + 1))) v++;
    if (v === 0) return emptyCatalog();
    const body = await this.store.get(versionKey(v));
    return JSON.parse(new TextDecoder().decode(body)) as CatalogState;
  }

  /**
   * Applies `change` to the newest version and writes the result as the next one.
   * `change` runs again on the newer state when another writer got there first;
   * returning its argument unchanged writes nothing.
   */
  async update(change: (s: CatalogState) => CatalogState, tag?: string, maxAttempts = 20): Promise<CatalogState> {
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const cur = await this.load();
      const changed = change(cur);
      // A change that changes nothing (IF NOT EXISTS over an existing object) writes no version.
      if (changed === cur) return cur;
      const next: CatalogState = { ...changed, version: cur.version + 1, change: tag };
      if (await this.store.putIfAbsent(versionKey(next.version), JSON.stringify(next))) {
        await this.store.put(HINT, String(next.version));
        return next;
      }
    }
    throw new ShoalError('conflict', `catalog update lost the race ${maxAttempts} times in a row; try again`, { retryable: true });
  }

  /** One version as written; undefined when there is no such version. */
  async loadVersion(v: number): Promise<CatalogState | undefined> {
    if (v === 0) return emptyCatalog();
    if (!(await this.store.head(versionKey(v)))) return undefined;
    return JSON.parse(new TextDecoder().decode(await this.store.get(versionKey(v)))) as CatalogState;
  }

  private async readHint(): Promise<number> {
    try {
      const n = Number(new TextDecoder().decode(await this.store.get(HINT)));
      return Number.isInteger(n) && n >= 0 ? n : 0;
    } catch {
      return 0;
    }
  }
}
