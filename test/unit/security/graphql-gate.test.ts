// What a stranger (and a token holder) can make /graphql do: the gate, the cost limits, login guesses, the audit, the dialect.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CommandRunner } from '../../../core/commands.js';
import { fakeRunner, PRIMARY_TOKEN, WRONG_MNEMONIC } from '../../helpers/function-call.js';
import { makeInProcessApp, type AppRequest } from '../../helpers/in-process-app.js';
import { useInProcessApp } from '../../helpers/setup.js';

const { temp, app } = useInProcessApp();

/** nginx on the same machine: the socket peer is loopback, the client is in X-Forwarded-For. */
function from(client: string): AppRequest {
  return { peer: '127.0.0.1', headers: { 'x-forwarded-for': client } };
}

function graphql(query: string, init: AppRequest & { variables?: unknown } = {}) {
  const { variables, ...rest } = init;
  return app.request('/graphql', { method: 'POST', ...rest, json: { query, variables } });
}

function auditLines(): Array<Record<string, any>> {
  const files = [temp.paths.auditLog, ...Array.from({ length: 9 }, (_, age) => `${temp.paths.auditLog}.${age + 1}`)];
  return files
    .filter((file) => fs.existsSync(file))
    .flatMap((file) => fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean))
    .map((line) => JSON.parse(line));
}

/** `count` aliased copies of `field` under one selection. */
function aliased(count: number, field: string): string {
  return Array.from({ length: count }, (_, index) => `a${index}: ${field}`).join(' ');
}

const wrongLogin = (alias: string): string => `${alias}: useRecoveryApiKey(input: { key: "${WRONG_MNEMONIC}", deviceName: "x" }) { code }`;

describe('a stranger cannot make the server parse or keep large documents', () => {
  it('refuses a stranger\'s long document before parsing it, even one of only __typename fields', async () => {
    // Public by its fields (nothing but __typename), but far longer than any public operation.
    const answer = await graphql(`{ ${aliased(3000, '__typename')} }`);
    expect(answer.status).toBe(401);
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors[0].message).toBe('Missing Authorization header');
  });

  it('refuses a stranger\'s document of many tokens that fits the size cap, as a GraphQL error without data', async () => {
    const answer = await graphql(`{${'__typename '.repeat(350)}}`);
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors.length).toBeGreaterThan(0);
  });
});

describe('cost limits before validation, for everyone', () => {
  it('answers a token holder\'s 5,000 fields with an error, running nothing', async () => {
    // The same field again and again: what validation compares pairwise (the costliest rule).
    const answer = await graphql(`{ api { ${'version '.repeat(5000)}} }`, { token: PRIMARY_TOKEN });
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors[0].message).toMatch(/limits/);
  });

  it('answers a document nested deeper than the limit with an error', async () => {
    // Introspection lets a client nest as deep as it likes: ofType { ofType { … } }.
    const deep = `{ __schema { queryType { fields { type ${'{ ofType '.repeat(20)}{ name }${' }'.repeat(20)} } } } }`;
    const answer = await graphql(deep, { token: PRIMARY_TOKEN });
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors[0].message).toMatch(/limits/);
  });

  it('still runs the introspection query a GraphQL tool sends', async () => {
    const { getIntrospectionQuery } = await import('graphql');
    const answer = await graphql(getIntrospectionQuery(), { token: PRIMARY_TOKEN });
    expect(answer.status).toBe(200);
    expect(answer.body.data.__schema.queryType.name).toBe('Query');
  });
});

