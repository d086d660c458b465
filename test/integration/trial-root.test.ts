// The local trial's root (`npm start`): made once, kept across runs, served by the real server.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serverPaths } from '../../store/server-paths.js';
import { prepareTrialRoot, TRIAL_STAND_INS, TRIAL_TOKEN_NAME } from '../../runtime/trial-root.js';
import { startServerProcess } from '../helpers/server-process.js';

let root: string;
beforeEach(() => {
  root = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sp-trial-')), '.trial-root');
});
afterEach(() => fs.rmSync(path.dirname(root), { recursive: true, force: true }));

const mode = (file: string): number => fs.statSync(file).mode & 0o777;

describe('prepareTrialRoot', () => {
  it('creates a sample server on first use: main user and two users, a trial token in a 0600 tokens.json, domain and DKIM', () => {
    const trial = prepareTrialRoot(root);
    const paths = serverPaths(root);
    expect(trial.created).toBe(true);
    const userdata = JSON.parse(fs.readFileSync(paths.userdata, 'utf8'));
    expect(userdata.username).toEqual(expect.any(String));
    expect(userdata.users).toHaveLength(2);
    const tokens = JSON.parse(fs.readFileSync(paths.tokens, 'utf8'));
    expect(tokens.tokens).toEqual([expect.objectContaining({ name: TRIAL_TOKEN_NAME, token: trial.token })]);
    expect(trial.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(mode(paths.tokens)).toBe(0o600);
    const domain = fs.readFileSync(paths.domainFile, 'utf8').trim();
    expect(fs.existsSync(path.join(paths.dkimFolder, `${domain}.selector.txt`))).toBe(true);
    for (const name of TRIAL_STAND_INS) expect(mode(path.join(trial.binFolder, name)) & 0o111).not.toBe(0);
  });

  it('keeps the state of an earlier run: same token, every edit kept, tokens.json byte for byte', () => {
    const first = prepareTrialRoot(root);
    const paths = serverPaths(root);
    const userdata = JSON.parse(fs.readFileSync(paths.userdata, 'utf8'));
    userdata.users.push({ username: 'carol', hashedPassword: '$6$x$y' });
    fs.writeFileSync(paths.userdata, JSON.stringify(userdata, null, 4));
    const tokens = JSON.parse(fs.readFileSync(paths.tokens, 'utf8'));
    tokens.tokens.push({ token: 'second-device', name: 'phone', date: '2024-01-01T00:00:00.000000Z' });
    fs.writeFileSync(paths.tokens, JSON.stringify(tokens, null, 4));
    const userdataBefore = fs.readFileSync(paths.userdata, 'utf8');
    const tokensBefore = fs.readFileSync(paths.tokens, 'utf8');

    const second = prepareTrialRoot(root);
    expect(second.created).toBe(false);
    expect(second.token).toBe(first.token);
    expect(fs.readFileSync(paths.userdata, 'utf8')).toBe(userdataBefore);
    expect(fs.readFileSync(paths.tokens, 'utf8')).toBe(tokensBefore);
    expect(mode(paths.tokens)).toBe(0o600);
  });

  it('puts back a stand-in that went missing between runs', () => {
    const trial = prepareTrialRoot(root);
    fs.rmSync(path.join(trial.binFolder, 'reboot'));
    prepareTrialRoot(root);
    expect(fs.existsSync(path.join(trial.binFolder, 'reboot'))).toBe(true);
  });

  it('has stand-ins that only log their arguments, literally', () => {
    const trial = prepareTrialRoot(root);
    const marker = path.join(path.dirname(root), 'pwned');
    execFileSync(path.join(trial.binFolder, 'systemctl'), ['start', `$(touch ${marker})`, 'two words']);
    expect(fs.readFileSync(trial.standInLog, 'utf8')).toContain(`systemctl [start] [$(touch ${marker})] [two words]`);
    expect(fs.existsSync(marker)).toBe(false);
  });

  it('is served by the real server: the printed token works, and the state survives a restart', async () => {
    const trial = prepareTrialRoot(root);
    const env = { PATH: `${trial.binFolder}${path.delimiter}${process.env.PATH ?? ''}` };
    const first = await startServerProcess(root, env);
    let mnemonic: string;
    try {
      const listed = await first.fetch('/auth/tokens', { token: trial.token });
      expect(listed.status).toBe(200);
      expect(await listed.json()).toEqual([expect.objectContaining({ name: TRIAL_TOKEN_NAME, is_caller: true })]);
      mnemonic = ((await (await first.fetch('/auth/recovery_token', { method: 'POST', token: trial.token })).json()) as { token: string }).token;
    } finally {
      expect(await first.stop()).toBe(0);
    }
    const again = prepareTrialRoot(root);
    expect(again.created).toBe(false);
    const second = await startServerProcess(root, env);
    try {
      const used = await second.fetch('/auth/recovery_token/use', { method: 'POST', json: { token: mnemonic, device: 'trial phone' } });
      expect(used.status).toBe(200);
      expect((await (await second.fetch('/auth/tokens', { token: again.token })).json()) as unknown[]).toHaveLength(2);
    } finally {
      await second.stop();
    }
  });
});
