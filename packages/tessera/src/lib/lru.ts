// A small LRU map: a Map from key to entry, and the entries in a doubly linked list from the least to the
// most recently used. A hit relinks its entry at the tail and leaves the Map alone: deleting and
// re-inserting a Map key on every hit (the usual shortcut) leaves a deleted slot behind each time, which
// V8 compacts by rehashing the whole table, and on a hot cache that churn cost more than the lookup.
interface Entry<K, V> {
  readonly key: K;
  value: V;
  older: Entry<K, V> | undefined;
  newer: Entry<K, V> | undefined;
}

export class LRU<K, V> {
  readonly #max: number;
  readonly #map = new Map<K, Entry<K, V>>();
  #oldest: Entry<K, V> | undefined;
  #newest: Entry<K, V> | undefined;
  constructor(max: number) {
    this.#max = max;
  }
  get(key: K): V | undefined {
    const entry = this.#map.get(key);
    if (entry === undefined) return undefined;
    if (entry !== this.#newest) {
      this.#unlink(entry);
      this.#append(entry);
    }
    return entry.value;
  }
  /** Like get, without refreshing the entry's position (for hot paths where order hardly matters). */
  peek(key: K): V | undefined {
    return this.#map.get(key)?.value;
  }
  set(key: K, value: V): void {
    const existing = this.#map.get(key);
    if (existing !== undefined) {
      existing.value = value;
      if (existing !== this.#newest) {
        this.#unlink(existing);
        this.#append(existing);
      }
      return;
    }
    if (this.#map.size >= this.#max && this.#oldest !== undefined) {
      const evicted = this.#oldest;
      this.#unlink(evicted);
      this.#map.delete(evicted.key);
    }
    const entry: Entry<K, V> = { key, value, older: undefined, newer: undefined };
    this.#map.set(key, entry);
    this.#append(entry);
  }
  delete(key: K): void {
    const entry = this.#map.get(key);
    if (entry === undefined) return;
    this.#unlink(entry);
    this.#map.delete(key);
  }
  get size(): number {
    return this.#map.size;
  }
  clear(): void {
    this.#map.clear();
    this.#oldest = undefined;
    this.#newest = undefined;
  }
  #unlink(entry: Entry<K, V>): void {
    if (entry.older === undefined) this.#oldest = entry.newer;
    else entry.older.newer = entry.newer;
    if (entry.newer === undefined) this.#newest = entry.older;
    else entry.newer.older = entry.older;
    entry.older = undefined;
    entry.newer = undefined;
  }
  #append(entry: Entry<K, V>): void {
    entry.older = this.#newest;
    if (this.#newest === undefined) this.#oldest = entry;
    else this.#newest.newer = entry;
    this.#newest = entry;
  }
}
