// A document of the API's own state (under its state folder): absent until first written, then like any other.
import type { Logger } from '../core/logger.js';
import { deepFreeze } from './deep-freeze.js';
import { JsonDocument, type Mutation } from './json-document.js';

/**
 * Wraps a JsonDocument whose file the API creates itself on first use: a missing file reads as
 * `empty()`, and the first update creates it. Owner-only, like every file that may name a secret.
 */
export class StateDocument<T> {
  private readonly document: JsonDocument<T>;
  private missing: T | undefined;

  constructor(
    readonly filePath: string,
    private readonly empty: () => T,
    log: Logger,
    /** The server root: no folder below it on the way to the file may be a link. */
    trustedFolder?: string,
  ) {
    this.document = new JsonDocument<T>(filePath, { mode: 0o600, trustedFolder, log });
  }

  read(): T {
    // One frozen value while the file is missing, as a file's read gives one per version: what is
    // derived from it is made once, not on every read.
    return this.document.readIfPresent() ?? (this.missing ??= deepFreeze(this.empty()));
  }

  async update<R>(mutate: Mutation<T, R>): Promise<R> {
    if (!this.document.exists()) await this.document.createIfMissing(this.empty());
    return this.document.update(mutate);
  }

  drain(): Promise<void> {
    return this.document.drain();
  }
}
