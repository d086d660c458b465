// A password reset link in Debian's chromium against the real server: open it, fill the form, submit, log in with the result.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, UI_TIMEOUT_MS } from '../helpers/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appOperation } from '../unit/graphql/app-operation.js';
import { verify } from '../helpers/crypt-verify.js';
import { PRIMARY_TOKEN } from '../helpers/function-call.js';
import { useServerProcess } from '../helpers/setup.js';
import { makeStandIns, type StandInBin } from '../helpers/stand-ins.js';

let bin: StandInBin;
const { temp, server } = useServerProcess({
  prepare: (root) => {
    bin = makeStandIns(path.join(root.root, 'bin'), { systemctl: { stdout: 'ActiveState=active\nSubState=running\nResult=success\n' } });
    return { PATH: bin.pathValue };
  },
});
let browser: Browser;
let page: Page;
const requestedUrls: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.newPage();
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  page.on('request', (request) => requestedUrls.push(request.url()));
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

/** The app's GeneratePasswordResetLink, with the link's host turned into the test server's address. */
async function resetLinkFor(username: string): Promise<string> {
  const response = await server.fetch('/graphql', {
    method: 'POST',
    token: PRIMARY_TOKEN,
    json: { query: appOperation('GeneratePasswordResetLink'), operationName: 'GeneratePasswordResetLink', variables: { username } },
  });
  const link = new URL((await response.json()).data.users.generatePasswordResetLink.passwordResetLink);
  expect(link.origin).toBe('https://api.test.tld');
  return `${server.url}${link.pathname}${link.search}`;
}

/** Types the new password and its repetition into the form. */
async function fillPasswords(password: string, again: string = password): Promise<void> {
  await page.fill('#password', password);
  await page.fill('#password_again', again);
}

/** Clicks the form's button and waits for the answer of its post and for the page it shows. */
async function submit(): Promise<number> {
  const posted = page.waitForResponse((response) => response.request().method() === 'POST' && new URL(response.url()).pathname === '/reset-password');
  await page.click('button[type=submit]');
  const status = (await posted).status();
  await page.waitForLoadState();
  return status;
}

describe('a reset link in a browser', () => {
  it('opens the form, takes a new password, and the stored hash verifies with it', async () => {
    const link = await resetLinkFor('user1');
    const opened = await page.goto(link);
    expect(opened?.status()).toBe(200);
    await fillPasswords('browser chosen pw');
    expect(await submit()).toBe(200);
    expect(await page.textContent('h1')).toBe('Password set');
    const stored = temp.readUserdata().users.find((user: { username: string }) => user.username === 'user1');
    expect(verify('browser chosen pw', stored.hashedPassword)).toBe(true);
    // The rebuild that gives the mail server the new hash was started (in the background: the
    // stand-in logs its call once its own process is up, which may be after the page is shown).
    await expect.poll(() => bin.calls(), { timeout: 20_000 }).toContainEqual({ command: 'systemctl', args: ['start', '--', 'sp-nixos-rebuild.service'] });
    // Nothing but the page itself and the form's post was requested.
    expect(requestedUrls.every((url) => new URL(url).origin === server.url)).toBe(true);
  }, 120_000);

  it('shows a page saying the link does not work when it is opened again', async () => {
    const link = await resetLinkFor('user2');
    await page.goto(link);
    await fillPasswords('first');
    expect(await submit()).toBe(200);
    const again = await page.goto(link);
    expect(again?.status()).toBe(404);
    expect(await page.textContent('h1')).toBe('This link does not work');
  }, 120_000);

  it('keeps the form when the two passwords differ, and the link still works', async () => {
    const link = await resetLinkFor('user3');
    await page.goto(link);
    await fillPasswords('one thing', 'another');
    expect(await submit()).toBe(400);
    expect(await page.textContent('[role=alert]')).toContain('not the same');
    await fillPasswords('agreed');
    expect(await submit()).toBe(200);
    expect(server.output()).not.toContain(new URL(link).searchParams.get('token'));
  }, 120_000);
});
