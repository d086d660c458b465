// The store: the only way functions reach userdata.json, tokens.json and the other server files.
import type { Logger } from '../core/logger.js';
import { JsonDocument, type StoreDocument } from './json-document.js';
import type { ResetLinksFile, UserProfilesFile } from './api-state.js';
import { ServerFiles } from './server-files.js';
import { serverPaths, type ServerPaths } from './server-paths.js';
import { StateDocument } from './state-document.js';
import type { TokensFile } from './tokens.js';
import type { Userdata } from './userdata.js';

export interface Store {
  paths: ServerPaths;
  userdata: StoreDocument<Userdata>;
  tokens: StoreDocument<TokensFile>;
  files: ServerFiles;
  /** Password reset links (API's own state). */
  resetLinks: StateDocument<ResetLinksFile>;
  /** Display names (API's own state). */
  userProfiles: StateDocument<UserProfilesFile>;
  /** Waits for every queued write (shutdown). */
  drain(): Promise<void>;
}

export function createStore(root: string, log: Logger): Store {
  const paths = serverPaths(root);
  // Both hold secrets (password hashes, the Backblaze key, tokens): 0600 on every write
  // (userdata.json used to keep the 0644 NixOS tooling gives it). Links under the root are refused.
  const userdata = new JsonDocument<Userdata>(paths.userdata, { mode: 0o600, trustedFolder: root, log });
  const tokens = new JsonDocument<TokensFile>(paths.tokens, { mode: 0o600, trustedFolder: root, log });
  const resetLinks = new StateDocument<ResetLinksFile>(paths.resetLinks, () => ({ links: [] }), log, root);
  const userProfiles = new StateDocument<UserProfilesFile>(paths.userProfiles, () => ({ users: {} }), log, root);
  return {
    paths,
    userdata,
    tokens,
    files: new ServerFiles(paths),
    resetLinks,
    userProfiles,
    drain: async () => {
      await Promise.all([userdata.drain(), tokens.drain(), resetLinks.drain(), userProfiles.drain()]);
    },
  };
}
