// The migrations, in the order they run.
import { createTokensJson } from './create-tokens-json.js';
import { fixNixosConfigBranch } from './fix-nixos-config-branch.js';
import type { Migration } from './migration.js';

export const migrations: readonly Migration[] = [fixNixosConfigBranch, createTokensJson];
