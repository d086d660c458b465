// Where each server file lives, resolved under SELFPRIVACY_ROOT (contract §1 "Server paths").
import path from 'node:path';

export interface ServerPaths {
  root: string;
  userdata: string;
  tokens: string;
  /** Git checkout of the NixOS configuration. */
  nixosConfig: string;
  domainFile: string;
  dkimFolder: string;
  rcloneConfig: string;
  /** The backup controller's own files (state, snapshot cache, restic's output); never backed up. */
  backupWorkFolder: string;
}

export function serverPaths(root: string): ServerPaths {
  const under = (...parts: string[]): string => path.join(root, ...parts);
  return {
    root,
    userdata: under('etc/nixos/userdata/userdata.json'),
    tokens: under('etc/nixos/userdata/tokens.json'),
    nixosConfig: under('etc/nixos'),
    domainFile: under('var/domain'),
    dkimFolder: under('var/dkim'),
    rcloneConfig: under('root/.config/rclone/rclone.conf'),
    backupWorkFolder: under('var/lib/selfprivacy-api/backups'),
  };
}
