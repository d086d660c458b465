import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import rebootSystem from '../../../functions/system/reboot.js';
import getRuntimeVersion from '../../../functions/system/runtime-version.js';
import getSystemVersion from '../../../functions/system/system-version.js';
import { call, fakeRunner, jsonRequest, makeCtx } from '../../helpers/function-call.js';
import { makeStandIns, standInRunner } from '../../helpers/stand-ins.js';
import { useTempRoot } from '../../helpers/setup.js';

const temp = useTempRoot();

describe('GET /system/reboot', () => {
  it('answers "System reboot has started" before starting `reboot`', async () => {
    const system = fakeRunner();
    const { status, body } = await call(rebootSystem, jsonRequest('GET', '/system/reboot'), makeCtx(temp, { system }));
    expect(status).toBe(200);
    expect(body).toBe('System reboot has started');
    expect(system.calls).toEqual([]);
    await vi.waitFor(() => expect(system.calls).toEqual([{ command: 'reboot', args: [], detached: true }]), { timeout: 10_000 });
  });

  it('runs the real `reboot` found on PATH with no arguments, detached', async () => {
    const bin = makeStandIns(path.join(temp.root, 'bin'), { reboot: {} });
    const { status } = await call(rebootSystem, jsonRequest('GET', '/system/reboot'), makeCtx(temp, { system: standInRunner(bin) }));
    expect(status).toBe(200);
    await vi.waitFor(() => expect(bin.calls()).toEqual([{ command: 'reboot', args: [] }]), { timeout: 10_000 });
  });
});

describe('GET /system/version', () => {
  it('answers the output of exactly `uname -a`, trimmed', async () => {
    const uname = 'Linux test-instance 5.15.41 #1-NixOS SMP Wed May 18 08:26:43 UTC 2022 x86_64 GNU/Linux';
    const bin = makeStandIns(path.join(temp.root, 'bin'), { uname: { stdout: `${uname}\n` } });
    const { status, body } = await call(getSystemVersion, jsonRequest('GET', '/system/version'), makeCtx(temp, { system: standInRunner(bin) }));
    expect(status).toBe(200);
    expect(body).toEqual({ system_version: uname });
    expect(bin.calls()).toEqual([{ command: 'uname', args: ['-a'] }]);
  });

  it('answers 500 without details when uname fails', async () => {
    const bin = makeStandIns(path.join(temp.root, 'bin'), { uname: { exitCode: 2, stdout: 'partial' } });
    const { status, body } = await call(getSystemVersion, jsonRequest('GET', '/system/version'), makeCtx(temp, { system: standInRunner(bin) }));
    expect(status).toBe(500);
    expect(body).toEqual({ error: 'uname -a failed with exit code 2' });
  });
});

describe('GET /system/pythonVersion', () => {
  it('names Node.js and the version this API runs on', async () => {
    const { status, body } = await call(getRuntimeVersion, jsonRequest('GET', '/system/pythonVersion'), makeCtx(temp));
    expect(status).toBe(200);
    expect(body).toBe(`Node.js ${process.versions.node}`);
    expect(body).toMatch(/^Node\.js \d+\.\d+\.\d+$/);
  });
});
