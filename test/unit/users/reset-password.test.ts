// Password reset links: generatePasswordResetLink (the app's operation), the page's form, and the form's post.
import fs from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import showResetForm from '../../../functions/reset-password/show-form.js';
import setResetPassword from '../../../functions/reset-password/set-password.js';
import { RESET_LINK_LIFETIME_MS } from '../../../domain/reset-links.js';
import type { Ctx } from '../../../kit/context.js';
import { verify } from '../../helpers/crypt-verify.js';
import { fakeRunner, makeCtx, PRIMARY_TOKEN } from '../../helpers/function-call.js';
import { expectDocumentedStatus } from '../../helpers/documented-status.js';
import { useTempRoot } from '../../helpers/setup.js';
import { operationText } from '../../graphql/operation-documents.js';
import { gql, graphqlEndpoint } from '../graphql/graphql-call.js';

const temp = useTempRoot();
let ctx: Ctx;
let clock: Date;
let runner: ReturnType<typeof fakeRunner>;

beforeEach(() => {
  clock = new Date('2026-03-01T10:00:00Z');
  runner = fakeRunner();
  ctx = makeCtx(temp, { caller: null, now: () => clock, system: runner });
});

async function generateLink(username: string) {
  const answer = await gql(graphqlEndpoint, ctx, operationText('users.graphql', 'GeneratePasswordResetLink'), {
    operationName: 'GeneratePasswordResetLink',
    variables: { username },
    token: PRIMARY_TOKEN,
  });
  return answer.body.data.users.generatePasswordResetLink;
}

function tokenOf(link: string): string {
  return new URL(link).searchParams.get('token') ?? '';
}

async function openPage(token: string): Promise<{ status: number; html: string; headers: Headers }> {
  const response = await showResetForm(new Request(`http://api.test.tld/reset-password?token=${encodeURIComponent(token)}`), ctx);
  await expectDocumentedStatus(showResetForm, response.status);
  return { status: response.status, html: await response.text(), headers: response.headers };
}

async function postForm(fields: Record<string, string>, headers: Record<string, string> = {}): Promise<{ status: number; html: string }> {
  const request = new Request('http://api.test.tld/reset-password', {
    method: 'POST',
    body: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  });
  const response = await setResetPassword(request, ctx);
  await expectDocumentedStatus(setResetPassword, response.status);
  return { status: response.status, html: await response.text() };
}

const hashOf = (username: string): string | undefined => {
  const data = temp.readUserdata();
  return username === data.username ? data.hashedMasterPassword : data.users.find((user: { username: string }) => user.username === username)?.hashedPassword;
};

describe('generatePasswordResetLink', () => {
  it('answers a link to this server\'s own page with a 256-bit secret, and keeps only its hash', async () => {
    const result = await generateLink('user1');
    expect(result).toMatchObject({ success: true, code: 200 });
    expect(result.passwordResetLink).toMatch(/^https:\/\/api\.test\.tld\/reset-password\?token=[A-Za-z0-9_-]{43}$/);
    const state = fs.readFileSync(temp.paths.resetLinks, 'utf8');
    expect(state).not.toContain(tokenOf(result.passwordResetLink));
    expect(JSON.parse(state).links).toEqual([expect.objectContaining({ username: 'user1', createdBy: 'primary_token', secretHash: expect.stringMatching(/^[0-9a-f]{64}$/) })]);
    expect(fs.statSync(temp.paths.resetLinks).mode & 0o777).toBe(0o600);
  });

  it('gives the main user a link too, but not root or an unknown user (404, nothing stored)', async () => {
    expect((await generateLink('tester')).success).toBe(true);
    for (const username of ['root', 'nobody']) expect(await generateLink(username)).toMatchObject({ success: false, code: 404, passwordResetLink: null });
    expect(JSON.parse(fs.readFileSync(temp.paths.resetLinks, 'utf8')).links).toHaveLength(1);
  });
});

