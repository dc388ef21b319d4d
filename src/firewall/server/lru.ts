export type Lru<K, V> = {
  get: (key: K) => V | undefined;
  /** The value without making it the most recently used. */
  peek: (key: K) => V | undefined;
  /** `weight` (bytes, say) counts against `maxWeight`; 1 by default. */
  set: (key: K, value: V, weight?: number) => void;
  delete: (key: K) => void;
  clear: () => void;
  readonly size: number;
  readonly weight: number;
};

/** Least-recently-used map bounded by entry count and total weight (Map keeps insertion order). */
export const createLru = <K, V>(maxEntries: number, maxWeight = Number.POSITIVE_INFINITY): Lru<K, V> => {
  const map = new Map<K, { value: V; weight: number }>();
  let total = 0;
  const remove = (key: K) => {
    const found = map.get(key);
    if (found === undefined) return;
    total -= found.weight;
    map.delete(key);
  };
  return {
    get: (key) => {
      const found = map.get(key);
      if (found === undefined) return undefined;
      map.delete(key);
      map.set(key, found);
      return found.value;
    },
    peek: (key) => map.get(key)?.value,
    set: (key, value, weight = 1) => {
      remove(key);
      if (maxEntries <= 0 || weight > maxWeight) return;
      map.set(key, { value, weight });
      total += weight;
      while (map.size > maxEntries || total > maxWeight) {
        const oldest = map.keys().next();
        if (oldest.done) break;
        remove(oldest.value);
      }
    },
    delete: remove,
    clear: () => {
      map.clear();
      total = 0;
    },
    get size() {
      return map.size;
    },
    get weight() {
      return total;
    },
  };
};
