import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import getServicesStatus from '../../../functions/services/status.js';
import { createCommandRunner } from '../../../runtime/system.js';
import { call, fakeRunner, jsonRequest, makeCtx } from '../../helpers/function-call.js';
import { makeStandIns, standInRunner } from '../../helpers/stand-ins.js';
import { useTempRoot } from '../../helpers/setup.js';

const temp = useTempRoot();

const UNITS = {
  imap: 'dovecot2',
  smtp: 'postfix',
  http: 'nginx',
  bitwarden: 'vaultwarden',
  gitea: 'gitea',
  nextcloud: 'phpfpm-nextcloud',
  ocserv: 'ocserv',
  pleroma: 'pleroma',
};

describe('GET /services/status', () => {
  it('reports each unit\'s own `systemctl is-active` exit code under its key', async () => {
    // A distinct code per unit, so a key reporting another unit's code would show.
    const codes = Object.fromEntries(Object.values(UNITS).map((unit, index) => [unit, index + 1]));
    const system = fakeRunner((_command, args) => ({ exitCode: codes[args.at(-1) as string] ?? 99 }));
    const { status, body } = await call(getServicesStatus, jsonRequest('GET', '/services/status'), makeCtx(temp, { system }));
    expect(status).toBe(200);
    expect(body).toEqual(Object.fromEntries(Object.entries(UNITS).map(([key, unit]) => [key, codes[unit]])));
  });

  it('runs `systemctl is-active -- <unit>` with exactly these arguments for the eight units', async () => {
    const bin = makeStandIns(path.join(temp.root, 'bin'), { systemctl: { exitCode: 3 } });
    const { status, body } = await call(getServicesStatus, jsonRequest('GET', '/services/status'), makeCtx(temp, { system: standInRunner(bin) }));
    expect(status).toBe(200);
    expect(body).toEqual(Object.fromEntries(Object.keys(UNITS).map((key) => [key, 3])));
    const calls = bin.calls().map((c) => [c.command, ...c.args]);
    expect(calls).toHaveLength(8);
    expect(calls).toEqual(expect.arrayContaining(Object.values(UNITS).map((unit) => ['systemctl', 'is-active', '--', unit])));
  });

  it('runs the eight checks at the same time, not one after another', async () => {
    // Each stand-in stays running until all eight have started (or 20 s pass): when run one after
    // another the first would end before the second starts.
    const bin = makeStandIns(path.join(temp.root, 'bin'), { systemctl: { exitCode: 0, delayMs: 20_000, waitForCalls: 8 } });
    const { status } = await call(getServicesStatus, jsonRequest('GET', '/services/status'), makeCtx(temp, { system: standInRunner(bin) }));
    expect(status).toBe(200);
    const timings = bin.timings();
    expect(timings).toHaveLength(8);
    const lastStart = Math.max(...timings.map((t) => t.startedAt));
    const firstEnd = Math.min(...timings.map((t) => t.endedAt));
    expect(lastStart).toBeLessThanOrEqual(firstEnd);
  });

  it('reports 127 for every unit when systemctl cannot be started', async () => {
    const emptyFolder = path.join(temp.root, 'empty-bin');
    fs.mkdirSync(emptyFolder);
    const system = createCommandRunner({ PATH: emptyFolder });
    const { status, body } = await call(getServicesStatus, jsonRequest('GET', '/services/status'), makeCtx(temp, { system }));
    expect(status).toBe(200);
    expect(body).toEqual(Object.fromEntries(Object.keys(UNITS).map((key) => [key, 127])));
  });
});
