// Temporary SELFPRIVACY_ROOT folders shaped like a real server, for unit and integration tests.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serverPaths, type ServerPaths } from '../../store/server-paths.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

/** An example file of a real server, kept in test/fixtures: userdata.json, tokens.json, restic snapshots. */
export function fixture<T = Record<string, unknown>>(name: 'userdata.json' | 'tokens.json' | 'restic-snapshots.json'): T {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8')) as T;
}

export interface TempRoot {
  root: string;
  paths: ServerPaths;
  readUserdata(): Record<string, any>;
  readTokens(): Record<string, any>;
  /** Raw bytes, for byte-for-byte "unchanged" checks. */
  userdataBytes(): string;
  tokensBytes(): string;
  writeUserdata(data: unknown): void;
  writeTokens(data: unknown): void;
  cleanup(): void;
}

export interface TempRootOptions {
  /** userdata.json content; the example file by default; null leaves the file out. */
  userdata?: unknown;
  /** tokens.json content; the example file by default; null leaves the file out. */
  tokens?: unknown;
  domain?: string;
  dkim?: string;
}

export function makeTempRoot(options: TempRootOptions = {}): TempRoot {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-root-'));
  const paths = serverPaths(root);
  fs.mkdirSync(path.dirname(paths.userdata), { recursive: true });
  fs.mkdirSync(paths.dkimFolder, { recursive: true });
  const write = (file: string, data: unknown, mode: number): void => {
    fs.writeFileSync(file, JSON.stringify(data, null, 4), { mode });
    fs.chmodSync(file, mode);
  };
  const userdata = options.userdata === undefined ? fixture('userdata.json') : options.userdata;
  const tokens = options.tokens === undefined ? fixture('tokens.json') : options.tokens;
  if (userdata !== null) write(paths.userdata, userdata, 0o644);
  if (tokens !== null) write(paths.tokens, tokens, 0o600);
  const domain = options.domain ?? 'test.tld';
  fs.writeFileSync(paths.domainFile, `${domain}\n`);
  if (options.dkim !== undefined) fs.writeFileSync(path.join(paths.dkimFolder, `${domain}.selector.txt`), options.dkim);
  return {
    root,
    paths,
    readUserdata: () => JSON.parse(fs.readFileSync(paths.userdata, 'utf8')),
    readTokens: () => JSON.parse(fs.readFileSync(paths.tokens, 'utf8')),
    userdataBytes: () => fs.readFileSync(paths.userdata, 'utf8'),
    tokensBytes: () => fs.readFileSync(paths.tokens, 'utf8'),
    writeUserdata: (data) => write(paths.userdata, data, 0o644),
    writeTokens: (data) => write(paths.tokens, data, 0o600),
    cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}
