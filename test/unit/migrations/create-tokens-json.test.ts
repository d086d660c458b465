import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createTokensJson } from '../../../migrations/create-tokens-json.js';
import { migrations } from '../../../migrations/index.js';
import type { MigrationContext } from '../../../migrations/migration.js';
import { runMigrations } from '../../../migrations/run-migrations.js';
import { createLogger } from '../../../runtime/logger.js';
import { createStore } from '../../../store/store.js';
import { fakeRunner } from '../../helpers/function-call.js';
import { fixture, type TempRoot } from '../../helpers/temp-root.js';
import { useTempRoots } from '../../helpers/setup.js';

const makeRoot = useTempRoots();
let temp: TempRoot;
let lines: string[];

function contextFor(root: TempRoot): MigrationContext {
  lines = [];
  const log = createLogger('debug', (line) => lines.push(line));
  return { store: createStore(root.root, log), system: fakeRunner(), log };
}

function userdataWith(api: unknown): Record<string, unknown> {
  return { ...fixture('userdata.json'), api };
}

describe('create_tokens_json', () => {
  it('creates tokens.json, mode 0600, holding api.token as primary_token with a documented date', async () => {
    temp = makeRoot({ tokens: null, userdata: userdataWith({ token: 'OLD_SINGLE_TOKEN', enableSwagger: false }) });
    await runMigrations(contextFor(temp), [createTokensJson]);
    expect(fs.statSync(temp.paths.tokens).mode & 0o777).toBe(0o600);
    const tokens = temp.readTokens();
    expect(tokens).toEqual({ tokens: [{ token: 'OLD_SINGLE_TOKEN', name: 'primary_token', date: expect.any(String) }] });
    expect(tokens.tokens[0].date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    expect(Math.abs(Date.parse(tokens.tokens[0].date) - Date.now())).toBeLessThan(24 * 3600_000);
  });

  it('is not needed and leaves an existing tokens.json byte for byte alone', async () => {
    temp = makeRoot();
    const before = temp.tokensBytes();
    const ctx = contextFor(temp);
    expect(await createTokensJson.isNeeded(ctx)).toBe(false);
    await runMigrations(ctx, migrations);
    expect(temp.tokensBytes()).toBe(before);
  });

  it('fails without creating a file when userdata.json has no api.token, without logging secrets', async () => {
    temp = makeRoot({ tokens: null, userdata: userdataWith({ enableSwagger: false }) });
    await runMigrations(contextFor(temp), [createTokensJson]);
    expect(fs.existsSync(temp.paths.tokens)).toBe(false);
    expect(lines.join('')).toContain('"migration":"create_tokens_json"');
    expect(lines.join('')).toContain('migration failed');
  });

  it('is skipped when api.skippedMigrations names it', async () => {
    temp = makeRoot({ tokens: null, userdata: userdataWith({ token: 'OLD_SINGLE_TOKEN', skippedMigrations: ['create_tokens_json'] }) });
    await runMigrations(contextFor(temp), migrations);
    expect(fs.existsSync(temp.paths.tokens)).toBe(false);
  });

  it('never writes the token into the log', async () => {
    temp = makeRoot({ tokens: null, userdata: userdataWith({ token: 'OLD_SINGLE_TOKEN' }) });
    await runMigrations(contextFor(temp), migrations);
    expect(fs.existsSync(temp.paths.tokens)).toBe(true);
    expect(lines.join('')).not.toContain('OLD_SINGLE_TOKEN');
  });
});
