// One JSON file shared with other programs: fresh reads, and locked, atomic, grouped writes.
import fs from 'node:fs';
import path from 'node:path';
import { HttpError, internalError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { writeFileAtomic } from './atomic-write.js';
import { lockFile } from './file-lock.js';
import { assertNoLinks, LinkRefusedError, openNoFollowSync } from './no-follow.js';
import { deepFreeze } from './deep-freeze.js';
import { fileVersion, hasSettled, sameVersion, type FileVersion } from './file-version.js';

/** A change to a document: edits `data` in place and returns the caller's result, or throws. */
export type Mutation<T, R> = (data: T) => R;

interface PendingMutation<T> {
  mutate: Mutation<T, unknown>;
  resolve: (result: unknown) => void;
  reject: (error: unknown) => void;
}

export interface JsonDocumentOptions {
  /**
   * The file's mode after every write, also when it was found wider (userdata.json
   * and tokens.json hold secrets and are 0600 every time; before, an existing file kept its mode).
   */
  mode: number;
  /** No folder below this one on the way to the file may be a symbolic link (the server root). */
  trustedFolder?: string;
  log: Logger;
  /** A lock older than this is taken over (its holder died). */
  staleLockMs?: number;
  /** How long after its last change a file's parsed copy may be kept (see hasSettled). */
  settleMs?: number;
}

/** Longer than the coarsest file-system clock step in use (one second) with a margin. */
export const DEFAULT_SETTLE_MS = 3000;

const INDENT = 4;

/** What the rest of the server uses of a document (a request's snapshot view has the same shape). */
export interface StoreDocument<T> {
  readonly filePath: string;
  /** Changes whenever this process starts or finishes writing the file. */
  readonly version: number;
  exists(): boolean;
  read(): T;
  update<R>(mutate: Mutation<T, R>): Promise<R>;
  createIfMissing(initial: T): Promise<boolean>;
  drain(): Promise<void>;
}

export class JsonDocument<T> implements StoreDocument<T> {
  private readonly name: string;
  private queue: PendingMutation<T>[] = [];
  private flushing: Promise<void> | null = null;
  private writes = 0;
  /** The last parse of a file version that has settled: reused while the file stays that version. */
  private parsed: { version: FileVersion; data: T } | undefined;

  constructor(
    readonly filePath: string,
    private readonly options: JsonDocumentOptions,
  ) {
    this.name = path.basename(filePath);
  }

  exists(): boolean {
    return fs.existsSync(this.filePath);
  }

  /**
   * The file as it is now on disk; missing or corrupt is a 500 that names the file. Every call
   * checks the file's version (one stat); the file is read and parsed again whenever it changed.
   * The result is shared and frozen: change the file through update(), never this object.
   */
  read(): T {
    return this.readAt(this.currentVersion());
  }

  /** As read(), or undefined when there is no file (the one stat of read() tells, when it finds one). */
  readIfPresent(): T | undefined {
    const version = this.currentVersion();
    if (version === null && !this.exists()) return undefined;
    return this.readAt(version);
  }

  private readAt(version: FileVersion | null): T {
    const parsed = this.parsed;
    if (version !== null && parsed !== undefined && sameVersion(version, parsed.version)) return parsed.data;
    // Read after the stat: a change in between gives newer content under an older version,
    // which the next call sees as a change; the reverse order could keep stale content.
    const data = deepFreeze(this.parse(this.readText()));
    const settled = version !== null && hasSettled(version, Date.now(), this.options.settleMs ?? DEFAULT_SETTLE_MS);
    this.parsed = settled ? { version, data } : undefined;
    return data;
  }

  /**
   * Changes when this process starts or finishes writing the file: a copy read at another
   * version may be out of date.
   */
  get version(): number {
    return this.writes;
  }

  /**
   * Applies `mutate` inside the cross-process lock and writes the result atomically. Mutations
   * queued while a write is under way are applied together in the next locked write (one read,
   * one fsync), each in order; one that throws leaves the data as it was before it.
   */
  update<R>(mutate: Mutation<T, R>): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ mutate, resolve: resolve as (result: unknown) => void, reject });
      if (this.flushing === null) this.flushing = this.flushQueue();
    });
  }

  /** Creates the file with `initial` when it does not exist; never replaces an existing file. */
  async createIfMissing(initial: T): Promise<boolean> {
    fs.mkdirSync(path.dirname(this.filePath), { recursive: true });
    return this.withLock(async () => {
      if (this.exists()) return false;
      await this.writeCounted(serialize(initial));
      return true;
    });
  }

  /** Resolves once every queued write has been committed (used before shutdown). */
  async drain(): Promise<void> {
    while (this.flushing !== null) await this.flushing;
  }

  private async flushQueue(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0);
        await this.commit(batch);
      }
    } finally {
      this.flushing = null;
    }
  }

  private async commit(batch: PendingMutation<T>[]): Promise<void> {
    const settled: Array<() => void> = [];
    try {
      await this.withLock(async () => {
        let data = this.parse(this.readText());
        const original = serialize(data);
        let current = original;
        for (const pending of batch) {
          try {
            const result = pending.mutate(data);
            current = serialize(data);
            settled.push(() => pending.resolve(result));
          } catch (error) {
            // Undo whatever the failed mutation changed before it threw.
            data = JSON.parse(current) as T;
            settled.push(() => pending.reject(error));
          }
        }
        if (current !== original) await this.writeCounted(current);
      });
    } catch (error) {
      const failure = error instanceof HttpError ? error : this.writeFailure(error);
      for (const pending of batch) pending.reject(failure);
      return;
    }
    for (const settle of settled) settle();
  }

  private async writeCounted(text: string): Promise<void> {
    this.writes++;
    try {
      await writeFileAtomic(this.filePath, text, { mode: this.options.mode, trustedFolder: this.options.trustedFolder });
    } finally {
      this.writes++;
    }
  }

  private async withLock<R>(work: () => Promise<R>): Promise<R> {
    let release: () => Promise<void>;
    try {
      release = await lockFile(this.filePath, {
        staleMs: this.options.staleLockMs ?? 5000,
        onCompromised: (error) => this.options.log.error('store lock compromised', { file: this.name, reason: error.message }),
      });
    } catch (error) {
      this.options.log.error('store lock failed', { file: this.name, reason: (error as Error).message });
      // The code (EROFS, ENOSPC, ELOCKED…) tells the admin what is wrong with the disk.
      throw internalError(`Could not lock ${this.name} (${(error as NodeJS.ErrnoException).code ?? 'unknown'})`);
    }
    try {
      return await work();
    } finally {
      await release().catch((error: Error) =>
        this.options.log.warn('store unlock failed', { file: this.name, reason: error.message }),
      );
    }
  }

  private writeFailure(error: unknown): HttpError {
    if (error instanceof LinkRefusedError) return this.linkRefused(error);
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown';
    this.options.log.error('store write failed', { file: this.name, code });
    return internalError(`Could not write ${this.name} (${code}); the file was left unchanged`);
  }

  /** Null when the file cannot be looked at: the read that follows reports why. */
  private currentVersion(): FileVersion | null {
    try {
      return fileVersion(this.filePath);
    } catch {
      return null;
    }
  }

  /** The file's text, read without following a link in its place or in a folder on its way. */
  private readText(): string {
    try {
      assertNoLinks(this.filePath, this.options.trustedFolder);
      const descriptor = openNoFollowSync(this.filePath, fs.constants.O_RDONLY);
      try {
        return fs.readFileSync(descriptor, 'utf8');
      } finally {
        fs.closeSync(descriptor);
      }
    } catch (error) {
      throw this.readFailure(error);
    }
  }

  /** A planted link is said plainly in the log (where it is), and the answer names the file only. */
  private linkRefused(error: LinkRefusedError): HttpError {
    this.options.log.error('store refused a symbolic link', { file: this.name, link: error.linkPath });
    return internalError(`${this.name} (or a folder on its way) is a symbolic link; the API does not read or write through links`);
  }

  private readFailure(error: unknown): HttpError {
    if (error instanceof LinkRefusedError) return this.linkRefused(error);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      this.options.log.error('store file missing', { file: this.name });
      return internalError(`${this.name} is missing`);
    }
    this.options.log.error('store read failed', { file: this.name, code });
    return internalError(`Could not read ${this.name}`);
  }

  private parse(text: string): T {
    try {
      const data: unknown = JSON.parse(text);
      if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new Error('not an object');
      return data as T;
    } catch {
      this.options.log.error('store file corrupt', { file: this.name });
      throw internalError(`${this.name} is not a valid JSON object; it was left untouched`);
    }
  }
}

function serialize(data: unknown): string {
  return JSON.stringify(data, null, INDENT);
}
