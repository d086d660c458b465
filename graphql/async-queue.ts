// Turns callbacks (job changes, journal lines) into the async iterator a GraphQL subscription returns.

/**
 * An async iterator fed by `push`. Items wait in a queue until the subscriber asks for them, up
 * to `maxQueued` (the oldest are dropped: a slow client misses intermediate states rather than
 * growing memory). `end()` finishes it; `return()` (the client left) calls `onClose` once.
 */
export class AsyncQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private readonly waiting: Array<(result: IteratorResult<T>) => void> = [];
  private done = false;

  constructor(
    private readonly onClose: () => void = () => undefined,
    private readonly maxQueued = 100,
  ) {}

  push(item: T): void {
    if (this.done) return;
    const waiter = this.waiting.shift();
    if (waiter !== undefined) return waiter({ value: item, done: false });
    this.items.push(item);
    if (this.items.length > this.maxQueued) this.items.shift();
  }

  end(): void {
    if (this.done) return;
    this.done = true;
    this.onClose();
    for (const waiter of this.waiting.splice(0)) waiter({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<T>> {
    if (this.items.length > 0) return Promise.resolve({ value: this.items.shift() as T, done: false });
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  return(): Promise<IteratorResult<T>> {
    this.items.length = 0;
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
