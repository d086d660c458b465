import fs from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../runtime/logger.js';
import { createStore, type Store } from '../../../store/store.js';
import { PRIMARY_TOKEN } from '../../helpers/function-call.js';
import { makeInProcessApp } from '../../helpers/in-process-app.js';
import { useTempRoot } from '../../helpers/setup.js';

// Disk faults injected under the store's atomic write (node:fs/promises), for machines that may
// not mount a tmpfs (store/write-failures.test.ts does it for real). Only temporary files fail.
type Step = 'open' | 'write' | 'sync' | 'rename';
const fault = vi.hoisted(() => ({ step: null as Step | null, code: 'ENOSPC' }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const failure = (): NodeJS.ErrnoException => Object.assign(new Error(`injected ${fault.code}`), { code: fault.code });
  const open = (async (file: string, flags?: string, mode?: number) => {
    const temporary = String(file).endsWith('.tmp');
    if (temporary && fault.step === 'open') throw failure();
    const handle = await actual.open(file, flags, mode);
    if (temporary && fault.step === 'write') {
      // Half the text reaches the disk, then it is full: the worst case for a partial file.
      const writeFile = handle.writeFile.bind(handle);
      handle.writeFile = async (data: unknown) => {
        const text = String(data);
        await writeFile(text.slice(0, Math.floor(text.length / 2)));
        throw failure();
      };
    }
    if (temporary && fault.step === 'sync') handle.sync = async () => Promise.reject(failure());
    return handle;
  }) as typeof actual.open;
  const rename = (async (from: string, to: string) => {
    if (fault.step === 'rename') throw failure();
    return actual.rename(from, to);
  }) as typeof actual.rename;
  return { ...actual, open, rename, default: { ...actual, open, rename } };
});

const temp = useTempRoot();
let store: Store;
beforeEach(() => {
  store = createStore(temp.root, silentLogger);
  fault.step = null;
});

function folderListing(): string[] {
  return fs.readdirSync(temp.paths.userdata.replace(/\/[^/]+$/, '')).sort();
}

describe.each([
  ['open', 'EROFS'],
  ['write', 'ENOSPC'],
  ['sync', 'EIO'],
  ['rename', 'EIO'],
] as Array<[Step, string]>)('a store write whose %s fails with %s', (step, code) => {
  it('rejects with a 500 naming the code, leaves the file byte-for-byte, and no temporary file or lock', async () => {
    const before = temp.tokensBytes();
    const listing = folderListing();
    Object.assign(fault, { step, code });
    await expect(store.tokens.update((tokens) => void (tokens.recovery_token = null))).rejects.toMatchObject({
      status: 500,
      body: { error: `Could not write tokens.json (${code}); the file was left unchanged` },
    });
    expect(temp.tokensBytes()).toBe(before);
    expect(folderListing()).toEqual(listing);

    // The fault gone, the next write goes through: nothing was left locked.
    fault.step = null;
    await store.tokens.update((tokens) => void (tokens.recovery_token = null));
    expect(temp.readTokens().recovery_token).toBeNull();
  });
});

describe('a request whose write hits a full disk', () => {
  it('answers 500 with a JSON error that holds no path', async () => {
    const app = await makeInProcessApp(temp);
    Object.assign(fault, { step: 'write', code: 'ENOSPC' });
    const response = await app.send('POST', '/auth/new_device', { token: PRIMARY_TOKEN });
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: 'Could not write tokens.json (ENOSPC); the file was left unchanged' });
    expect(text).not.toContain(temp.root);
  });
});
