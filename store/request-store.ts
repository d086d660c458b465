// The store as one request sees it: each document is read from disk once, and again after a write.
import type { Mutation, StoreDocument } from './json-document.js';
import type { Store } from './store.js';

/**
 * One request's view of a document. Authentication reads tokens.json and GET /auth/tokens reads it
 * again; a GraphQL operation reads userdata.json from several resolvers (AllUsers: the list, then
 * root). The later reads get the first's copy instead of another `stat`, and an answer comes from
 * one version of the file. Any write by this process since (this request's or another's) makes
 * the next read go to disk again. The copy is shared within the request, so it is read-only:
 * changes go through update().
 */
export class RequestDocument<T> implements StoreDocument<T> {
  private snapshot: { version: number; data: T } | undefined;

  constructor(private readonly document: StoreDocument<T>) {}

  get filePath(): string {
    return this.document.filePath;
  }

  get version(): number {
    return this.document.version;
  }

  read(): T {
    const version = this.document.version;
    if (this.snapshot?.version === version) return this.snapshot.data;
    const data = this.document.read();
    this.snapshot = { version, data };
    return data;
  }

  update<R>(mutate: Mutation<T, R>): Promise<R> {
    return this.document.update(mutate);
  }

  exists(): boolean {
    return this.document.exists();
  }

  createIfMissing(initial: T): Promise<boolean> {
    return this.document.createIfMissing(initial);
  }

  drain(): Promise<void> {
    return this.document.drain();
  }
}

/** A store for one request: the same files and queues, with per-request read snapshots. */
export function requestStore(store: Store): Store {
  return { ...store, userdata: new RequestDocument(store.userdata), tokens: new RequestDocument(store.tokens) };
}
