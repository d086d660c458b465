import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PRIMARY_TOKEN } from '../../helpers/function-call.js';
import { makeInProcessApp, type InProcessApp } from '../../helpers/in-process-app.js';
import { makeTempRoot, type TempRoot } from '../../helpers/temp-root.js';
import { canMountTmpfs, fillDisk, mountTmpfs, remountReadOnly, unmount } from '../../helpers/tmpfs.js';

// A real full disk and a real read-only file system: a 64 KiB tmpfs mounted over the folder of
// userdata.json and tokens.json (root ignores permission bits, so chmod could not do this).
// Machines that may not mount skip these; store/atomic-write-faults.test.ts injects the same faults.
let temp: TempRoot;
let app: InProcessApp;
let folder: string;
let before: { userdata: string; tokens: string };

beforeEach(async () => {
  if (!canMountTmpfs) return;
  temp = makeTempRoot();
  folder = path.dirname(temp.paths.tokens);
  const saved = { userdata: temp.userdataBytes(), tokens: temp.tokensBytes() };
  mountTmpfs(folder, 64);
  fs.writeFileSync(temp.paths.userdata, saved.userdata, { mode: 0o644 });
  fs.writeFileSync(temp.paths.tokens, saved.tokens, { mode: 0o600 });
  before = saved;
  app = await makeInProcessApp(temp);
});

afterEach(() => {
  if (!canMountTmpfs) return;
  unmount(folder);
  temp.cleanup();
});

function leftovers(): string[] {
  return fs.readdirSync(folder).filter((name) => !['userdata.json', 'tokens.json', 'filler'].includes(name));
}

describe.skipIf(!canMountTmpfs)('writes on a full disk', () => {
  it('answer 500 naming ENOSPC, leave both files byte-for-byte as they were and leave no temporary file', async () => {
    const filler = fillDisk(folder);
    const response = await app.send('POST', '/auth/recovery_token', { token: PRIMARY_TOKEN, json: {} });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: 'Could not write tokens.json (ENOSPC); the file was left unchanged' });
    expect({ userdata: temp.userdataBytes(), tokens: temp.tokensBytes() }).toEqual(before);
    expect(leftovers()).toEqual([]);

    // Room again: the same request succeeds, so the failure was the disk and nothing was stuck.
    fs.rmSync(filler);
    expect((await app.send('POST', '/auth/recovery_token', { token: PRIMARY_TOKEN, json: {} })).status).toBe(200);
    expect(JSON.parse(temp.tokensBytes()).recovery_token.uses_left).toBeNull();
  });
});

describe.skipIf(!canMountTmpfs)('writes on a read-only file system', () => {
  it('answer 500 naming EROFS and leave both files byte-for-byte as they were', async () => {
    remountReadOnly(folder);
    const response = await app.send('DELETE', '/auth/tokens', { token: PRIMARY_TOKEN, json: { token_name: 'Pixel_6' } });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: 'Could not lock tokens.json (EROFS)' });
    expect({ userdata: temp.userdataBytes(), tokens: temp.tokensBytes() }).toEqual(before);
    expect(leftovers()).toEqual([]);
  });

  it('still serve reads', async () => {
    remountReadOnly(folder);
    expect((await app.send('GET', '/auth/tokens', { token: PRIMARY_TOKEN })).status).toBe(200);
  });
});
