// Where each server file lives, resolved under SELFPRIVACY_ROOT (docs/contract.md, "How the server is run").
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
  /** The kernel's mount table (a fixture file under a test root). */
  mountTable: string;
  /** The firmware's vendor name (the hosting provider on a cloud machine). */
  dmiVendor: string;
  /** Jobs of this API (API 1.3), kept across restarts. */
  jobs: string;
  /** The API's append-only audit log (JSON lines, mode 0600). */
  auditLog: string;
  /** The API's own working state; never backed up or restored (an old copy would describe jobs long gone). */
  apiStateFolder: string;
  /** Password reset links of the API (hashes of their secrets), in its own state. */
  resetLinks: string;
  /** What the app keeps of a user that userdata.json has no place for (display names). */
  userProfiles: string;
  /** The backup controller's files (snapshot cache, restic's output); a backup's record is in jobs.json. */
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
    mountTable: under('proc/self/mounts'),
    dmiVendor: under('sys/class/dmi/id/sys_vendor'),
    jobs: under('var/lib/selfprivacy-api/jobs.json'),
    auditLog: under('var/log/selfprivacy-api/audit.log'),
    apiStateFolder: under('var/lib/selfprivacy-api'),
    resetLinks: under('var/lib/selfprivacy-api/reset-links.json'),
    userProfiles: under('var/lib/selfprivacy-api/user-profiles.json'),
    backupWorkFolder: under('var/lib/selfprivacy-api/backups'),
  };
}
