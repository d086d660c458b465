import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PRIMARY_TOKEN, WRONG_MNEMONIC } from '../../helpers/function-call.js';
import { useServerProcess } from '../../helpers/setup.js';

// The real server on 127.0.0.1: the test plays nginx, so X-Forwarded-For names the client.
const ATTEMPTS = 50;
const { temp, server } = useServerProcess();

function countStatuses(statuses: number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

describe('brute-force protection over HTTP', () => {
  it('blocks all but the first 10 wrong recovery mnemonics and the first 10 wrong tokens of a minute, per client', async () => {
    const tokensBefore = temp.tokensBytes();
    const mnemonicStatuses: number[] = [];
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const response = await server.fetch('/auth/recovery_token/use', {
        method: 'POST',
        headers: { 'x-forwarded-for': '203.0.113.9' },
        json: { token: WRONG_MNEMONIC, device: 'attacker' },
      });
      mnemonicStatuses.push(response.status);
      if (response.status === 429) expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    const tokenStatuses: number[] = [];
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const response = await server.fetch('/auth/tokens', { headers: { 'x-forwarded-for': '203.0.113.10' }, token: `guess-${attempt}` });
      tokenStatuses.push(response.status);
    }
    expect(countStatuses(mnemonicStatuses)).toEqual({ 404: 10, 429: ATTEMPTS - 10 });
    expect(countStatuses(tokenStatuses)).toEqual({ 401: 10, 429: ATTEMPTS - 10 });
    expect(temp.tokensBytes()).toBe(tokensBefore);

    // The owner, from another address, is not affected.
    const owner = await server.fetch('/auth/tokens', { headers: { 'x-forwarded-for': '198.51.100.20' }, token: PRIMARY_TOKEN });
    expect(owner.status).toBe(200);

    const audit = fs.readFileSync(temp.paths.auditLog, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    // A client's first ten refusals of a minute are written one by one, the rest
    // are counted in the minute's summary line (this test used to expect a line per attempt).
    expect(audit.filter((line) => line.clientAddress === '203.0.113.9').map((line) => line.status)).toEqual(Array(10).fill(404));
    expect(audit.filter((line) => line.clientAddress === '203.0.113.10').map((line) => line.status)).toEqual(Array(10).fill(401));
    console.log(`brute force: ${2 * ATTEMPTS} wrong attempts from 2 clients, ${2 * (ATTEMPTS - 10)} blocked with 429`);
  });
});
