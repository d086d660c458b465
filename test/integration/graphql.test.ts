// /graphql through the real built server: HTTP queries and mutations, and subscriptions over a real WebSocket.
import fs from 'node:fs';
import path from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { PRIMARY_TOKEN } from '../helpers/function-call.js';
import { unitStateText } from '../helpers/fake-systemd.js';
import { makeStandIns, type StandInBin } from '../helpers/stand-ins.js';
import { waitFor } from '../helpers/wait.js';
import { useServerProcess } from '../helpers/setup.js';

let bin: StandInBin;
const { temp, server } = useServerProcess({
  prepare: (root) => {
    bin = makeStandIns(path.join(root.root, 'stand-ins'), {
      // The rebuild unit runs a moment, then systemd reports it done.
      systemctl: { stdout: unitStateText('inactive', 'dead', 'success'), delayMs: 300 },
      journalctl: { stdout: '' },
    });
    return { PATH: bin.pathValue };
  },
});

async function gql(query: string, options: { token?: string; variables?: unknown; client?: string } = {}): Promise<{ status: number; body: any; headers: Headers }> {
  // The peer is loopback, so X-Forwarded-For names the client (as behind nginx): a test can be its own client.
  const headers: Record<string, string> = options.client === undefined ? {} : { 'x-forwarded-for': options.client };
  const response = await server.fetch('/graphql', { method: 'POST', token: options.token, json: { query, variables: options.variables }, headers });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

function auditLines(): any[] {
  if (!fs.existsSync(temp.paths.auditLog)) return [];
  return fs.readFileSync(temp.paths.auditLog, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

function wsClient(connectionParams: Record<string, unknown>, onClose?: (code: number) => void): Client {
  return createClient({
    url: `${server.url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: false,
    on: { closed: (event) => onClose?.((event as { code: number }).code) },
  });
}

describe('GraphQL over HTTP', () => {
  it('answers the version without a token and refuses the rest with 401', async () => {
    expect((await gql('query GetApiVersion { api { version } }')).body).toEqual({ data: { api: { version: '3.8.3' } } });
    const refused = await gql('{ users { allUsers { username } } }');
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/);
    // REST keeps its own version.
    expect(await (await server.fetch('/api/version')).json()).toEqual({ version: '1.3.0' });
  });

  it('runs a mutation with its effect in userdata.json and one audit line naming it', async () => {
    const answer = await gql('mutation CreateUser($user: UserMutationInput!) { users { createUser(user: $user) { success code message user { username userType } } } }', {
      token: PRIMARY_TOKEN,
      variables: { user: { username: 'graphqluser', password: 'secret-password' } },
    });
    expect(answer.body.data.users.createUser).toMatchObject({ success: true, code: 201, user: { username: 'graphqluser', userType: 'NORMAL' } });
    expect(temp.readUserdata().users.map((user: { username: string }) => user.username)).toContain('graphqluser');
    const line = await waitFor(() => auditLines().find((entry) => entry.operation === 'CreateUser'), 'the audit line');
    expect(line).toMatchObject({ method: 'POST', path: '/graphql', status: 200, tokenName: 'primary_token', fields: [{ field: 'users.createUser', code: 201 }] });
  });

  it('writes no audit line for a query', async () => {
    const before = auditLines().length;
    await gql('query AllUsers { users { allUsers { username } } }', { token: PRIMARY_TOKEN });
    await gql('query GetApiVersion { api { version } }');
    expect(auditLines().length).toBe(before);
  });

  it('counts wrong tokens and wrong mnemonics in the brute-force limiter shared with REST', async () => {
    // The server's limit is 10 failures a minute per client; this client uses its 10 up.
    const client = '203.0.113.7';
    for (let i = 0; i < 5; i += 1) expect((await gql('{ jobs { getJobs { uid } } }', { token: `wrong-${i}`, client })).status).toBe(401);
    for (let i = 0; i < 5; i += 1) {
      const login = await gql('mutation { api { useRecoveryApiKey(input: {key: "abandon abandon", deviceName: "x"}) { success code } } }', { client });
      expect(login.body.data.api.useRecoveryApiKey).toEqual({ success: false, code: 404 });
    }
    // REST refuses the client's next wrong token with 429 (a valid token is never a guess and still works there)…
    const blocked = await server.fetch('/auth/tokens', { token: 'another-guess', headers: { 'x-forwarded-for': client } });
    expect(blocked.status).toBe(429);
    // …and /graphql, which cannot tell a login from other work before it runs, admits none of it while blocked.
    expect((await gql('{ api { version } }', { client })).status).toBe(429);
    // Other clients are not affected.
    expect((await gql('{ api { version } }')).status).toBe(200);
  });
});

describe('GraphQL subscriptions over WebSocket (graphql-transport-ws)', () => {
  it('gives a connection without a valid token no data: closed with 4403', async () => {
    for (const params of [{}, { Authorization: 'Bearer not-a-token' }]) {
      let closedWith: number | undefined;
      const client = wsClient(params, (code) => (closedWith = code));
      const received: unknown[] = [];
      const ended = new Promise<unknown>((resolve) => {
        client.subscribe({ query: 'subscription { jobUpdates { uid } }' }, { next: (value) => received.push(value), error: resolve, complete: () => resolve(undefined) });
      });
      await ended;
      expect(closedWith).toBe(4403);
      expect(received).toEqual([]);
      await client.dispose();
    }
  });

  it('pushes the updates of a rebuild job over jobUpdates, from running to finished', async () => {
    const client = wsClient({ Authorization: `Bearer ${PRIMARY_TOKEN}` });
    const updates: any[] = [];
    const unsubscribe = client.subscribe(
      { query: 'subscription JobUpdates { jobUpdates { uid typeId status progress createdAt updatedAt finishedAt } }' },
      { next: (value) => updates.push(value), error: (error) => updates.push({ error }), complete: () => undefined },
    );
    // connection_ack and the subscription's start come first: a rebuild before them would be missed.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const rest = await server.fetch('/system/configuration/apply', { token: PRIMARY_TOKEN });
    expect(rest.status).toBe(200);
    const rebuildStates = (): string[] =>
      updates.flatMap((update) => (update.data?.jobUpdates ?? []) as any[]).filter((job) => job.typeId === 'system.nixos.rebuild').map((job) => job.status);
    await waitFor(() => rebuildStates().includes('FINISHED'), 'the rebuild to finish over jobUpdates');
    expect(rebuildStates()[0]).toBe('RUNNING');
    expect(updates.some((update) => update.error !== undefined)).toBe(false);
    unsubscribe();
    await client.dispose();
  });

  it('serves only subscriptions over the socket (queries and mutations go by POST, through the audit)', async () => {
    const client = wsClient({ Authorization: `Bearer ${PRIMARY_TOKEN}` });
    const outcome = await new Promise<unknown>((resolve) => {
      client.subscribe({ query: 'mutation { users { deleteUser(username: "graphqluser") { code } } }' }, { next: resolve, error: resolve, complete: () => undefined });
    });
    expect(JSON.stringify(outcome)).toContain('Only subscriptions');
    expect(temp.readUserdata().users.map((user: { username: string }) => user.username)).toContain('graphqluser');
    await client.dispose();
  });

  it('closes open sockets when the server shuts down on SIGTERM', async () => {
    let closedWith: number | undefined;
    const client = wsClient({ Authorization: `Bearer ${PRIMARY_TOKEN}` }, (code) => (closedWith = code));
    client.subscribe({ query: 'subscription { jobUpdates { uid } }' }, { next: () => undefined, error: () => undefined, complete: () => undefined });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await server.stop('SIGTERM')).toBe(0);
    await waitFor(() => closedWith, 'the socket to close');
    expect(closedWith).toBe(1001);
    await client.dispose();
  });
});
