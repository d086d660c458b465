// Every /auth endpoint through the whole pipeline (real routes.json) with bad input: a 4xx naming the field, never a 5xx,
// and tokens.json byte-for-byte unchanged on every rejected request.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PRIMARY_TOKEN } from '../../helpers/function-call.js';
import { type AppAnswer, type AppRequest } from '../../helpers/in-process-app.js';
import { useInProcessApp } from '../../helpers/setup.js';

const { temp, app } = useInProcessApp();

interface Endpoint {
  method: string;
  path: string;
  /** Public endpoints are called without a token. */
  public: boolean;
}

const DELETE_TOKEN: Endpoint = { method: 'DELETE', path: '/auth/tokens', public: false };
const AUTHORIZE: Endpoint = { method: 'POST', path: '/auth/new_device/authorize', public: true };
const CREATE_RECOVERY: Endpoint = { method: 'POST', path: '/auth/recovery_token', public: false };
const USE_RECOVERY: Endpoint = { method: 'POST', path: '/auth/recovery_token/use', public: true };
const WITHOUT_BODY: Endpoint[] = [
  { method: 'POST', path: '/auth/tokens', public: false },
  { method: 'POST', path: '/auth/new_device', public: false },
  { method: 'DELETE', path: '/auth/new_device', public: false },
];

// Raw bodies are sent as the app sends JSON: now a body without
// Content-Type: application/json answers 415 (test/unit/security/lockout.test.ts), not 400.
const JSON_TYPE = { 'content-type': 'application/json' };

function send(endpoint: Endpoint, init: AppRequest): Promise<AppAnswer> {
  const typed = init.body !== undefined && init.headers === undefined ? { headers: JSON_TYPE } : {};
  return app.request(endpoint.path, { method: endpoint.method, ...(endpoint.public ? {} : { token: PRIMARY_TOKEN }), ...typed, ...init });
}

/** Sends `init` and expects a 400 naming `field`, with tokens.json left exactly as it was. */
async function expectRejected(endpoint: Endpoint, init: AppRequest, field: string): Promise<void> {
  const before = temp.tokensBytes();
  const answer = await send(endpoint, init);
  const label = `${endpoint.method} ${endpoint.path} ${JSON.stringify(init.json ?? init.body ?? null)}`;
  expect(answer.status, label).toBe(400);
  expect(answer.body, label).toMatchObject({ error: expect.any(String), field });
  expect(temp.tokensBytes(), label).toBe(before);
}

const MALFORMED = ['{', '{"token": "a", }', "{'token': 'a'}", 'nul', '{"token": "a"} trailing'];
const NOT_AN_OBJECT = [[], ['token'], 'token', 42, true, null];

describe('DELETE /auth/tokens', () => {
  it('answers a missing or mistyped token_name with 400 naming token_name', async () => {
    for (const json of [{}, { token_name: 5 }, { token_name: null }, { token_name: '' }, { token_name: ['Pixel_6'] }, { token_name: { name: 'Pixel_6' } }, { name: 'Pixel_6' }]) {
      await expectRejected(DELETE_TOKEN, { json }, 'token_name');
    }
  });

  it('answers a body that is no JSON object, or none, with 400 naming the body', async () => {
    for (const json of NOT_AN_OBJECT) await expectRejected(DELETE_TOKEN, { json }, 'body');
    for (const body of MALFORMED) await expectRejected(DELETE_TOKEN, { body }, 'body');
    await expectRejected(DELETE_TOKEN, {}, 'body');
  });
});

describe('endpoints without a body (POST /auth/tokens, POST and DELETE /auth/new_device)', () => {
  it('answer malformed JSON with 400 naming the body, changing nothing', async () => {
    for (const endpoint of WITHOUT_BODY) {
      for (const body of MALFORMED) await expectRejected(endpoint, { body }, 'body');
    }
  });
});

