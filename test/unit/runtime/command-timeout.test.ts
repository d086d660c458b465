import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commandTimeoutMs, createCommandRunner, DEFAULT_TIMEOUT_MS } from '../../../runtime/system.js';
import { makeStandIns, type StandInBin } from '../../helpers/stand-ins.js';

let folder: string;
let bin: StandInBin;
beforeEach(() => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-timeout-'));
  bin = makeStandIns(folder, { 'sleepy-command': { delayMs: 20_000 } });
});
afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

describe('command timeouts', () => {
  it('kills a command that outlives its timeout and reports exit code 124', async () => {
    const runner = createCommandRunner({ ...process.env, PATH: bin.pathValue });
    const result = await runner.run('sleepy-command', ['x'], { timeoutMs: 300 });
    expect(result).toMatchObject({ exitCode: 124, timedOut: true });
  });

  it('never lets a command run without a limit: 0, negative or non-finite means the default', () => {
    for (const asked of [undefined, 0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(commandTimeoutMs(asked)).toBe(DEFAULT_TIMEOUT_MS);
    }
    expect(commandTimeoutMs(250)).toBe(250);
  });
});
