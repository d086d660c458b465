// Temporary SELFPRIVACY_ROOT folders shaped like a real server: a main user, users with keys, devices.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { formatTokenDate } from '../domain/token-dates.js';
import { PROJECT_ROOT } from '../kit/project-files.js';
import { DEFAULT_SETTLE_MS } from '../store/json-document.js';
import { serverPaths, type ServerPaths } from '../store/server-paths.js';

/** How many users (besides the main user) and devices a bench root holds. */
export interface BenchSizes {
  users: number;
  devices: number;
}

/** The main part's root: a small server of a family or a team. */
export const MAIN_SIZES: BenchSizes = { users: 50, devices: 10 };
/** The scale part's root: a large server, userdata.json of the better part of a megabyte. */
export const SCALE_SIZES: BenchSizes = { users: 2000, devices: 200 };
/** Each stand-in systemctl call takes this long, like a slow unit query. */
export const STAND_IN_UNIT_MS = 50;

export interface BenchData {
  userdata: Record<string, unknown>;
  tokens: Record<string, unknown>;
  mainUser: string;
  users: string[];
  /** The bearer token the bench sends (the first device's). */
  token: string;
}

export interface BenchRoot {
  root: string;
  paths: ServerPaths;
  /** Folder holding the stand-in `systemctl`; put it first on PATH. */
  binFolder: string;
  /** Where the server started on this root writes its log. */
  logFile: string;
  cleanup(): void;
}

function fakeKey(owner: string): string {
  return `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${randomBytes(32).toString('base64').slice(0, 43)} ${owner}@laptop`;
}

function fakeSha512Crypt(): string {
  const alphabet = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  const pick = (length: number): string => Array.from(randomBytes(length), (byte) => alphabet[byte % 64]).join('');
  return `$6$${pick(16)}$${pick(86)}`;
}

/**
 * The environment our server runs in on `root`: the production log level (one line per request is
 * part of what we pay for) and the stand-in systemctl first on PATH.
 */
export function ourServerEnv(root: BenchRoot): Record<string, string> {
  return { LOG_LEVEL: 'info', PATH: `${root.binFolder}${path.delimiter}${process.env.PATH ?? ''}` };
}

/** `user01`…`user50`, `user0001`…`user2000`: names of one length, sorted as numbered. */
function userNames(count: number): string[] {
  const width = Math.max(2, String(count).length);
  return Array.from({ length: count }, (_, index) => `user${String(index + 1).padStart(width, '0')}`);
}

/** userdata.json as makeBenchRoot writes it (4-space indentation, as the NixOS side writes it). */
export function userdataText(data: BenchData): string {
  return JSON.stringify(data.userdata, null, 4);
}

/** One set of server files of the given sizes; both servers under test get identical copies. */
export function makeBenchData(sizes: BenchSizes = MAIN_SIZES): BenchData {
  // The example server's userdata.json gives the real sections; users and keys are added to size.
  const example = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'test/fixtures/userdata.json'), 'utf8')) as Record<string, unknown>;
  const mainUser = 'admin';
  const users = userNames(sizes.users);
  const userdata = {
    ...example,
    username: mainUser,
    hashedMasterPassword: fakeSha512Crypt(),
    sshKeys: [fakeKey(mainUser), fakeKey(mainUser)],
    ssh: { enable: true, passwordAuthentication: false, rootKeys: [fakeKey('root'), fakeKey('root')] },
    users: users.map((username, index) => ({
      username,
      hashedPassword: fakeSha512Crypt(),
      sshKeys: Array.from({ length: 1 + (index % 3) }, () => fakeKey(username)),
    })),
  };
  const started = Date.UTC(2023, 0, 1);
  const devices = Array.from({ length: sizes.devices }, (_, index) => ({
    token: randomBytes(32).toString('base64url'),
    name: index === 0 ? 'primary_token' : `device_${index}`,
    date: formatTokenDate(new Date(started + index * 86_400_000 + index * 1234)),
  }));
  return { userdata, tokens: { tokens: devices }, mainUser, users, token: devices[0]!.token };
}

/** Writes `data` into a fresh temporary root, with a stand-in systemctl that answers "active" after a pause. */
export function makeBenchRoot(data: BenchData, label: string): BenchRoot {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `sp-bench-${label}-`));
  const paths = serverPaths(root);
  fs.mkdirSync(path.dirname(paths.userdata), { recursive: true });
  fs.mkdirSync(paths.dkimFolder, { recursive: true });
  fs.writeFileSync(paths.userdata, userdataText(data), { mode: 0o644 });
  fs.writeFileSync(paths.tokens, JSON.stringify(data.tokens, null, 4), { mode: 0o600 });
  fs.writeFileSync(paths.domainFile, `${String(data.userdata.domain)}\n`);
  const binFolder = path.join(root, 'bench-bin');
  fs.mkdirSync(binFolder);
  // A shell script: starting it costs about nothing, so it measures the pause, not a runtime's start-up.
  fs.writeFileSync(path.join(binFolder, 'systemctl'), `#!/bin/sh\nsleep ${STAND_IN_UNIT_MS / 1000}\nexit 0\n`, { mode: 0o755 });
  return {
    root,
    paths,
    binFolder,
    logFile: path.join(root, 'server.log'),
    cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

/** Beyond the settle time, for the clock of the file system against the bench's. */
const SETTLE_MARGIN_MS = 200;

/**
 * Waits until the roots' files are older than the time our server lets a file settle before it
 * keeps its parsed copy: until then it parses the file on every read, which a server whose files
 * were not just written does not do.
 */
export async function filesSettled(roots: readonly BenchRoot[]): Promise<void> {
  const changed = Math.max(...roots.flatMap((root) => [root.paths.userdata, root.paths.tokens].map((file) => fs.statSync(file).ctimeMs)));
  const wait = changed + DEFAULT_SETTLE_MS + SETTLE_MARGIN_MS - Date.now();
  if (wait <= 0) return;
  console.log(`waiting ${Math.ceil(wait / 1000)} s for the new files to settle…`);
  await sleep(wait);
}
