// The migrations, in the order they run.
import type { Migration } from './run-migrations.js';

export const migrations: readonly Migration[] = [];
