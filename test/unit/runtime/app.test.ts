import fs from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import type { Ctx } from '../../../kit/context.js';
import { HttpError } from '../../../core/errors.js';
import { json } from '../../../kit/respond.js';
import { parseBody } from '../../../kit/validate.js';
import { PRIMARY_TOKEN } from '../../helpers/function-call.js';
import { inlineRoute, makeInProcessApp, type InProcessApp } from '../../helpers/in-process-app.js';
import { useTempRoot } from '../../helpers/setup.js';

const LIMIT = 64 * 1024;
const EchoBody = z.object({ name: z.string() });

const temp = useTempRoot();
let app: InProcessApp;
/** What the last call of a route's function saw. */
let seen: { caller: Ctx['caller']; params: Record<string, string> } | undefined;
const sideEffect = vi.fn();

function remember(ctx: Ctx): void {
  seen = { caller: ctx.caller, params: ctx.params };
}

const routes = [
  inlineRoute({ method: 'GET', path: '/open', public: true }, (_request, ctx) => {
    remember(ctx);
    return json({ open: true });
  }),
  inlineRoute({ method: 'GET', path: '/things' }, (_request, ctx) => {
    remember(ctx);
    return json({ caller: ctx.caller?.name });
  }),
  inlineRoute({ method: 'POST', path: '/things' }, async (request, ctx) => {
    remember(ctx);
    sideEffect();
    const { name } = await parseBody(request, EchoBody);
    return json({ name, length: name.length });
  }),
  inlineRoute({ method: 'GET', path: '/items/{id}', public: true }, (_request, ctx) => {
    remember(ctx);
    return json({ id: ctx.params.id });
  }),
  inlineRoute({ method: 'GET', path: '/boom', public: true }, () => {
    throw new TypeError('cannot read /etc/secret-path with password hunter2');
  }),
  inlineRoute({ method: 'GET', path: '/boom-async' }, async () => {
    await Promise.resolve();
    throw new Error('database password hunter2');
  }),
  inlineRoute({ method: 'GET', path: '/conflict', public: true }, () => {
    throw new HttpError(409, { error: 'taken' }, { 'x-extra': 'kept' });
  }),
];

beforeEach(async () => {
  app = await makeInProcessApp(temp, { routes });
  seen = undefined;
  sideEffect.mockClear();
});

/** The `request` log lines written so far. */
const requestLines = (): Array<Record<string, unknown>> => app.logger.entries().filter((entry) => entry.msg === 'request');

/** A body that arrives in chunks, without a content-length. */
function streamOf(text: string, chunkSize = 8 * 1024): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
}

/** `{"name":"xxx…"}` exactly `size` bytes long. */
const bodyOfSize = (size: number): string => JSON.stringify({ name: 'x'.repeat(size - '{"name":""}'.length) });

describe('authentication', () => {
  it('answers a missing Authorization header with 401, the contract\'s body and a Bearer challenge', async () => {
    const answer = await app.request('/things');
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ error: 'Missing Authorization header' });
    expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
    expect(seen).toBeUndefined();
  });

  it('answers an unknown token with 401 "Invalid token" and a Bearer challenge', async () => {
    const answer = await app.request('/things', { token: 'not-a-known-token' });
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ error: 'Invalid token' });
    expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
    expect(seen).toBeUndefined();
  });

  it('answers another scheme or an empty bearer with 401', async () => {
    for (const authorization of [`Basic ${PRIMARY_TOKEN}`, 'Bearer', 'Bearer ', PRIMARY_TOKEN, `Bearer ${PRIMARY_TOKEN} extra`]) {
      const answer = await app.request('/things', { headers: { authorization } });
      expect(answer.status, authorization).toBe(401);
    }
    expect(seen).toBeUndefined();
  });

  it('does not accept a prefix or an extension of a real token', async () => {
    for (const token of [PRIMARY_TOKEN.slice(0, -1), `${PRIMARY_TOKEN}x`, PRIMARY_TOKEN.toLowerCase()]) {
      expect((await app.request('/things', { token })).body).toEqual({ error: 'Invalid token' });
    }
  });

  it('passes the caller of a known token to the function', async () => {
    const answer = await app.request('/things', { token: PRIMARY_TOKEN });
    expect(answer).toMatchObject({ status: 200, body: { caller: 'primary_token' } });
    expect(seen?.caller).toEqual({ name: 'primary_token', token: PRIMARY_TOKEN });
  });

  it('sees a token added to tokens.json by another program at once', async () => {
    const tokens = temp.readTokens();
    tokens.tokens.push({ token: 'added-by-hand', name: 'hand', date: '2024-01-01T00:00:00.000000Z' });
    temp.writeTokens(tokens);
    expect((await app.request('/things', { token: 'added-by-hand' })).body).toEqual({ caller: 'hand' });
  });

  it('authenticates before reading the body: a malformed body without a token gets 401, not 400', async () => {
    const answer = await app.request('/things', { method: 'POST', body: '{"name": ', headers: { 'content-type': 'application/json' } });
    expect(answer.status).toBe(401);
    expect(sideEffect).not.toHaveBeenCalled();
  });

  it('authenticates before the size limit: an oversized body with a wrong token gets 401, not 413', async () => {
    const answer = await app.request('/things', { method: 'POST', token: 'wrong', body: bodyOfSize(LIMIT + 10) });
    expect(answer.status).toBe(401);
    expect(sideEffect).not.toHaveBeenCalled();
  });

  it('answers public routes without a token, with no caller', async () => {
    const answer = await app.request('/open');
    expect(answer).toMatchObject({ status: 200, body: { open: true } });
    expect(seen?.caller).toBeNull();
  });

  it('answers 500 naming tokens.json on a protected route when tokens.json is corrupt; public routes still answer', async () => {
    fs.writeFileSync(temp.paths.tokens, '{"tokens": [');
    const answer = await app.request('/things', { token: PRIMARY_TOKEN });
    expect(answer.status).toBe(500);
    expect(answer.body.error).toContain('tokens.json');
    expect((await app.request('/open')).status).toBe(200);
    expect(temp.tokensBytes()).toBe('{"tokens": [');
  });
});

