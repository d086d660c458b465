// What a backup holds and what a restore rewrites, as paths under the server's root.
import fs from 'node:fs';
import path from 'node:path';
import type { ServerPaths } from '../store/server-paths.js';

export interface BackupScope {
  /** Backed-up paths relative to the root (restic runs in the root, so snapshots hold `var/…`, as before). */
  sources: string[];
  /** Never backed up: the API's own working state, the controller's among it (restic's running output too). */
  backupExcludes: string[];
  /** Never written by restic during a restore (paths inside the snapshot). */
  restoreExcludes: string[];
  /** userdata.json inside a snapshot; restored through the store's locked write instead. */
  userdataInSnapshot: string;
}

export function backupScope(paths: ServerPaths): BackupScope {
  const relative = (file: string): string => path.relative(paths.root, file);
  const userdata = relative(paths.userdata);
  const apiState = relative(paths.apiStateFolder);
  return {
    // var as the original API backed it up, plus userdata.json so users and settings come back too.
    sources: ['var', userdata].filter((source) => fs.existsSync(path.join(paths.root, source))),
    backupExcludes: [paths.apiStateFolder],
    restoreExcludes: [`/${userdata}`, `/${apiState}`],
    userdataInSnapshot: `/${userdata}`,
  };
}
