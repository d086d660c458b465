// Reset links through the whole request pipeline: form bodies, the brute-force limiter, the audit and request logs.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FailureLimiter } from '../../../runtime/rate-limit.js';
import { verify } from '../../helpers/crypt-verify.js';
import { fakeRunner, PRIMARY_TOKEN } from '../../helpers/function-call.js';
import { useInProcessApp } from '../../helpers/setup.js';
import { operationText } from '../../graphql/operation-documents.js';

const { temp, app } = useInProcessApp(() => ({ system: fakeRunner(), guard: { limiter: new FailureLimiter({ maxFailures: 3 }) } }));

async function newLinkToken(username: string): Promise<string> {
  const answer = await app.request('/graphql', {
    method: 'POST',
    token: PRIMARY_TOKEN,
    json: { query: operationText('users.graphql', 'GeneratePasswordResetLink'), operationName: 'GeneratePasswordResetLink', variables: { username } },
  });
  return new URL(answer.body.data.users.generatePasswordResetLink.passwordResetLink).searchParams.get('token') ?? '';
}

/** Status and HTML of a page answer. */
async function page(response: Promise<Response>): Promise<{ status: number; html: string }> {
  const settled = await response;
  return { status: settled.status, html: await settled.text() };
}

function postForm(fields: Record<string, string>) {
  return page(app.send('POST', '/reset-password', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() }));
}

const openPage = (token: string) => page(app.send('GET', `/reset-password?token=${token}`));

const auditLines = (): Array<Record<string, any>> =>
  fs.existsSync(temp.paths.auditLog) ? fs.readFileSync(temp.paths.auditLog, 'utf8').trim().split('\n').map((line) => JSON.parse(line)) : [];

describe('POST /reset-password in the pipeline', () => {
  it('takes the form body, sets the password and audits both steps by name, never the token', async () => {
    const token = await newLinkToken('user2');
    await openPage(token);
    const answer = await postForm({ token, password: 'pipeline pw', password_again: 'pipeline pw' });
    expect(answer.status).toBe(200);
    expect(verify('pipeline pw', temp.readUserdata().users.find((user: { username: string }) => user.username === 'user2').hashedPassword)).toBe(true);
    const events = auditLines().flatMap((line) => line.events ?? []);
    expect(events).toEqual(['reset link created for user2 by device primary_token', 'password set through a reset link for user2']);
    const written = fs.readFileSync(temp.paths.auditLog, 'utf8') + app.logger.text();
    expect(written).not.toContain(token);
  });

  it('refuses a JSON body on this route (415), writing nothing', async () => {
    const token = await newLinkToken('user2');
    const before = temp.userdataBytes();
    const answer = await app.request('/reset-password', { method: 'POST', json: { token, password: 'x', password_again: 'x' } });
    expect(answer.status).toBe(415);
    expect(temp.userdataBytes()).toBe(before);
  });

  it('counts wrong tokens as failed logins: 429 once over the limit, even for the right token', async () => {
    const token = await newLinkToken('user2');
    for (let attempt = 0; attempt < 2; attempt++) expect((await postForm({ token: 'B'.repeat(43), password: 'p', password_again: 'p' })).status).toBe(404);
    expect((await openPage('C'.repeat(43))).status).toBe(404);
    expect((await openPage(token)).status).toBe(429);
    expect((await postForm({ token, password: 'p', password_again: 'p' })).status).toBe(429);
  });

  it('does not count a refused password as a wrong token', async () => {
    const token = await newLinkToken('user2');
    for (let attempt = 0; attempt < 4; attempt++) expect((await postForm({ token, password: 'a', password_again: 'b' })).status).toBe(400);
    expect((await postForm({ token, password: 'same', password_again: 'same' })).status).toBe(200);
  });
});
