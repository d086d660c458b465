// The set-up a test file needs, written once: each function registers its own hooks, so a file asks for a
// temporary root, an in-process app or a server process in one line, and each is removed after use.
// The app and the server process are imported when first asked for: a file that needs only a root
// does not wait for the HTTP shell to load.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { InProcessApp, InProcessOptions } from './in-process-app.js';
import type { ServerProcess } from './server-process.js';
import { makeTempRoot, type TempRoot, type TempRootOptions } from './temp-root.js';

type Lazy<T> = T | (() => T);

function resolve<T>(value: Lazy<T> | undefined, fallback: T): T {
  if (value === undefined) return fallback;
  return typeof value === 'function' ? (value as () => T)() : value;
}

/**
 * An object that stands for whatever `current()` gives at the moment it is used. The hooks make a
 * new root (or app, or server) for each test; the file keeps one name for it, declared once.
 */
function stand<T extends object>(what: string, current: () => T | undefined): T {
  const now = (): T => {
    const value = current();
    if (value === undefined) throw new Error(`${what} exists only while a test runs (inside it, or in a hook)`);
    return value;
  };
  return new Proxy({} as T, {
    get(_target, property) {
      const value = now();
      const member: unknown = Reflect.get(value, property, value);
      return typeof member === 'function' ? (member as (...args: unknown[]) => unknown).bind(value) : member;
    },
    has: (_target, property) => Reflect.has(now(), property),
    ownKeys: () => Reflect.ownKeys(now()),
    getOwnPropertyDescriptor(_target, property) {
      const descriptor = Reflect.getOwnPropertyDescriptor(now(), property);
      return descriptor === undefined ? undefined : { ...descriptor, configurable: true };
    },
  });
}

/** A temporary SELFPRIVACY_ROOT shaped like a server, new for each test and removed after it. */
export function useTempRoot(options?: Lazy<TempRootOptions>): TempRoot {
  let temp: TempRoot | undefined;
  beforeEach(() => {
    temp = makeTempRoot(resolve(options, {}));
  });
  afterEach(() => {
    temp?.cleanup();
    temp = undefined;
  });
  return stand('the temporary root', () => temp);
}

/** Makes roots inside a test, each with the options it needs; every root made is removed after the test. */
export function useTempRoots(): (options?: TempRootOptions) => TempRoot {
  const made: TempRoot[] = [];
  afterEach(() => {
    for (const temp of made.splice(0)) temp.cleanup();
  });
  return (options) => {
    const temp = makeTempRoot(options);
    made.push(temp);
    return temp;
  };
}

/** The whole request pipeline (createApp, real routes.json unless `options` say otherwise) on a fresh root per test. */
export function useInProcessApp(options?: Lazy<InProcessOptions>, rootOptions?: Lazy<TempRootOptions>): { temp: TempRoot; app: InProcessApp } {
  const temp = useTempRoot(rootOptions);
  let app: InProcessApp | undefined;
  beforeEach(async () => {
    const { makeInProcessApp } = await import('./in-process-app.js');
    app = await makeInProcessApp(temp, resolve(options, {}));
  });
  afterEach(() => {
    app = undefined;
  });
  return { temp, app: stand('the in-process app', () => app) };
}

export interface ServerProcessOptions {
  /** The root's files; the example ones by default. */
  root?: TempRootOptions;
  /** Runs on the new root before the server starts (stand-ins, seeded files); gives the server's environment. */
  prepare?: (temp: TempRoot) => Record<string, string>;
}

/**
 * The compiled server (`node dist/runtime/serve.cjs`) on one temporary root, started once for the
 * file: a process takes too long to start for each test. Stopped, and the root removed, at the end.
 */
export function useServerProcess(options: ServerProcessOptions = {}): { temp: TempRoot; server: ServerProcess } {
  let temp: TempRoot | undefined;
  let server: ServerProcess | undefined;
  beforeAll(async () => {
    const { startServerProcess } = await import('./server-process.js');
    temp = makeTempRoot(options.root);
    server = await startServerProcess(temp.root, options.prepare?.(temp) ?? {});
  });
  afterAll(async () => {
    await server?.stop();
    temp?.cleanup();
    server = undefined;
    temp = undefined;
  });
  return { temp: stand('the temporary root', () => temp), server: stand('the server process', () => server) };
}

/** An empty folder of the test's own (for stand-in programs, repositories, markers), new for each test. */
export function useTempFolder(prefix: string): { readonly path: string } {
  let folder: string | undefined;
  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  });
  afterEach(() => {
    if (folder !== undefined) fs.rmSync(folder, { recursive: true, force: true });
    folder = undefined;
  });
  return {
    get path(): string {
      if (folder === undefined) throw new Error('the temporary folder exists only while a test runs');
      return folder;
    },
  };
}

/**
 * Starts the compiled server inside a test, as often as the test needs (a restart is a second
 * start); every process started is stopped after the test, before what was set up earlier is removed.
 */
export function useServerStarts(): (root: string, env?: Record<string, string>) => Promise<ServerProcess> {
  const started: ServerProcess[] = [];
  afterEach(async () => {
    for (const server of started.splice(0)) await server.stop();
  });
  return async (root, env = {}) => {
    const { startServerProcess } = await import('./server-process.js');
    const server = await startServerProcess(root, env);
    started.push(server);
    return server;
  };
}
