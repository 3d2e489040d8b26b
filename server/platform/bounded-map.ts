/**
 * Sets `key` in a Map used as a bounded memory: when a new key would take it
 * past `max` entries, the one inserted longest ago goes first. Insertion order
 * rather than last use: cheaper on every hit, and what is dropped is only read
 * again.
 */
export function setBounded<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  if (!map.has(key) && map.size >= max) map.delete(map.keys().next().value!);
  map.set(key, value);
}
