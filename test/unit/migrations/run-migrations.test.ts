import { beforeEach, describe, expect, it } from 'vitest';
import { migrations } from '../../../migrations/index.js';
import type { Migration, MigrationContext } from '../../../migrations/migration.js';
import { runMigrations } from '../../../migrations/run-migrations.js';
import { createLogger } from '../../../runtime/logger.js';
import { createStore } from '../../../store/store.js';
import { fakeRunner } from '../../helpers/function-call.js';
import { fixture } from '../../helpers/temp-root.js';
import { useTempRoot } from '../../helpers/setup.js';

const temp = useTempRoot();
let lines: Array<Record<string, unknown>>;
let ctx: MigrationContext;
beforeEach(() => {
  lines = [];
  const log = createLogger('debug', (line) => lines.push(JSON.parse(line)));
  ctx = { store: createStore(temp.root, log), system: fakeRunner(), log };
});

/** A migration that records what the runner asked of it. */
function recorder(id: string, behaviour: { needed?: boolean; fails?: boolean } = {}): Migration & { ran: string[] } {
  const ran: string[] = [];
  return {
    id,
    description: id,
    ran,
    async isNeeded() {
      ran.push('isNeeded');
      return behaviour.needed ?? true;
    },
    async migrate() {
      ran.push('migrate');
      if (behaviour.fails) throw new Error(`${id} broke`);
    },
  };
}

function skip(ids: unknown): void {
  const data = fixture('userdata.json');
  data.api = { ...(data.api as object), skippedMigrations: ids };
  temp.writeUserdata(data);
}

describe('runMigrations', () => {
  it('lists create_tokens_json and fix_nixos_config_branch', () => {
    expect(migrations.map((m) => m.id).sort()).toEqual(['create_tokens_json', 'fix_nixos_config_branch']);
  });

  it('runs a needed migration and leaves an unneeded one alone', async () => {
    const needed = recorder('a');
    const unneeded = recorder('b', { needed: false });
    await runMigrations(ctx, [needed, unneeded]);
    expect(needed.ran).toEqual(['isNeeded', 'migrate']);
    expect(unneeded.ran).toEqual(['isNeeded']);
  });

  it('skips the migrations listed in api.skippedMigrations', async () => {
    skip(['a']);
    const skipped = recorder('a');
    const other = recorder('b');
    await runMigrations(ctx, [skipped, other]);
    expect(skipped.ran).toEqual([]);
    expect(other.ran).toEqual(['isNeeded', 'migrate']);
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'migration skipped', migration: 'a' }));
  });

  it('runs none when api.skippedMigrations holds DISABLE_ALL', async () => {
    skip(['DISABLE_ALL']);
    const list = [recorder('a'), recorder('b')];
    await runMigrations(ctx, list);
    expect(list.map((m) => m.ran)).toEqual([[], []]);
  });

  it('runs every migration when api.skippedMigrations is not a list', async () => {
    skip('DISABLE_ALL');
    const only = recorder('a');
    await runMigrations(ctx, [only]);
    expect(only.ran).toEqual(['isNeeded', 'migrate']);
  });

  it('logs a failing migration and goes on with the next', async () => {
    const failing = recorder('a', { fails: true });
    const next = recorder('b');
    await expect(runMigrations(ctx, [failing, next])).resolves.toBeUndefined();
    expect(next.ran).toEqual(['isNeeded', 'migrate']);
    expect(lines).toContainEqual(expect.objectContaining({ level: 'error', msg: 'migration failed', migration: 'a', errorMessage: 'a broke' }));
  });
});