describe('routing', () => {
  it('answers an unknown path with 404 JSON', async () => {
    for (const pathname of ['/nope', '/things/extra', '/']) {
      const answer = await app.request(pathname, { token: PRIMARY_TOKEN });
      expect(answer.status, pathname).toBe(404);
      expect(answer.headers.get('content-type')).toContain('application/json');
      expect(answer.body).toEqual({ error: 'Not found' });
    }
  });

  it('answers a known path with a wrong method with 405 and an Allow header listing its methods', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const answer = await app.request('/things', { method, token: PRIMARY_TOKEN });
      expect(answer.status, method).toBe(405);
      // HEAD: a GET route that changes nothing answers HEAD too.
      expect(answer.headers.get('allow')?.split(/,\s*/).sort()).toEqual(['GET', 'HEAD', 'POST']);
      expect(answer.body).toEqual({ error: 'Method not allowed' });
    }
    expect((await app.request('/open', { method: 'POST' })).headers.get('allow')).toBe('GET, HEAD');
  });

  it('URL-decodes path parameters', async () => {
    const answer = await app.request('/items/a%20b%2Fc%C3%A9');
    expect(answer.body).toEqual({ id: 'a b/cé' });
  });

  it('answers a malformed %-escape in a path parameter with 400, not 500', async () => {
    for (const pathname of ['/items/%E0%A4%A', '/items/%zz', '/items/%']) {
      const answer = await app.request(pathname);
      expect(answer.status, pathname).toBe(400);
      expect(answer.body.error).toEqual(expect.any(String));
    }
    expect(seen).toBeUndefined();
  });

  it('sets nosniff and no-store on every answer, errors included', async () => {
    for (const [pathname, init] of [['/open', {}], ['/things', {}], ['/nope', {}], ['/boom', {}]] as const) {
      const answer = await app.request(pathname, init);
      expect(answer.headers.get('x-content-type-options'), pathname).toBe('nosniff');
      expect(answer.headers.get('cache-control'), pathname).toBe('no-store');
    }
  });
});

