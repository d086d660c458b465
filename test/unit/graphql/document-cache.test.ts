// The parsed-document cache: only token holders' documents are kept, and what is kept is bounded in bytes.
import { beforeEach, describe, expect, it } from 'vitest';
import { cacheSize, cachedParse, MAX_CACHED_TEXT_BYTES } from '../../../graphql/document-cache.js';
import type { Ctx } from '../../../kit/context.js';
import { makeCtx, PRIMARY_TOKEN } from '../../helpers/function-call.js';
import { useTempRoot } from '../../helpers/setup.js';
import { gql, graphqlEndpoint } from './graphql-call.js';

const temp = useTempRoot();
let ctx: Ctx;
beforeEach(() => {
  ctx = makeCtx(temp, { caller: null });
});

describe('the document cache', () => {
  it('keeps none of a stranger\'s documents, not even public ones', async () => {
    const before = cacheSize();
    for (let index = 0; index < 50; index++) {
      const answer = await gql(graphqlEndpoint, ctx, `query V${index} { api { version } }`);
      expect(answer.body.data.api.version).toBe('3.8.3');
    }
    expect(cacheSize()).toEqual(before);
  });

  it('keeps a token holder\'s document, answering the same text with the same document', async () => {
    const text = `query Kept${Date.now()} { api { version } }`;
    await gql(graphqlEndpoint, ctx, text, { token: PRIMARY_TOKEN });
    expect(cachedParse(text, 100)).toBe(cachedParse(text, 100));
  });

  it('keeps no more text than its byte bound, however many documents come', () => {
    for (let index = 0; index < 200; index++) cachedParse(`query Q${index} { api { version } } # ${'x'.repeat(8 * 1024)}`, 1000);
    expect(cacheSize().bytes).toBeLessThanOrEqual(MAX_CACHED_TEXT_BYTES);
    expect(cacheSize().documents).toBeGreaterThan(0);
  });
});