describe('login guesses are counted per guess, before they run', () => {
  it('refuses a stranger\'s request of eleven aliased login fields with 429, trying none of them', async () => {
    const before = temp.tokensBytes();
    const fields = Array.from({ length: 11 }, (_, index) => wrongLogin(`g${index}`)).join(' ');
    const answer = await graphql(`mutation { api { ${fields} } }`, from('203.0.113.40'));
    expect(answer.status).toBe(429);
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors[0].message).toMatch(/Too many/);
    expect(temp.tokensBytes()).toBe(before);
  });

  it('counts each aliased guess: ten in one request block the eleventh', async () => {
    const fields = Array.from({ length: 10 }, (_, index) => wrongLogin(`g${index}`)).join(' ');
    const first = await graphql(`mutation { api { ${fields} } }`, from('203.0.113.41'));
    expect(Object.values(first.body.data.api)).toEqual(Array(10).fill({ code: 404 }));
    const next = await graphql(`mutation { api { ${wrongLogin('again')} } }`, from('203.0.113.41'));
    expect(next.status).toBe(429);
  });

  it('lets no more than ten of forty concurrent wrong guesses over GraphQL run', async () => {
    const answers = await Promise.all(Array.from({ length: 40 }, () => graphql(`mutation { ${wrongLogin('guess')} }`, from('203.0.113.42'))));
    const tried = answers.filter((answer) => answer.body.data?.guess?.code === 404);
    expect(tried.length).toBeLessThanOrEqual(10);
    expect(answers.filter((answer) => answer.status === 429).length).toBeGreaterThanOrEqual(30);
  });

  it.each(['/auth/recovery_token/use', '/auth/new_device/authorize'])('lets no more than ten of a hundred concurrent wrong guesses to %s run', async (path) => {
    const answers = await Promise.all(
      Array.from({ length: 100 }, () => app.request(path, { method: 'POST', ...from('203.0.113.43'), json: { token: WRONG_MNEMONIC, device: 'x' } })),
    );
    expect(answers.filter((answer) => answer.status === 404).length).toBeLessThanOrEqual(10);
    expect(answers.filter((answer) => answer.status === 429).length).toBeGreaterThanOrEqual(90);
  });

  it('charges no guess for a login sent by GET, which runs nothing (405)', async () => {
    const query = `mutation { ${wrongLogin('guess')} }`;
    for (let attempt = 0; attempt < 12; attempt++) {
      const answer = await app.request(`/graphql?${new URLSearchParams({ query })}`, from('203.0.113.45'));
      expect(answer.status).toBe(405);
    }
    expect((await graphql(query, from('203.0.113.45'))).body.data.guess.code).toBe(404);
  });

  it('gives a right guess back: a login that worked is not a failure', async () => {
    const made = await graphql('mutation { api { getNewDeviceApiKey { key } } }', { token: PRIMARY_TOKEN });
    const key = made.body.data.api.getNewDeviceApiKey.key as string;
    for (let attempt = 0; attempt < 9; attempt++) await graphql(`mutation { ${wrongLogin('guess')} }`, from('203.0.113.44'));
    const login = await graphql(`mutation { api { authorizeWithNewDeviceApiKey(input: { key: "${key}", deviceName: "tablet" }) { code token } } }`, from('203.0.113.44'));
    expect(login.body.data.api.authorizeWithNewDeviceApiKey.code).toBe(200);
    // Nine wrong and one right: the tenth wrong guess is still allowed.
    expect((await graphql(`mutation { ${wrongLogin('guess')} }`, from('203.0.113.44'))).body.data.guess.code).toBe(404);
  });
});

describe('a valid token is never refused by the per-address limiter', () => {
  it('answers the owner\'s app over /graphql from an address blocked by wrong guesses', async () => {
    for (let attempt = 0; attempt < 11; attempt++) await graphql('{ api { devices { name } } }', { ...from('203.0.113.50'), token: 'wrong-token' });
    expect((await graphql('{ api { devices { name } } }', { ...from('203.0.113.50'), token: 'wrong-token' })).status).toBe(429);
    const owner = await graphql('{ api { devices { name } } }', { ...from('203.0.113.50'), token: PRIMARY_TOKEN });
    expect(owner.status).toBe(200);
    expect(owner.body.data.api.devices.length).toBe(2);
  });
});

