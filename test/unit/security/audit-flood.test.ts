// Anonymous refusals cannot flood the audit trail away.
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { createAuditLog } from '../../../runtime/audit-log.js';
import { silentLogger } from '../../../runtime/logger.js';
import { RefusalBudget } from '../../../runtime/refusal-budget.js';
import { PRIMARY_TOKEN } from '../../helpers/function-call.js';
import { makeInProcessApp, type InProcessApp } from '../../helpers/in-process-app.js';
import { useTempRoot } from '../../helpers/setup.js';

const temp = useTempRoot();
let clock: number;
beforeEach(() => {
  clock = Date.parse('2026-11-30T12:00:00Z');
});

/** Every line of audit.log and its rotated files, oldest file first. */
function allAuditLines(): Array<Record<string, unknown>> {
  const folder = path.dirname(temp.paths.auditLog);
  if (!fs.existsSync(folder)) return [];
  const base = path.basename(temp.paths.auditLog);
  const files = fs.readdirSync(folder).filter((name) => name === base || name.startsWith(`${base}.`));
  const age = (name: string): number => (name === base ? 0 : Number(name.slice(base.length + 1)));
  return files
    .sort((a, b) => age(b) - age(a))
    .flatMap((name) => fs.readFileSync(path.join(folder, name), 'utf8').split('\n').filter(Boolean))
    .map((line) => JSON.parse(line));
}

async function appWith(options: { maxBytes?: number } = {}): Promise<InProcessApp> {
  return makeInProcessApp(temp, {
    guard: {
      audit: createAuditLog(temp.paths.auditLog, silentLogger, { maxBytes: options.maxBytes }),
      refusals: new RefusalBudget({ now: () => clock }),
    },
  });
}

/** An anonymous refusal (a wrong token) from `address`, seen through nginx. */
function refusedFrom(app: InProcessApp, address: string, pathname = '/auth/tokens'): Promise<Response> {
  return app.send('GET', pathname, { token: 'wrong', peer: '127.0.0.1', headers: { 'x-forwarded-for': address } });
}

describe('audit lines of refusals', () => {
  it('keep a refusal line short whatever the length of the path', async () => {
    const app = await appWith();
    await app.send('GET', `/services/ssh/keys/${'a'.repeat(5000)}`, { token: 'wrong' });
    const text = fs.readFileSync(temp.paths.auditLog, 'utf8');
    expect(text.trim().split('\n')).toHaveLength(1);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(300);
  });

  it('write a client\'s first ten refusals of a minute, then one summary line for the rest once the minute is over', async () => {
    const app = await appWith();
    for (let count = 0; count < 200; count++) await refusedFrom(app, '203.0.113.7');
    expect(allAuditLines()).toHaveLength(10);
    clock += 61_000;
    await refusedFrom(app, '203.0.113.7');
    const lines = allAuditLines();
    expect(lines).toHaveLength(12);
    expect(lines[10]).toMatchObject({ refusalsNotWritten: 190, clients: 1, topClients: [{ clientAddress: '203.0.113.7', count: 190 }] });
    // A new minute: the client's next refusal is written again (429: the failure limiter keeps its own time).
    expect(lines[11]).toMatchObject({ clientAddress: '203.0.113.7', path: '/auth/tokens', tokenName: null });
  });

  it('write at most sixty refusal lines a minute from all clients together', async () => {
    const app = await appWith();
    for (let count = 0; count < 500; count++) await refusedFrom(app, `198.51.${Math.floor(count / 250)}.${count % 250}`);
    expect(allAuditLines()).toHaveLength(60);
  });

  it('keep an authenticated change through a flood of refusals from thousands of clients', async () => {
    // Small files, so that the flood is many times the size of one: rotation alone used to lose the change.
    const app = await appWith({ maxBytes: 4096 });
    const change = await app.send('DELETE', '/auth/tokens', { token: PRIMARY_TOKEN, json: { token_name: 'Pixel_6' } });
    expect(change.status).toBe(200);
    for (let minute = 0; minute < 3; minute++) {
      for (let count = 0; count < 1000; count++) await refusedFrom(app, `2001:db8:${minute}:${count.toString(16)}::1`);
      clock += 60_000;
    }
    const lines = allAuditLines();
    expect(lines.filter((line) => line.tokenName === 'primary_token')).toMatchObject([{ method: 'DELETE', path: '/auth/tokens', status: 200 }]);
    // The refusals that were not written one by one are still counted.
    const counted = lines.filter((line) => line.status === 401 || line.status === 429).length
      + lines.reduce((sum, line) => sum + (typeof line.refusalsNotWritten === 'number' ? line.refusalsNotWritten : 0), 0);
    expect(counted).toBeGreaterThanOrEqual(2000);
  });

  it('never hold back a change made with a token, however many refusals came first', async () => {
    const app = await appWith();
    for (let count = 0; count < 100; count++) await refusedFrom(app, `192.0.2.${count}`);
    for (let count = 0; count < 20; count++) {
      await app.send('PUT', '/system/configuration/timezone', { token: PRIMARY_TOKEN, json: { timezone: 'Europe/Berlin' } });
    }
    expect(allAuditLines().filter((line) => line.tokenName === 'primary_token')).toHaveLength(20);
  });
});
