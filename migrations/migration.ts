// What a migration is, and what it gets: the store, the command runner and the log.
import type { CommandRunner } from '../core/commands.js';
import type { Logger } from '../core/logger.js';
import type { Store } from '../store/store.js';

export interface MigrationContext {
  store: Store;
  system: CommandRunner;
  log: Logger;
}

export interface Migration {
  id: string;
  description: string;
  /** True when the server needs this migration. */
  isNeeded(ctx: MigrationContext): Promise<boolean>;
  migrate(ctx: MigrationContext): Promise<void>;
}
