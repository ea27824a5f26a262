/**
 * A pure function of one small key, remembered: the dicts look up the same
 * tag names, licences, themes and formats for every dataset they build.
 * Bounded: when `max` keys are held the memory starts over, so keys taken
 * from documents cannot grow it without end. Errors are not remembered.
 */
export function memo<K, V>(fn: (key: K) => V, max = 10_000): (key: K) => V {
  const known = new Map<K, V>();
  return (key) => {
    const hit = known.get(key);
    if (hit !== undefined || known.has(key)) return hit as V;
    const value = fn(key);
    if (known.size >= max) known.clear();
    known.set(key, value);
    return value;
  };
}
