// The API's secret files are 0600 after every write, and no link is ever written through.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditLog } from '../../../runtime/audit-log.js';
import { prepareTrialRoot } from '../../../runtime/trial-root.js';
import { HttpError } from '../../../core/errors.js';
import { createStore, type Store } from '../../../store/store.js';
import { serverPaths } from '../../../store/server-paths.js';
import { recordingLogger, type RecordingLogger } from '../../helpers/recording-logger.js';
import { useTempRoot } from '../../helpers/setup.js';

const temp = useTempRoot();
let outside: string;
let logger: RecordingLogger;
let store: Store;

beforeEach(() => {
  // What a link planted under the root points at: a file the API must never touch.
  outside = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-outside-'));
  logger = recordingLogger();
  store = createStore(temp.root, logger.log);
});
afterEach(() => {
  fs.rmSync(outside, { recursive: true, force: true });
});

const mode = (file: string): number => fs.statSync(file).mode & 0o7777;
const addUser = (data: Record<string, any>) => {
  data.users = [...(data.users ?? []), { username: 'carol' }];
};
const addToken = (data: Record<string, any>) => {
  data.tokens.push({ token: 'new', name: 'new', date: '2022-01-01 00:00:00.000000' });
};

async function refusal(promise: Promise<unknown>): Promise<HttpError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(HttpError);
    return error as HttpError;
  }
  throw new Error('the write was not refused');
}

describe('modes of userdata.json and tokens.json', () => {
  it('writes userdata.json 0600 even when it was found 0644', async () => {
    expect(mode(temp.paths.userdata)).toBe(0o644);
    await store.userdata.update(addUser);
    expect(mode(temp.paths.userdata)).toBe(0o600);
  });

  it('writes tokens.json 0600 when it was found 0644', async () => {
    fs.chmodSync(temp.paths.tokens, 0o644);
    await store.tokens.update(addToken);
    expect(mode(temp.paths.tokens)).toBe(0o600);
  });

  it('the trial seeds both files 0600', () => {
    const root = path.join(outside, '.trial-root');
    prepareTrialRoot(root);
    const paths = serverPaths(root);
    expect([mode(paths.userdata), mode(paths.tokens)]).toEqual([0o600, 0o600]);
  });
});

describe('links under the root', () => {
  it('refuses to write through a symlinked tokens.json, leaves its target alone and says why in the log', async () => {
    const target = path.join(outside, 'tokens.json');
    fs.writeFileSync(target, temp.tokensBytes(), { mode: 0o644 });
    const before = fs.readFileSync(target, 'utf8');
    fs.rmSync(temp.paths.tokens);
    fs.symlinkSync(target, temp.paths.tokens);

    const failure = await refusal(store.tokens.update(addToken));
    expect(failure.status).toBe(500);
    expect(JSON.stringify(failure.body)).toMatch(/tokens\.json.*symbolic link/);
    expect(JSON.stringify(failure.body)).not.toContain(outside);
    expect(fs.readFileSync(target, 'utf8')).toBe(before);
    expect(fs.lstatSync(temp.paths.tokens).isSymbolicLink()).toBe(true);
    expect(logger.entries()).toContainEqual(expect.objectContaining({ msg: 'store refused a symbolic link', file: 'tokens.json', link: temp.paths.tokens }));
  });

  it('refuses to read tokens through a link too (a planted file would hand out tokens)', () => {
    const target = path.join(outside, 'tokens.json');
    fs.writeFileSync(target, JSON.stringify({ tokens: [{ token: 'planted', name: 'x', date: 'd' }] }));
    fs.rmSync(temp.paths.tokens);
    fs.symlinkSync(target, temp.paths.tokens);
    expect(() => store.tokens.read()).toThrow(HttpError);
  });

  it('refuses to write userdata.json when its folder is a link', async () => {
    const folder = path.dirname(temp.paths.userdata);
    const moved = path.join(outside, 'userdata');
    fs.renameSync(folder, moved);
    fs.symlinkSync(moved, folder);
    const before = fs.readFileSync(path.join(moved, 'userdata.json'), 'utf8');

    await refusal(store.userdata.update(addUser));
    expect(fs.readFileSync(path.join(moved, 'userdata.json'), 'utf8')).toBe(before);
    expect(fs.readdirSync(moved).sort()).toEqual(['tokens.json', 'userdata.json']);
    expect(logger.text()).toContain('symbolic link');
  });

  // Only root can give a file away; the API runs as root on a real server.
  it.runIf(process.getuid?.() === 0)('never gives the rewritten userdata.json to the non-root owner the old file had', async () => {
    fs.chownSync(temp.paths.userdata, 1234, 5678);
    await store.userdata.update(addUser);
    const stat = fs.statSync(temp.paths.userdata);
    expect([stat.uid, stat.gid]).toEqual([0, 0]);
  });

  it('refuses to append to a symlinked audit.log, leaves its target alone and logs why', async () => {
    const target = path.join(outside, 'victim');
    fs.writeFileSync(target, 'untouched\n', { mode: 0o644 });
    fs.mkdirSync(path.dirname(temp.paths.auditLog), { recursive: true });
    fs.symlinkSync(target, temp.paths.auditLog);

    await createAuditLog(temp.paths.auditLog, logger.log).record({
      time: new Date().toISOString(), tokenName: null, clientAddress: '127.0.0.1', method: 'POST', path: '/x', status: 401,
    });
    expect(fs.readFileSync(target, 'utf8')).toBe('untouched\n');
    expect(mode(target)).toBe(0o644);
    expect(logger.entries()).toContainEqual(expect.objectContaining({ level: 'error', link: temp.paths.auditLog }));
    expect(logger.text()).toContain('symbolic link');
  });

  it('refuses to write the audit log into a folder that is a link', async () => {
    fs.mkdirSync(path.dirname(path.dirname(temp.paths.auditLog)), { recursive: true });
    fs.symlinkSync(outside, path.dirname(temp.paths.auditLog));
    await createAuditLog(temp.paths.auditLog, logger.log).record({
      time: new Date().toISOString(), tokenName: null, clientAddress: '127.0.0.1', method: 'POST', path: '/x', status: 401,
    });
    expect(fs.readdirSync(outside)).toEqual([]);
    expect(logger.entries()).toContainEqual(expect.objectContaining({ level: 'error', link: path.dirname(temp.paths.auditLog) }));
  });
});
