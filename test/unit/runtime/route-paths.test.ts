// Closed path parameters (a z.enum in a function's params schema): one literal path per value, served and nothing else.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { concretePaths } from '../../../runtime/route-paths.js';
import { json } from '../../../kit/respond.js';
import { PRIMARY_TOKEN } from '../../helpers/function-call.js';
import { inlineRoute, makeInProcessApp } from '../../helpers/in-process-app.js';
import { useTempRoot } from '../../helpers/setup.js';

const echoParams = inlineRoute(
  { method: 'POST', path: '/pets/{kind}/{name}/feed' },
  (_request, ctx) => json(ctx.params),
  { params: z.object({ kind: z.enum(['cat', 'dog']), name: z.string() }) },
);

describe('concretePaths', () => {
  it('gives one path per value of each closed parameter and leaves open ones as they are', () => {
    expect(concretePaths(echoParams)).toEqual([
      { path: '/pets/cat/{name}/feed', fixed: { kind: 'cat' } },
      { path: '/pets/dog/{name}/feed', fixed: { kind: 'dog' } },
    ]);
  });

  it('multiplies the values of two closed parameters', () => {
    const route = inlineRoute({ method: 'GET', path: '/{a}/{b}' }, () => json({}), { params: z.object({ a: z.enum(['x', 'y']), b: z.enum(['1', '2']) }) });
    expect(concretePaths(route).map(({ path }) => path)).toEqual(['/x/1', '/x/2', '/y/1', '/y/2']);
  });

  it('keeps a route without closed parameters at its own path', () => {
    const route = inlineRoute({ method: 'GET', path: '/users/{username}' }, () => json({}), { params: z.object({ username: z.string() }) });
    expect(concretePaths(route)).toEqual([{ path: '/users/{username}', fixed: {} }]);
  });

  it('refuses a value that could not be a path segment as it is', () => {
    const route = inlineRoute({ method: 'GET', path: '/{a}' }, () => json({}), { params: z.object({ a: z.enum(['ok', 'a/b']) }) });
    expect(() => concretePaths(route)).toThrow(/"a\/b" cannot be a path segment/);
  });
});

describe('the router at a closed parameter', () => {
  const temp = useTempRoot();

  it('hands the function the value of the path, the open parameters decoded', async () => {
    const app = await makeInProcessApp(temp, { routes: [echoParams] });
    const answer = await app.request('/pets/dog/R%C3%A9x/feed', { method: 'POST', token: PRIMARY_TOKEN });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ kind: 'dog', name: 'Réx' });
  });

  it('answers another value as a path that does not exist: 404 with or without a token, and for any method', async () => {
    const app = await makeInProcessApp(temp, { routes: [echoParams] });
    for (const kind of ['cow', 'Cat', 'c%61t', '']) {
      expect((await app.request(`/pets/${kind}/rex/feed`, { method: 'POST', token: PRIMARY_TOKEN })).status, kind).toBe(404);
      expect((await app.request(`/pets/${kind}/rex/feed`, { method: 'POST' })).status, kind).toBe(404);
      expect((await app.request(`/pets/${kind}/rex/feed`, { method: 'GET' })).status, kind).toBe(404);
    }
    const wrongMethod = await app.request('/pets/cat/rex/feed', { method: 'GET' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
  });
});
