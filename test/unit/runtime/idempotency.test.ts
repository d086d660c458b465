import { describe, expect, it } from 'vitest';
import { createApp } from '../../../runtime/app.js';
import { HttpError } from '../../../core/errors.js';
import { IdempotencyStore } from '../../../runtime/idempotency.js';
import { json } from '../../../kit/respond.js';
import { loadRoutes } from '../../../runtime/load-routes.js';
import { jsonRequest, PRIMARY_TOKEN } from '../../helpers/function-call.js';
import { testPipeline, testServices } from '../../helpers/services.js';
import { useTempRoot } from '../../helpers/setup.js';

function keyed(method: string, path: string, key: string, body?: unknown): Request {
  return jsonRequest(method, path, { body, headers: { 'idempotency-key': key } });
}

/** Work that counts its runs and answers 201 with the run number and a Location header. */
function counter() {
  let runs = 0;
  return {
    runs: () => runs,
    work: async () => {
      runs += 1;
      return json({ run: runs }, 201, { location: `/things/${runs}` });
    },
  };
}

describe('Idempotency-Key', () => {
  it('answers a repeat with the first answer (status, body, headers) without running the work again', async () => {
    const store = new IdempotencyStore();
    const { runs, work } = counter();
    const first = await store.handle(keyed('POST', '/users', 'k1', { a: 1 }), 'phone', work);
    const again = await store.handle(keyed('POST', '/users', 'k1', { a: 1 }), 'phone', work);
    expect(runs()).toBe(1);
    expect(again.status).toBe(201);
    expect(await again.json()).toEqual({ run: 1 });
    expect(again.headers.get('location')).toBe('/things/1');
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(await first.json()).toEqual({ run: 1 });
  });

  it('treats the same body with keys in another order as the same request', async () => {
    const store = new IdempotencyStore();
    const { runs, work } = counter();
    await store.handle(keyed('PUT', '/x', 'k', { a: 1, b: { c: 2, d: 3 } }), 'phone', work);
    await store.handle(keyed('PUT', '/x', 'k', { b: { d: 3, c: 2 }, a: 1 }), 'phone', work);
    expect(runs()).toBe(1);
  });

  it('answers 422 to a reused key with another body, method or path, without running the work', async () => {
    const store = new IdempotencyStore();
    const { runs, work } = counter();
    await store.handle(keyed('POST', '/users', 'k', { username: 'a' }), 'phone', work);
    for (const request of [keyed('POST', '/users', 'k', { username: 'b' }), keyed('PUT', '/users', 'k', { username: 'a' }), keyed('POST', '/other', 'k', { username: 'a' }), keyed('POST', '/users', 'k')]) {
      const error = await Promise.resolve(store.handle(request, 'phone', work)).then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(HttpError);
      expect((error as HttpError).status).toBe(422);
    }
    expect(runs()).toBe(1);
  });

  it('keeps callers apart: another token with the same key runs the work', async () => {
    const store = new IdempotencyStore();
    const { runs, work } = counter();
    await store.handle(keyed('POST', '/x', 'k', {}), 'phone', work);
    const other = await store.handle(keyed('POST', '/x', 'k', { different: true }), 'laptop', work);
    expect(other.status).toBe(201);
    expect(runs()).toBe(2);
  });

  it('makes a concurrent duplicate wait for the first and share its answer', async () => {
    const store = new IdempotencyStore();
    let release: () => void = () => undefined;
    let runs = 0;
    const slow = async () => {
      runs += 1;
      await new Promise<void>((resolve) => (release = resolve));
      return json({ done: true }, 200);
    };
    const first = store.handle(keyed('DELETE', '/x', 'k', {}), 'phone', slow);
    const second = store.handle(keyed('DELETE', '/x', 'k', {}), 'phone', slow);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(runs).toBe(1);
    release();
    const [a, b] = await Promise.all([first, second]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(await b.json()).toEqual({ done: true });
    expect(b.headers.get('idempotent-replayed')).toBe('true');
  });

  it('keeps a refusal (4xx) but not a server fault (5xx), which a retry runs again', async () => {
    const store = new IdempotencyStore();
    let runs = 0;
    const refuse = async () => {
      runs += 1;
      throw new HttpError(409, { message: 'Username is forbidden' });
    };
    const refused = await store.handle(keyed('POST', '/users', 'a', {}), 'phone', refuse);
    const refusedAgain = await store.handle(keyed('POST', '/users', 'a', {}), 'phone', refuse);
    expect([refused.status, refusedAgain.status, runs]).toEqual([409, 409, 1]);
    expect(await refusedAgain.json()).toEqual({ message: 'Username is forbidden' });

    let faults = 0;
    const fail = async () => {
      faults += 1;
      return json({ error: 'Internal server error' }, 500);
    };
    await store.handle(keyed('POST', '/users', 'b', {}), 'phone', fail);
    await store.handle(keyed('POST', '/users', 'b', {}), 'phone', fail);
    expect(faults).toBe(2);
  });

  it('lets an unexpected error through and forgets the key', async () => {
    const store = new IdempotencyStore();
    const boom = async (): Promise<Response> => {
      throw new Error('disk on fire');
    };
    await expect(store.handle(keyed('POST', '/x', 'k', {}), 'phone', boom)).rejects.toThrow('disk on fire');
    expect(store.size()).toBe(0);
  });

  it('runs the work again once 24 hours have passed', async () => {
    let now = 0;
    const store = new IdempotencyStore({ now: () => now });
    const { runs, work } = counter();
    await store.handle(keyed('POST', '/x', 'k', {}), 'phone', work);
    now += 24 * 3600_000 - 1;
    await store.handle(keyed('POST', '/x', 'k', {}), 'phone', work);
    expect(runs()).toBe(1);
    now += 1;
    await store.handle(keyed('POST', '/x', 'k', {}), 'phone', work);
    expect(runs()).toBe(2);
  });

  it('keeps at most maxEntries answers, dropping the oldest', async () => {
    const store = new IdempotencyStore({ maxEntries: 3 });
    const { runs, work } = counter();
    for (const key of ['a', 'b', 'c', 'd']) await store.handle(keyed('POST', '/x', key, {}), 'phone', work);
    expect(store.size()).toBe(3);
    await store.handle(keyed('POST', '/x', 'd', {}), 'phone', work);
    expect(runs()).toBe(4);
    await store.handle(keyed('POST', '/x', 'a', {}), 'phone', work);
    expect(runs()).toBe(5);
  });

  it('ignores the key on GET, on public routes (no caller) and when absent', async () => {
    const store = new IdempotencyStore();
    const { runs, work } = counter();
    await store.handle(keyed('GET', '/x', 'k'), 'phone', work);
    await store.handle(keyed('GET', '/x', 'k'), 'phone', work);
    await store.handle(keyed('POST', '/x', 'k', {}), null, work);
    await store.handle(keyed('POST', '/x', 'k', {}), null, work);
    await store.handle(jsonRequest('POST', '/x', { body: {} }), 'phone', work);
    await store.handle(jsonRequest('POST', '/x', { body: {} }), 'phone', work);
    expect(runs()).toBe(6);
    expect(store.size()).toBe(0);
  });

  it('answers 400 for an empty, too long or non-ASCII key', async () => {
    const store = new IdempotencyStore();
    const { runs, work } = counter();
    for (const key of ['', 'x'.repeat(256), 'clé', 'two words']) {
      const error = await Promise.resolve(store.handle(keyed('POST', '/x', key, {}), 'phone', work)).then(() => null, (e: unknown) => e);
      expect((error as HttpError).status, JSON.stringify(key)).toBe(400);
    }
    expect(runs()).toBe(0);
  });
});

describe('Idempotency-Key in the request pipeline', () => {
  const temp = useTempRoot();

  async function appOnTempRoot() {
    return createApp(testPipeline(testServices(temp, { routes: await loadRoutes() })));
  }

  it('deletes a token once: a retried DELETE /auth/tokens gets the first 200, not a 404', async () => {
    const app = await appOnTempRoot();
    const send = (key?: string) =>
      app.fetch(new Request('http://127.0.0.1/auth/tokens', {
        method: 'DELETE',
        headers: { authorization: `Bearer ${PRIMARY_TOKEN}`, 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
        body: JSON.stringify({ token_name: 'Pixel_6' }),
      }));
    const first = await send('delete-pixel');
    expect(first.status).toBe(200);
    const afterFirst = temp.tokensBytes();
    const retry = await send('delete-pixel');
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({ message: 'Token deleted' });
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(temp.tokensBytes()).toBe(afterFirst);
    // Without the key the same request is simply run again.
    expect((await send()).status).toBe(404);
  });

  it('answers 422 through the pipeline for a key reused with another body', async () => {
    const app = await appOnTempRoot();
    const send = (password: string) =>
      app.fetch(new Request('http://127.0.0.1/users/user1', {
        method: 'PUT',
        headers: { authorization: `Bearer ${PRIMARY_TOKEN}`, 'idempotency-key': 'pw-1', 'content-type': 'application/json' },
        body: JSON.stringify({ password }),
      }));
    expect((await send('first')).status).toBe(200);
    const before = temp.userdataBytes();
    const reused = await send('second');
    expect(reused.status).toBe(422);
    expect(reused.headers.get('x-content-type-options')).toBe('nosniff');
    expect(temp.userdataBytes()).toBe(before);
  });

  /** A request to the pipeline with a bearer token, an Idempotency-Key and a raw JSON body. */
  function keyedRequest(method: string, path: string, token: string, key: string, body?: string): Request {
    return new Request(`http://127.0.0.1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'idempotency-key': key, 'content-type': 'application/json' },
      body,
    });
  }

  // Answers were kept per device name, and a name is reused once its device is deleted.
  it('never replays a deleted device\'s answer (a recovery phrase) to a new device given the same name', async () => {
    const app = await appOnTempRoot();
    const PIXEL_TOKEN = temp.readTokens().tokens.find((record: { name: string }) => record.name === 'Pixel_6').token as string;
    const stolen = await app.fetch(keyedRequest('POST', '/auth/recovery_token', PIXEL_TOKEN, 'recovery-1', '{}'));
    expect(stolen.status).toBe(200);
    const { token: firstPhrase } = (await stolen.json()) as { token: string };
    const deleted = await app.fetch(keyedRequest('DELETE', '/auth/tokens', PRIMARY_TOKEN, 'delete-1', JSON.stringify({ token_name: 'Pixel_6' })));
    expect(deleted.status).toBe(200);

    // A new device is authorised under the freed name Pixel_6.
    const invited = await app.fetch(keyedRequest('POST', '/auth/new_device', PRIMARY_TOKEN, 'invite-1'));
    const { token: mnemonic } = (await invited.json()) as { token: string };
    const authorized = await app.fetch(new Request('http://127.0.0.1/auth/new_device/authorize', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: mnemonic, device: 'Pixel_6' }),
    }));
    const { token: newToken } = (await authorized.json()) as { token: string };
    expect(temp.readTokens().tokens.find((record: { token: string }) => record.token === newToken).name).toBe('Pixel_6');

    const repeated = await app.fetch(keyedRequest('POST', '/auth/recovery_token', newToken, 'recovery-1', '{}'));
    expect(repeated.status).toBe(200);
    expect(repeated.headers.get('idempotent-replayed')).toBeNull();
    expect(((await repeated.json()) as { token: string }).token).not.toBe(firstPhrase);
  });

  it('answers a body nested 30,000 levels deep with a 4xx, not a 500, and keeps serving', async () => {
    const app = await appOnTempRoot();
    const deep = `${'['.repeat(30_000)}${']'.repeat(30_000)}`;
    for (const body of [deep, `{"timezone": ${deep}}`]) {
      const answer = await app.fetch(keyedRequest('PUT', '/system/configuration/timezone', PRIMARY_TOKEN, `deep-${body.length}`, body));
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
      expect(await answer.json()).toMatchObject({ field: 'body' });
    }
    const fine = await app.fetch(keyedRequest('PUT', '/system/configuration/timezone', PRIMARY_TOKEN, 'shallow', JSON.stringify({ timezone: 'Europe/Berlin' })));
    expect(fine.status).toBe(200);
  });
});
