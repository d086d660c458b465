// Unit tests of the GraphQL "api" area through the /graphql function unit: version, devices, keys, tokens.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import graphqlEndpoint from '../../../functions/graphql/graphql.js';
import type { Ctx } from '../../../runtime/context.js';
import { makeCtx, PRIMARY_TOKEN } from '../../helpers/function-call.js';
import { makeTempRoot, type TempRoot } from '../../helpers/temp-root.js';
import { gql } from './graphql-call.js';

let temp: TempRoot;
let ctx: Ctx;

beforeEach(() => {
  temp = makeTempRoot();
  ctx = makeCtx(temp, { caller: null });
});
afterEach(() => temp.cleanup());

describe('api { version }', () => {
  it('answers the GraphQL dialect level 3.8.3 without a token, by POST and by GET', async () => {
    const posted = await gql(graphqlEndpoint, ctx, '{ api { version } }');
    expect(posted.status).toBe(200);
    expect(posted.body).toEqual({ data: { api: { version: '3.8.3' } } });
    const got = await gql(graphqlEndpoint, ctx, 'query GetApiVersion { api { version } }', { method: 'GET' });
    expect(got.body.data.api.version).toBe('3.8.3');
  });

  it('ignores Accept-Language', async () => {
    const answer = await gql(graphqlEndpoint, ctx, '{ api { version } }', { headers: { 'accept-language': 'de-DE,de;q=0.9,xx-invalid;;' } });
    expect(answer.body.data.api.version).toBe('3.8.3');
  });
});

describe('the token gate', () => {
  it('refuses anything else without a token: 401, a GraphQL error and the challenge', async () => {
    const answer = await gql(graphqlEndpoint, ctx, '{ api { version devices { name } } }');
    expect(answer.status).toBe(401);
    expect(answer.body.errors[0].message).toBe('Missing Authorization header');
    expect(answer.body.data).toBeUndefined();
    expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer realm="selfprivacy"/);
  });

  it('refuses a wrong token as invalid_token', async () => {
    const answer = await gql(graphqlEndpoint, ctx, '{ jobs { getJobs { uid } } }', { token: 'not-a-token' });
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('does not let a fragment or an alias smuggle a field past the gate', async () => {
    const viaFragment = await gql(graphqlEndpoint, ctx, '{ api { ...Both } } fragment Both on Api { version devices { name } }');
    expect(viaFragment.status).toBe(401);
    const viaAlias = await gql(graphqlEndpoint, ctx, '{ version: api { devices { name } } }');
    expect(viaAlias.status).toBe(401);
    const viaInline = await gql(graphqlEndpoint, ctx, '{ api { version ... on Api { recoveryKey { exists } } } }');
    expect(viaInline.status).toBe(401);
  });

  it('lets a valid token through', async () => {
    const answer = await gql(graphqlEndpoint, ctx, '{ jobs { getJobs { uid } } }', { token: PRIMARY_TOKEN });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ data: { jobs: { getJobs: [] } } });
  });

  it('answers a bad query as a GraphQL error, never a 5xx', async () => {
    for (const query of ['{ nope }', '{', 'mutation { api { version } }', '']) {
      const answer = await gql(graphqlEndpoint, ctx, query, { token: PRIMARY_TOKEN });
      expect([200, 400]).toContain(answer.status);
      expect(answer.body.errors.length).toBeGreaterThan(0);
    }
  });
});
