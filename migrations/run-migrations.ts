// Runs each migration once at start-up, before the server listens (docs/contract.md, "Migrations").
import { migrations } from './index.js';
import type { Migration, MigrationContext } from './migration.js';

function skippedIds(ctx: MigrationContext): string[] {
  try {
    const skipped = ctx.store.userdata.read().api?.skippedMigrations;
    return Array.isArray(skipped) ? skipped.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

/** A failing migration is logged and skipped; the server still starts. */
export async function runMigrations(ctx: MigrationContext, list: readonly Migration[] = migrations): Promise<void> {
  const skipped = skippedIds(ctx);
  if (skipped.includes('DISABLE_ALL')) {
    ctx.log.info('migrations disabled', { reason: 'DISABLE_ALL' });
    return;
  }
  for (const migration of list) {
    if (skipped.includes(migration.id)) {
      ctx.log.info('migration skipped', { migration: migration.id });
      continue;
    }
    try {
      if (!(await migration.isNeeded(ctx))) continue;
      ctx.log.info('migration started', { migration: migration.id });
      await migration.migrate(ctx);
      ctx.log.info('migration done', { migration: migration.id });
    } catch (error) {
      ctx.log.error('migration failed', { migration: migration.id, errorMessage: (error as Error).message });
    }
  }
}
