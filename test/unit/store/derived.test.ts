import { describe, expect, it } from 'vitest';
import { deepFreeze } from '../../../store/deep-freeze.js';
import { derived } from '../../../store/derived.js';

function counting(): { compute: (data: { n: number }) => number; calls: () => number } {
  let calls = 0;
  return { compute: (data) => (calls++, data.n * 2), calls: () => calls };
}

describe('derived', () => {
  it('computes once per key for one frozen snapshot', () => {
    const snapshot = deepFreeze({ n: 21 });
    const { compute, calls } = counting();
    expect(derived(snapshot, 'double', compute)).toBe(42);
    expect(derived(snapshot, 'double', compute)).toBe(42);
    expect(calls()).toBe(1);
    expect(derived(snapshot, 'other key', compute)).toBe(42);
    expect(calls()).toBe(2);
  });

  it('computes again for a new snapshot, as after the file changed', () => {
    const { compute, calls } = counting();
    expect(derived(deepFreeze({ n: 1 }), 'double', compute)).toBe(2);
    expect(derived(deepFreeze({ n: 5 }), 'double', compute)).toBe(10);
    expect(calls()).toBe(2);
  });

  it('never remembers a value for an object that can still change', () => {
    const mutable = { n: 1 };
    const { compute, calls } = counting();
    expect(derived(mutable, 'double', compute)).toBe(2);
    mutable.n = 7;
    expect(derived(mutable, 'double', compute)).toBe(14);
    expect(calls()).toBe(2);
  });
});