describe('POST /auth/new_device/authorize and POST /auth/recovery_token/use', () => {
  const cases: Array<[unknown, string]> = [
    [{}, 'token'],
    [{ device: 'phone' }, 'token'],
    [{ token: 5, device: 'phone' }, 'token'],
    [{ token: null, device: 'phone' }, 'token'],
    [{ token: ['abandon'], device: 'phone' }, 'token'],
    [{ token: '', device: 'phone' }, 'token'],
    [{ token: 'abandon '.repeat(300), device: 'phone' }, 'token'],
    [{ token: 'abandon ability' }, 'device'],
    [{ token: 'abandon ability', device: 7 }, 'device'],
    [{ token: 'abandon ability', device: null }, 'device'],
    [{ token: 'abandon ability', device: { name: 'x' } }, 'device'],
    [{ token: 'abandon ability', device: 'x'.repeat(257) }, 'device'],
  ];

  for (const endpoint of [AUTHORIZE, USE_RECOVERY]) {
    it(`${endpoint.path}: answers each missing or mistyped field with 400 naming it`, async () => {
      for (const [json, field] of cases) await expectRejected(endpoint, { json }, field);
    });

    it(`${endpoint.path}: answers a body that is no JSON object, or none, with 400 naming the body`, async () => {
      for (const json of NOT_AN_OBJECT) await expectRejected(endpoint, { json }, 'body');
      for (const body of MALFORMED) await expectRejected(endpoint, { body }, 'body');
      await expectRejected(endpoint, {}, 'body');
    });
  }

  it('does not use up a valid new-device mnemonic on a request rejected for its device field', async () => {
    const mnemonic = (await send({ method: 'POST', path: '/auth/new_device', public: false }, {})).body.token as string;
    await expectRejected(AUTHORIZE, { json: { token: mnemonic, device: 42 } }, 'device');
    expect((await send(AUTHORIZE, { json: { token: mnemonic, device: 'phone' } })).status).toBe(200);
  });

  it('does not count a use of a valid recovery mnemonic on a request rejected for its device field', async () => {
    const mnemonic = (await send(CREATE_RECOVERY, { json: { uses: 1 } })).body.token as string;
    await expectRejected(USE_RECOVERY, { json: { token: mnemonic, device: false } }, 'device');
    expect((await send(USE_RECOVERY, { json: { token: mnemonic, device: 'laptop' } })).status).toBe(200);
  });
});

describe('POST /auth/recovery_token', () => {
  it('answers a bad expiration with 400 naming expiration', async () => {
    for (const expiration of [
      5, true, ['2031-01-01T00:00:00.0Z'], { at: 'x' }, '', 'tomorrow',
      '2031-01-01T00:00:00Z', '2031-01-01T00:00:00.1234567Z', '2031-01-01T00:00:00.000+02:00',
      '2031-13-01T00:00:00.0Z', '2031-02-29T00:00:00.0Z', '2031-01-01T24:00:00.0Z', '2031-01-01 00:00:00.000000',
      '2020-01-01T00:00:00.000000Z', '0000-01-01T00:00:00.0Z', `2031-01-01T00:00:00.${'0'.repeat(100)}Z`,
    ]) {
      await expectRejected(CREATE_RECOVERY, { json: { expiration } }, 'expiration');
    }
  });

  it('answers bad uses with 400 naming uses', async () => {
    for (const uses of ['2', 0, -1, 1.5, true, [1], { n: 1 }, Number.MAX_SAFE_INTEGER + 2]) {
      await expectRejected(CREATE_RECOVERY, { json: { uses } }, 'uses');
    }
  });

  it('answers a body that is no JSON object with 400 naming the body', async () => {
    for (const json of [[], ['uses'], 'uses', 42, true]) await expectRejected(CREATE_RECOVERY, { json }, 'body');
    for (const body of MALFORMED) await expectRejected(CREATE_RECOVERY, { body }, 'body');
  });
});

describe('deeply nested input', () => {
  it('answers a field nested 20,000 levels deep with 400, on every endpoint with a body', async () => {
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    await expectRejected(DELETE_TOKEN, { body: `{"token_name": ${deep}}` }, 'token_name');
    await expectRejected(AUTHORIZE, { body: `{"token": ${deep}, "device": "x"}` }, 'token');
    await expectRejected(USE_RECOVERY, { body: `{"token": "a", "device": ${deep}}` }, 'device');
    await expectRejected(CREATE_RECOVERY, { body: `{"uses": ${deep}}` }, 'uses');
  });
});

describe('any input at all', () => {
  const anyBody = fc.oneof(
    fc.jsonValue().map((value) => JSON.stringify(value)),
    fc.record({ token: fc.oneof(fc.string(), fc.jsonValue()), device: fc.oneof(fc.string(), fc.jsonValue()) }, { requiredKeys: [] }).map((value) => JSON.stringify(value)),
    fc.record({ expiration: fc.oneof(fc.string(), fc.jsonValue(), fc.date({ noInvalidDate: true }).map((date) => date.toISOString())), uses: fc.jsonValue() }, { requiredKeys: [] }).map((value) => JSON.stringify(value)),
    fc.record({ token_name: fc.oneof(fc.string(), fc.jsonValue()) }, { requiredKeys: [] }).map((value) => JSON.stringify(value)),
    fc.string(),
  );

  for (const endpoint of [DELETE_TOKEN, AUTHORIZE, CREATE_RECOVERY, USE_RECOVERY]) {
    it(`${endpoint.method} ${endpoint.path}: never answers 5xx, and a 4xx changes nothing`, async () => {
      await fc.assert(
        fc.asyncProperty(anyBody, async (body) => {
          const before = temp.tokensBytes();
          const answer = await send(endpoint, { body, headers: JSON_TYPE });
          expect(answer.status).toBeLessThan(500);
          expect(answer.body).toEqual(expect.any(Object));
          if (answer.status >= 400) expect(temp.tokensBytes()).toBe(before);
        }),
        { numRuns: 150 },
      );
    });
  }
});
