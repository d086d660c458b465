// The local trial's root: a sample server in the project folder, and logging stand-in commands.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { BackupPreferencesFile } from '../backups/backup-preferences.js';
import { formatTokenDate } from '../domain/token-dates.js';
import { serverPaths } from '../store/server-paths.js';
import { silentLogger } from './logger.js';

/** Commands that would change the real machine; in the trial they only log their arguments. */
export const TRIAL_STAND_INS = ['systemctl', 'reboot', 'nixos-rebuild'] as const;

export const TRIAL_TOKEN_NAME = 'trial';

/** A new trial backs its services up automatically this often, so the scheduler can be watched at work. */
export const TRIAL_AUTOBACKUP_MINUTES = 60;

/** Sample data of the trial's switched-on service (Nextcloud): what its backups hold. */
const SAMPLE_SERVICE_FILE = 'var/lib/nextcloud/data/admin/files/welcome.txt';

const SAMPLE_DOMAIN = 'trial.example';

function sampleUserdata(): Record<string, unknown> {
  return {
    username: 'admin',
    hashedMasterPassword: '$6$trialtrialtrial$QvzWDq0Bi6WKR8uXw8xDw3LF4YvUPmBxlrpbIOiUAZq6tUZUDFwzZn2hAPdF7L3A4v5iM9hYVv/yNM1KUkGdP1',
    hostname: 'trial',
    domain: SAMPLE_DOMAIN,
    timezone: 'Europe/Uzhgorod',
    api: { enableSwagger: true, skippedMigrations: ['fix_nixos_config_branch'] },
    ssh: { enable: true, passwordAuthentication: true },
    sshKeys: [],
    autoUpgrade: { enable: true, allowReboot: false },
    bitwarden: { enable: false },
    gitea: { enable: false },
    nextcloud: { enable: true },
    ocserv: { enable: false },
    pleroma: { enable: false },
    users: [
      { username: 'alice', hashedPassword: '$6$trialtrialtrial$QvzWDq0Bi6WKR8uXw8xDw3LF4YvUPmBxlrpbIOiUAZq6tUZUDFwzZn2hAPdF7L3A4v5iM9hYVv/yNM1KUkGdP1', sshKeys: [] },
      { username: 'bob', hashedPassword: '$6$trialtrialtrial$QvzWDq0Bi6WKR8uXw8xDw3LF4YvUPmBxlrpbIOiUAZq6tUZUDFwzZn2hAPdF7L3A4v5iM9hYVv/yNM1KUkGdP1' },
    ],
  };
}

/** Both sample files hold secrets (a password hash, a token): owner-only from the first byte. */
function writeSecretJson(file: string, data: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(data, null, 4), { mode: 0o600 });
}

function standInScript(name: string, logFile: string): string {
  // Logs the call and succeeds; arguments are printed one per line so none is ever interpreted.
  return `#!/bin/sh
{ printf '%s %s' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" ${JSON.stringify(name)}; printf ' [%s]' "$@"; printf '\\n'; } >> ${JSON.stringify(logFile)}
exit 0
`;
}

export interface TrialRoot {
  root: string;
  binFolder: string;
  standInLog: string;
  token: string;
  created: boolean;
  /** A local restic repository beside (not inside) the trial's var, and its password. */
  resticRepository: string;
  resticPassword: string;
}

/** The trial repository's password: made once, kept 0600 in the trial root (the repository needs the same one). */
function trialResticPassword(root: string): string {
  const file = path.join(root, 'restic-password');
  if (!fs.existsSync(file)) fs.writeFileSync(file, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
  return fs.readFileSync(file, 'utf8').trim();
}

/** Creates the trial root on first use; later runs keep its state and only refresh the stand-ins. */
export function prepareTrialRoot(root: string): TrialRoot {
  const paths = serverPaths(root);
  const created = !fs.existsSync(paths.userdata);
  if (created) {
    writeSecretJson(paths.userdata, sampleUserdata());
    writeSecretJson(paths.tokens, {
      tokens: [{ token: randomBytes(32).toString('base64url'), name: TRIAL_TOKEN_NAME, date: formatTokenDate(new Date()) }],
    });
    fs.mkdirSync(path.dirname(paths.domainFile), { recursive: true });
    fs.writeFileSync(paths.domainFile, `${SAMPLE_DOMAIN}\n`);
    fs.mkdirSync(path.dirname(path.join(root, SAMPLE_SERVICE_FILE)), { recursive: true });
    fs.writeFileSync(path.join(root, SAMPLE_SERVICE_FILE), 'Welcome to the trial\'s Nextcloud: this file is in its backups.\n');
    fs.mkdirSync(paths.dkimFolder, { recursive: true });
    fs.writeFileSync(path.join(paths.dkimFolder, `${SAMPLE_DOMAIN}.selector.txt`),
      'selector._domainkey\tIN\tTXT\t( "v=DKIM1; k=rsa; "\n\t  "p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAtrial" )  ; ----- DKIM key selector for trial.example\n');
  }
  // GET /system/storage reads the mount table under the root: the trial's one filesystem is the disk it lives on.
  if (!fs.existsSync(paths.mountTable)) {
    fs.mkdirSync(path.dirname(paths.mountTable), { recursive: true });
    fs.writeFileSync(paths.mountTable, 'trial / ext4 rw,relatime 0 0\n');
  }
  const binFolder = path.join(root, 'bin');
  const standInLog = path.join(root, 'var/log/stand-ins.log');
  fs.mkdirSync(binFolder, { recursive: true });
  fs.mkdirSync(path.dirname(standInLog), { recursive: true });
  for (const name of TRIAL_STAND_INS) {
    fs.writeFileSync(path.join(binFolder, name), standInScript(name, standInLog), { mode: 0o755 });
  }
  const tokens = JSON.parse(fs.readFileSync(paths.tokens, 'utf8')) as { tokens?: Array<{ name: string; token: string }> };
  const token = tokens.tokens?.find((record) => record.name === TRIAL_TOKEN_NAME)?.token ?? tokens.tokens?.[0]?.token ?? '';
  return {
    root,
    binFolder,
    standInLog,
    token,
    created,
    resticRepository: path.join(root, 'restic-repository'),
    resticPassword: trialResticPassword(root),
  };
}

/**
 * Turns automatic backups on in a new trial root (a kept one keeps the owner's choice): the
 * server's scheduler then backs Nextcloud up into the local repository within its first minute.
 */
export async function enableTrialAutobackups(trial: TrialRoot): Promise<void> {
  if (!trial.created) return;
  const preferences = new BackupPreferencesFile(serverPaths(trial.root), silentLogger);
  await preferences.change({ autobackupPeriod: TRIAL_AUTOBACKUP_MINUTES });
  await preferences.drain();
}
