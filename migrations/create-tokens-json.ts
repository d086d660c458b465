// create_tokens_json: moves the single pre-1.2 API token from userdata.json into a new tokens.json.
import { formatTokenDate } from '../domain/token-dates.js';
import type { Migration } from './migration.js';

export const createTokensJson: Migration = {
  id: 'create_tokens_json',
  description: 'Create tokens.json (mode 0600) holding userdata.api.token as "primary_token"',
  async isNeeded(ctx) {
    return !ctx.store.tokens.exists();
  },
  async migrate(ctx) {
    const token = ctx.store.userdata.read().api?.token;
    if (typeof token !== 'string' || token === '') throw new Error('userdata.json has no api.token to move into tokens.json');
    await ctx.store.tokens.createIfMissing({
      tokens: [{ token, name: 'primary_token', date: formatTokenDate(new Date()) }],
    });
  },
};