describe('request bodies', () => {
  // Bodies that should reach the function say they are JSON: now a body without
  // that type answers 415 (test/unit/security/lockout.test.ts).
  const JSON_TYPE = { 'content-type': 'application/json' };

  it('accepts a body of exactly 64 KiB', async () => {
    const answer = await app.request('/things', { method: 'POST', token: PRIMARY_TOKEN, headers: JSON_TYPE, body: bodyOfSize(LIMIT) });
    expect(answer.status).toBe(200);
    expect(answer.body.length).toBe(LIMIT - '{"name":""}'.length);
  });

  it('answers a body over 64 KiB with 413, before the function runs', async () => {
    const answer = await app.request('/things', { method: 'POST', token: PRIMARY_TOKEN, body: bodyOfSize(LIMIT + 1) });
    expect(answer.status).toBe(413);
    expect(answer.body.error).toEqual(expect.any(String));
    expect(sideEffect).not.toHaveBeenCalled();
  });

  it('answers a declared content-length over 64 KiB with 413 without reading the body', async () => {
    const answer = await app.request('/things', {
      method: 'POST',
      token: PRIMARY_TOKEN,
      body: streamOf(bodyOfSize(100)),
      headers: { 'content-length': String(LIMIT + 1) },
    });
    expect(answer.status).toBe(413);
  });

  it('answers a streamed body over 64 KiB with no content-length with 413', async () => {
    const answer = await app.request('/things', { method: 'POST', token: PRIMARY_TOKEN, body: streamOf(bodyOfSize(LIMIT * 4)) });
    expect(answer.status).toBe(413);
    expect(sideEffect).not.toHaveBeenCalled();
  });

  it('accepts a streamed body under the limit', async () => {
    const answer = await app.request('/things', { method: 'POST', token: PRIMARY_TOKEN, headers: JSON_TYPE, body: streamOf(bodyOfSize(LIMIT - 1), 1000) });
    expect(answer.status).toBe(200);
  });

  it('answers malformed JSON with 400 JSON naming the body', async () => {
    for (const body of ['{"name": ', '{name: "x"}', 'undefined', '{"name":"x"}}']) {
      const answer = await app.request('/things', { method: 'POST', token: PRIMARY_TOKEN, headers: JSON_TYPE, body });
      expect(answer.status, body).toBe(400);
      expect(answer.body).toMatchObject({ error: expect.any(String), field: 'body' });
    }
    expect(sideEffect).not.toHaveBeenCalled();
  });

  it('answers a body of the wrong shape with 400 naming the field', async () => {
    const answer = await app.request('/things', { method: 'POST', token: PRIMARY_TOKEN, json: { name: 5 } });
    expect(answer).toMatchObject({ status: 400, body: { field: 'name' } });
  });
});

describe('errors', () => {
  it('answers a thrown non-HttpError with 500 and a body holding neither the message nor a stack', async () => {
    for (const [pathname, token] of [['/boom', undefined], ['/boom-async', PRIMARY_TOKEN]] as const) {
      const answer = await app.request(pathname, { token });
      expect(answer.status, pathname).toBe(500);
      expect(answer.body).toEqual({ error: 'Internal server error' });
      expect(answer.text).not.toMatch(/hunter2|secret-path|at .*\.ts|TypeError/);
    }
  });

  it('logs an unexpected error for the admin', async () => {
    await app.request('/boom');
    expect(app.logger.entries()).toContainEqual(expect.objectContaining({ level: 'error', msg: 'unhandled error', errorName: 'TypeError' }));
  });

  it('answers a thrown HttpError with its status, body and headers', async () => {
    const answer = await app.request('/conflict');
    expect(answer).toMatchObject({ status: 409, body: { error: 'taken' } });
    expect(answer.headers.get('x-extra')).toBe('kept');
  });
});

describe('the request log', () => {
  it('writes one line per request with method, path, status, duration and the token\'s name', async () => {
    await app.request('/things', { token: PRIMARY_TOKEN });
    const lines = requestLines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ method: 'GET', path: '/things', status: 200, tokenName: 'primary_token' });
    expect(lines[0]?.durationMs).toEqual(expect.any(Number));
  });

  it('logs failed and public requests too, with a null token name', async () => {
    await app.request('/things', { token: 'wrong-token-value' });
    await app.request('/open');
    await app.request('/nope');
    await app.request('/boom');
    expect(requestLines().map((line) => [line.status, line.tokenName])).toEqual([[401, null], [200, null], [404, null], [500, null]]);
  });

  it('never writes a token, known or not, nor the query string', async () => {
    await app.request('/things', { token: PRIMARY_TOKEN });
    await app.request('/boom-async', { token: PRIMARY_TOKEN });
    await app.request('/things', { token: 'presented-but-unknown-token' });
    await app.request('/open?token=query-secret-value');
    const log = app.logger.text();
    expect(log).not.toContain(PRIMARY_TOKEN);
    expect(log).not.toContain('presented-but-unknown-token');
    expect(log).not.toContain('query-secret-value');
    expect(requestLines().at(-1)?.path).toBe('/open');
  });
});

describe('client address', () => {
  it('trusts X-Forwarded-For only from a loopback peer (nginx)', async () => {
    // The guard gets the address: a refused token is audited under it.
    const refusedFrom = async (init: { peer?: string; headers: Record<string, string> }): Promise<unknown> => {
      expect((await app.request('/things', { token: 'wrong-token', ...init })).status).toBe(401);
      const lines = fs.readFileSync(temp.paths.auditLog, 'utf8').trim().split('\n');
      return (JSON.parse(lines.at(-1) as string) as { clientAddress: unknown }).clientAddress;
    };
    expect(await refusedFrom({ headers: { 'x-forwarded-for': '203.0.113.7' } })).toBe('203.0.113.7');
    expect(await refusedFrom({ peer: '198.51.100.2', headers: { 'x-forwarded-for': '203.0.113.7' } })).toBe('198.51.100.2');
    expect(await refusedFrom({ headers: { 'x-forwarded-for': 'not-an-address' } })).toBe('127.0.0.1');
  });
});
