// The WebSocket side of /graphql on a real server in this process: token checks for the socket's whole life, and its caps.
import { createClient, type Client } from 'graphql-ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { loadConfig } from '../../../runtime/config.js';
import { silentLogger } from '../../../runtime/logger.js';
import type { RunningServer } from '../../../runtime/running-server.js';
import { startServer } from '../../../runtime/server.js';
import { PRIMARY_TOKEN } from '../../helpers/function-call.js';
import { useTempRoot } from '../../helpers/setup.js';
import { waitFor } from '../../helpers/wait.js';

// Its hooks go first, so the root outlives the server and the sockets (after-hooks run in reverse).
const temp = useTempRoot();
let server: RunningServer;
const clients: Client[] = [];

beforeEach(async () => {
  server = await startServer(loadConfig({ SELFPRIVACY_ROOT: temp.root, HOST: '127.0.0.1', PORT: '0' }), silentLogger);
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.dispose()));
  await server.close();
});

interface Socket {
  client: Client;
  /** The close code, once closed. */
  closed(): number | undefined;
}

/** A graphql-ws client as the app makes one; `client` names the address it connects from (behind nginx). */
function connect(authorization: string | undefined, client = '203.0.113.70'): Socket {
  let closedWith: number | undefined;
  const made = createClient({
    url: `${server.url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: class extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { headers: { 'x-forwarded-for': client } });
      }
    },
    connectionParams: authorization === undefined ? {} : { Authorization: authorization },
    retryAttempts: 0,
    lazy: false,
    // A refused socket is what these tests look for; the client would print each to stderr.
    onNonLazyError: () => undefined,
    on: { closed: (event) => (closedWith ??= (event as { code: number }).code) },
  });
  clients.push(made);
  return { client: made, closed: () => closedWith };
}

interface Subscription {
  received: unknown[];
  /** The error the subscription ended with, if it did. */
  error(): unknown;
}

function subscribe(socket: Socket, query = 'subscription { jobUpdates { uid } }'): Subscription {
  const received: unknown[] = [];
  let failed: unknown;
  socket.client.subscribe({ query }, { next: (value) => received.push(value), error: (error) => (failed = error ?? 'error'), complete: () => undefined });
  return { received, error: () => failed };
}

/** Waits until the server has acknowledged the socket (a query the socket refuses comes back as an error). */
async function ready(socket: Socket): Promise<void> {
  const probe = subscribe(socket, '{ api { version } }');
  await waitFor(() => probe.error() !== undefined || socket.closed() !== undefined, 'the socket to be acknowledged');
}

function dropToken(name: string): void {
  const tokens = temp.readTokens();
  tokens.tokens = tokens.tokens.filter((record: { name: string }) => record.name !== name);
  temp.writeTokens(tokens);
}

describe('a socket lives only as long as its token', () => {
  it('closes with 4403 once its device\'s token is deleted', async () => {
    const socket = connect(`Bearer ${PRIMARY_TOKEN}`);
    const updates = subscribe(socket);
    await ready(socket);
    expect(socket.closed()).toBeUndefined();
    dropToken('primary_token');
    expect(await waitFor(() => socket.closed(), 'the socket to close', 5000)).toBe(4403);
    expect(updates.received).toEqual([]);
  });

  it('closes with 4403 once its token is refreshed, and the new token connects', async () => {
    const socket = connect(`Bearer ${PRIMARY_TOKEN}`);
    subscribe(socket);
    await ready(socket);
    const refreshed = await fetch(`${server.url}/auth/tokens`, { method: 'POST', headers: { authorization: `Bearer ${PRIMARY_TOKEN}` } });
    const { token } = (await refreshed.json()) as { token: string };
    expect(await waitFor(() => socket.closed(), 'the socket to close', 5000)).toBe(4403);
    const again = connect(`Bearer ${token}`);
    await ready(again);
    expect(again.closed()).toBeUndefined();
  });
});

describe('the limiter stops guesses, never the token\'s owner', () => {
  it('connects a valid token from an address blocked by wrong ones', async () => {
    for (let attempt = 0; attempt < 11; attempt++) {
      const wrong = connect('Bearer not-a-token', '203.0.113.71');
      await waitFor(() => wrong.closed(), 'a wrong token to be refused');
    }
    const owner = connect(`Bearer ${PRIMARY_TOKEN}`, '203.0.113.71');
    await ready(owner);
    expect(owner.closed()).toBeUndefined();
  });
});

describe('caps', () => {
  it('refuses a token more than eight sockets at once, with its own close code (not 4403)', async () => {
    const sockets = Array.from({ length: 8 }, () => connect(`Bearer ${PRIMARY_TOKEN}`));
    for (const socket of sockets) await ready(socket);
    const ninth = connect(`Bearer ${PRIMARY_TOKEN}`);
    expect(await waitFor(() => ninth.closed(), 'the ninth socket to be refused', 5000)).toBe(4429);
    expect(sockets.every((socket) => socket.closed() === undefined)).toBe(true);
  });

  it('refuses a socket more than sixteen subscriptions at once', async () => {
    const socket = connect(`Bearer ${PRIMARY_TOKEN}`);
    await ready(socket);
    const running = Array.from({ length: 16 }, () => subscribe(socket));
    const extra = subscribe(socket);
    const error = await waitFor(() => extra.error(), 'the seventeenth subscription to be refused', 5000);
    expect(JSON.stringify(error)).toMatch(/At most 16 subscriptions/);
    expect(running.every((subscription) => subscription.error() === undefined)).toBe(true);
  });
});
