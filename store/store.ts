// The store: the only way functions reach userdata.json, tokens.json and the other server files.
import type { Logger } from '../core/logger.js';
import { JsonDocument, type StoreDocument } from './json-document.js';
import { ServerFiles } from './server-files.js';
import { serverPaths, type ServerPaths } from './server-paths.js';
import type { TokensFile } from './tokens.js';
import type { Userdata } from './userdata.js';

export interface Store {
  paths: ServerPaths;
  userdata: StoreDocument<Userdata>;
  tokens: StoreDocument<TokensFile>;
  files: ServerFiles;
  /** Waits for every queued write (shutdown). */
  drain(): Promise<void>;
}

export function createStore(root: string, log: Logger): Store {
  const paths = serverPaths(root);
  const userdata = new JsonDocument<Userdata>(paths.userdata, { createMode: 0o644, log });
  const tokens = new JsonDocument<TokensFile>(paths.tokens, { createMode: 0o600, log });
  return {
    paths,
    userdata,
    tokens,
    files: new ServerFiles(paths),
    drain: async () => {
      await Promise.all([userdata.drain(), tokens.drain()]);
    },
  };
}