describe('GET /reset-password', () => {
  it('serves the form of a live link in a page that loads nothing and cannot be framed', async () => {
    const token = tokenOf((await generateLink('user1')).passwordResetLink);
    const page = await openPage(token);
    expect(page.status).toBe(200);
    expect(page.html).toContain('<strong>user1</strong>');
    expect(page.html).toContain(`name="token" value="${token}"`);
    expect(page.html).not.toMatch(/<script|src=|href=/);
    const policy = page.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("form-action 'self'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('referrer-policy')).toBe('same-origin');
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('answers 404 with a page for an unknown, malformed or expired link', async () => {
    const token = tokenOf((await generateLink('user1')).passwordResetLink);
    for (const wrong of ['', 'x'.repeat(43), `${token}x`, '<script>']) {
      const page = await openPage(wrong);
      expect(page.status).toBe(404);
      expect(page.html).toContain('This link does not work');
      expect(page.html).not.toContain('<script>');
    }
    clock = new Date(clock.getTime() + RESET_LINK_LIFETIME_MS + 1);
    expect((await openPage(token)).status).toBe(404);
  });

  it('ends the earlier link of a user when a new one is made', async () => {
    const first = tokenOf((await generateLink('user1')).passwordResetLink);
    const second = tokenOf((await generateLink('user1')).passwordResetLink);
    expect((await openPage(first)).status).toBe(404);
    expect((await openPage(second)).status).toBe(200);
  });
});

describe('POST /reset-password', () => {
  it('writes the new hash, starts the rebuild, and the link then no longer works', async () => {
    const token = tokenOf((await generateLink('user1')).passwordResetLink);
    const done = await postForm({ token, password: 'new horse battery', password_again: 'new horse battery' });
    expect(done.status).toBe(200);
    expect(done.html).toContain('Password set');
    expect(verify('new horse battery', hashOf('user1'))).toBe(true);
    expect(runner.calls.map((call) => [call.command, ...call.args].join(' '))).toContain('systemctl start -- sp-nixos-rebuild.service');
    // The audit line's sentence goes to the request's notes (its state, in the shell).
    expect(ctx.audit.auditEvents).toEqual(['password set through a reset link for user1']);
    const again = await postForm({ token, password: 'another one', password_again: 'another one' });
    expect(again.status).toBe(404);
    expect(verify('new horse battery', hashOf('user1'))).toBe(true);
  });

  it('sets the main user\'s hashedMasterPassword', async () => {
    const token = tokenOf((await generateLink('tester')).passwordResetLink);
    expect((await postForm({ token, password: 'master pw', password_again: 'master pw' })).status).toBe(200);
    expect(verify('master pw', hashOf('tester'))).toBe(true);
  });

  it('shows the form again with the reason for passwords that differ or break a rule, keeping the link', async () => {
    const token = tokenOf((await generateLink('user1')).passwordResetLink);
    const before = temp.userdataBytes();
    const differ = await postForm({ token, password: 'one', password_again: 'two' });
    expect(differ.status).toBe(400);
    expect(differ.html).toContain('not the same');
    expect(differ.html).toContain('name="password_again"');
    const control = await postForm({ token, password: 'a\u0007b', password_again: 'a\u0007b' });
    expect(control.status).toBe(400);
    expect(control.html).toContain('control characters');
    expect((await postForm({ token, password: '', password_again: '' })).status).toBe(400);
    expect(temp.userdataBytes()).toBe(before);
    expect((await postForm({ token, password: 'fine now', password_again: 'fine now' })).status).toBe(200);
  });

  it('writes nothing for an unknown or expired link (404) and never shows the token sent', async () => {
    const token = tokenOf((await generateLink('user1')).passwordResetLink);
    const before = temp.userdataBytes();
    const guess = 'A'.repeat(43);
    const unknown = await postForm({ token: guess, password: 'pw', password_again: 'pw' });
    expect(unknown.status).toBe(404);
    expect(unknown.html).not.toContain(guess);
    clock = new Date(clock.getTime() + RESET_LINK_LIFETIME_MS + 1);
    expect((await postForm({ token, password: 'pw', password_again: 'pw' })).status).toBe(404);
    expect(temp.userdataBytes()).toBe(before);
    expect(runner.calls).toEqual([]);
    expect(ctx.audit.auditEvents).toBeUndefined();
  });

  it('refuses a form posted from another site (400), leaving the link usable', async () => {
    const token = tokenOf((await generateLink('user1')).passwordResetLink);
    const before = temp.userdataBytes();
    const fields = { token, password: 'pw', password_again: 'pw' };
    expect((await postForm(fields, { origin: 'https://evil.example' })).status).toBe(400);
    expect((await postForm(fields, { 'sec-fetch-site': 'cross-site', origin: 'https://api.test.tld' })).status).toBe(400);
    expect((await postForm(fields, { 'sec-fetch-site': 'same-site' })).status).toBe(400);
    expect((await postForm(fields, { origin: 'null' })).status).toBe(400);
    expect(temp.userdataBytes()).toBe(before);
    // An older browser sends only Origin: the API's own public address.
    expect((await postForm(fields, { origin: 'https://api.test.tld' })).status).toBe(200);
  });
});