describe('the audit of GraphQL mutations', () => {
  it('writes a stranger\'s answers of any status through the refusal budget, and never the client\'s aliases', async () => {
    const alias = `x${'y'.repeat(10_000)}`;
    for (let attempt = 0; attempt < 30; attempt++) {
      const answer = await graphql(`mutation { api { ${alias}: __typename } }`, from('203.0.113.60'));
      expect(answer.status).toBeLessThan(500);
    }
    const lines = auditLines().filter((line) => line.path === '/graphql');
    // Ten a minute for one client, as for any refusal; the rest go into a summary line.
    expect(lines.length).toBeLessThanOrEqual(10);
    for (const line of auditLines()) expect(JSON.stringify(line).length).toBeLessThan(1024);
  });

  it('records a mutation under its field name, not under the alias the client gave it', async () => {
    const answer = await graphql('mutation Sneaky { api { refreshDeviceApiToken: deleteDeviceApiToken(device: "Pixel_6") { code } } }', { token: PRIMARY_TOKEN });
    expect(answer.body.data.api.refreshDeviceApiToken.code).toBe(200);
    expect(auditLines().at(-1)).toMatchObject({ operation: 'Sneaky', fields: [{ field: 'api.deleteDeviceApiToken', code: 200 }] });
  });

  it('records a mutation selected through a fragment', async () => {
    await graphql('mutation { ...Drop } fragment Drop on Mutation { deleteDeviceApiToken(device: "Pixel_6") { code } }', { token: PRIMARY_TOKEN });
    expect(auditLines().at(-1)?.fields).toEqual([{ field: 'deleteDeviceApiToken', code: 200 }]);
  });

  it('refuses a request of more mutation fields than one audit line lists, running none of them', async () => {
    const before = temp.tokensBytes();
    const answer = await graphql(`mutation { api { ${aliased(51, 'getNewDeviceApiKey { code }')} } }`, { token: PRIMARY_TOKEN });
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors[0].message).toMatch(/mutation fields/);
    expect(temp.tokensBytes()).toBe(before);
  });
});

describe('every answer of /graphql speaks GraphQL', () => {
  it('answers a malformed JSON body with 400 and {errors: [{message}]}', async () => {
    for (const token of [undefined, PRIMARY_TOKEN]) {
      const answer = await app.request('/graphql', { method: 'POST', token, headers: { 'content-type': 'application/json' }, body: '{"query": ' });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ errors: [{ message: 'Malformed JSON body' }] });
    }
  });

  it('answers a method, an Accept or a Content-Type it does not take with errors too', async () => {
    const put = await app.request('/graphql', { method: 'PUT', token: PRIMARY_TOKEN, json: { query: '{ api { version } }' } });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, POST');
    expect(put.body.errors[0].message).toMatch(/Method Not Allowed/);
    const text = await app.request('/graphql', { method: 'POST', token: PRIMARY_TOKEN, headers: { 'content-type': 'text/plain' }, body: '{"query": "{ api { version } }"}' });
    expect(text.status).toBe(415);
    expect(text.body.errors[0].message).toMatch(/Unsupported Media Type/);
  });

  it('answers a malformed DateTime, as a variable or written in the document, as an input error, not an internal one', async () => {
    const withVariable = 'mutation ($limits: RecoveryKeyLimitsInput) { api { getNewRecoveryApiKey(limits: $limits) { code } } }';
    const written = 'mutation { api { getNewRecoveryApiKey(limits: { expirationDate: "next tuesday" }) { code } } }';
    for (const answer of [
      await graphql(withVariable, { token: PRIMARY_TOKEN, variables: { limits: { expirationDate: 'next tuesday' } } }),
      await graphql(written, { token: PRIMARY_TOKEN }),
    ]) {
      expect(answer.status).toBeLessThan(500);
      expect(answer.body.data).toBeUndefined();
      expect(answer.body.errors[0].message).not.toBe('Internal server error');
      expect(answer.body.errors[0].message).toMatch(/DateTime/);
    }
  });

  it('answers a token holder\'s body over 64 KiB with 413 and errors', async () => {
    const answer = await graphql(`{ api { version } } # ${'x'.repeat(70 * 1024)}`, { token: PRIMARY_TOKEN });
    expect(answer.status).toBe(413);
    expect(answer.body.errors[0].message).toMatch(/larger than/);
  });

  it('answers a query past the request time limit with errors, not the REST 503', async () => {
    // uname answers only after the limit has passed.
    const answers = fakeRunner(() => ({ stdout: 'Linux test 6.1.0 x86_64' }));
    const slow: CommandRunner = { ...answers, run: async (command, args, options) => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      return answers.run(command, args, options);
    } };
    const limited = await makeInProcessApp(temp, { system: slow, guard: { requestTimeoutMs: 100 } });
    const answer = await limited.request('/graphql', { method: 'POST', token: PRIMARY_TOKEN, json: { query: '{ system { info { systemVersion } } }' } });
    expect(answer.status).toBeLessThan(500);
    expect(answer.body).toEqual({ errors: [{ message: 'The request took too long; its work goes on in the background' }] });
  });
});
