// Facts several resolvers of one operation need (the storage report, the addresses): read once per operation.
import type { ResolverContext } from '../area.js';

// Keyed on the resolver context itself: the transport makes one per operation, and it goes with it.
const memos = new WeakMap<ResolverContext, Map<string, unknown>>();

/** `compute()` the first time `key` is asked for during this operation, the same promise after. */
export function oncePerOperation<T>(rctx: ResolverContext, key: string, compute: () => Promise<T>): Promise<T> {
  let memo = memos.get(rctx);
  if (memo === undefined) {
    memo = new Map();
    memos.set(rctx, memo);
  }
  if (!memo.has(key)) memo.set(key, compute());
  return memo.get(key) as Promise<T>;
}
