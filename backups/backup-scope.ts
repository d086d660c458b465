// What a backup holds and what a restore rewrites, as paths under the server's root.
import fs from 'node:fs';
import path from 'node:path';
import type { ServerPaths } from '../store/server-paths.js';

export interface BackupScope {
  /** Backed-up paths relative to the root (restic runs in the root, so snapshots hold `var/…`, as before). */
  sources: string[];
  /** Never backed up: the API's own records (its working state, the controller's among it, and the audit log). */
  backupExcludes: string[];
  /** Never written by restic during a restore (paths inside the snapshot). */
  restoreExcludes: string[];
  /**
   * Paths relative to the root that a restore never writes, whatever the snapshot holds (one made
   * before they were excluded from backups does hold them): the API's own records, and userdata.json.
   */
  keepOut: string[];
  /** userdata.json inside a snapshot; restored through the store's locked write instead. */
  userdataInSnapshot: string;
}

/**
 * The API's own records: its state (jobs, backup state, the restore staging folder) and the audit
 * log. An old copy would describe jobs long gone, and a restore must not roll back the record of
 * who did what, itself included.
 */
function apiRecordFolders(paths: ServerPaths): string[] {
  return [paths.apiStateFolder, path.dirname(paths.auditLog)];
}

export function backupScope(paths: ServerPaths): BackupScope {
  const relative = (file: string): string => path.relative(paths.root, file);
  const userdata = relative(paths.userdata);
  const records = apiRecordFolders(paths).map(relative);
  return {
    // var as the original API backed it up, plus userdata.json so users and settings come back too.
    sources: ['var', userdata].filter((source) => fs.existsSync(path.join(paths.root, source))),
    backupExcludes: apiRecordFolders(paths),
    restoreExcludes: [`/${userdata}`, ...records.map((record) => `/${record}`)],
    keepOut: [userdata, ...records],
    userdataInSnapshot: `/${userdata}`,
  };
}
