// A Map filled on first use: for data most invocations never look at (every source of the schema
// YAML when one model is compiled from the parse snapshot), without changing who reads it.
export class LazyMap<K, V> extends Map<K, V> {
  #load: (() => Iterable<[K, V]>) | undefined;

  constructor(load: () => Iterable<[K, V]>) {
    super();
    this.#load = load;
  }

  #ready(): void {
    const load = this.#load;
    if (!load) return;
    this.#load = undefined;
    for (const [k, v] of load()) super.set(k, v);
  }

  override get size(): number { this.#ready(); return super.size; }
  override get(k: K): V | undefined { this.#ready(); return super.get(k); }
  override has(k: K): boolean { this.#ready(); return super.has(k); }
  override set(k: K, v: V): this { this.#ready(); return super.set(k, v); }
  override delete(k: K): boolean { this.#ready(); return super.delete(k); }
  override clear(): void { this.#load = undefined; super.clear(); }
  override keys(): MapIterator<K> { this.#ready(); return super.keys(); }
  override values(): MapIterator<V> { this.#ready(); return super.values(); }
  override entries(): MapIterator<[K, V]> { this.#ready(); return super.entries(); }
  override forEach(fn: (v: V, k: K, m: Map<K, V>) => void, thisArg?: unknown): void { this.#ready(); super.forEach(fn, thisArg); }
  override [Symbol.iterator](): MapIterator<[K, V]> { return this.entries(); }
}

/**
 * A Map whose values for `keys` are made one at a time, when first asked for (a template for each of
 * 14,000 nodes when a command renders one). Iterating makes them all.
 */
export class OnDemandMap<K, V> extends Map<K, V> {
  #pending: Set<K>;

  constructor(keys: Iterable<K>, private readonly make: (k: K) => V) {
    super();
    this.#pending = new Set(keys);
  }

  #make(k: K): void {
    if (this.#pending.delete(k)) super.set(k, this.make(k));
  }

  #makeAll(): void {
    for (const k of [...this.#pending]) this.#make(k);
  }

  override get size(): number { return super.size + this.#pending.size; }
  override get(k: K): V | undefined { this.#make(k); return super.get(k); }
  override has(k: K): boolean { return this.#pending.has(k) || super.has(k); }
  override set(k: K, v: V): this { this.#pending.delete(k); return super.set(k, v); }
  override delete(k: K): boolean { return this.#pending.delete(k) || super.delete(k); }
  override clear(): void { this.#pending.clear(); super.clear(); }
  override keys(): MapIterator<K> { this.#makeAll(); return super.keys(); }
  override values(): MapIterator<V> { this.#makeAll(); return super.values(); }
  override entries(): MapIterator<[K, V]> { this.#makeAll(); return super.entries(); }
  override forEach(fn: (v: V, k: K, m: Map<K, V>) => void, thisArg?: unknown): void { this.#makeAll(); super.forEach(fn, thisArg); }
  override [Symbol.iterator](): MapIterator<[K, V]> { return this.entries(); }
}
