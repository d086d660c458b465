import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockFile } from '../../../store/file-lock.js';

let folder: string;
let file: string;
const options = { staleMs: 2000, onCompromised: () => undefined };

beforeEach(() => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-lock-'));
  file = path.join(folder, 'tokens.json');
  fs.writeFileSync(file, '{}');
});
afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

describe('lockFile', () => {
  it('waits while another holder has the lock and gets it once released', async () => {
    const releaseFirst = await lockFile(file, options);
    let second = false;
    const waiting = lockFile(file, options).then((release) => {
      second = true;
      return release;
    });
    await sleep(100);
    expect(second).toBe(false);
    await releaseFirst();
    const releaseSecond = await waiting;
    expect(second).toBe(true);
    await releaseSecond();
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });

  it('takes over a lock whose holder died (not refreshed for longer than staleMs)', async () => {
    fs.mkdirSync(`${file}.lock`);
    const longAgo = new Date(Date.now() - 60_000);
    fs.utimesSync(`${file}.lock`, longAgo, longAgo);
    const release = await lockFile(file, options);
    await release();
  });

  it('fails at once, without the lock-wait retries, when the lock cannot be made at all', async () => {
    const missingFolder = path.join(folder, 'no-such-folder', 'tokens.json');
    await expect(lockFile(missingFolder, options)).rejects.toMatchObject({ code: 'ENOENT' });
  }, 10_000);
});
