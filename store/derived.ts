// Values computed from one parsed version of a file, kept while that version is the current one.
// A document's read() hands out one deeply frozen object per version of its file: the object is
// the key, a change to the file gives a new object, and the old object's values go with it.

const values = new WeakMap<object, Map<string, unknown>>();

/**
 * `compute(data)`, remembered under `key` for this very `data` when it is frozen (a snapshot
 * from the store cannot change under the value). Anything else is computed every time. The value
 * is shared: treat it as read-only. Keys should be few per version (they are kept with it).
 */
export function derived<T extends object, R>(data: T, key: string, compute: (data: T) => R): R {
  if (!Object.isFrozen(data)) return compute(data);
  let known = values.get(data);
  if (known === undefined) {
    known = new Map();
    values.set(data, known);
  }
  if (known.has(key)) return known.get(key) as R;
  const value = compute(data);
  known.set(key, value);
  return value;
}

/**
 * `compute(first, second)`, remembered for this pair of frozen snapshots (from two files): a value
 * that depends on both is made again only when either file changes.
 */
export function derivedPair<A extends object, B extends object, R>(first: A, second: B, key: string, compute: (first: A, second: B) => R): R {
  if (!Object.isFrozen(second)) return compute(first, second);
  const bySecond = derived(first, key, () => new WeakMap<B, R>());
  if (bySecond.has(second)) return bySecond.get(second) as R;
  const value = compute(first, second);
  bySecond.set(second, value);
  return value;
}
