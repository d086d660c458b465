// The system, services and logs GraphQL areas through the real server: HTTP with stand-in commands, logEntries over a WebSocket.
import path from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { PRIMARY_TOKEN } from '../helpers/function-call.js';
import { writeGrowingJournalctl } from '../helpers/journal-stand-in.js';
import { makeStandIns, type StandInBin } from '../helpers/stand-ins.js';
import { appOperation } from '../unit/graphql/app-operation.js';
import { useServerProcess } from '../helpers/setup.js';

let bin: StandInBin;
const { temp, server } = useServerProcess({
  prepare: (root) => {
    bin = makeStandIns(path.join(root.root, 'bin'), { systemctl: { stdout: 'active\n' } });
    writeGrowingJournalctl(bin.folder, 'nginx.service');
    return { PATH: bin.pathValue };
  },
});

async function post(name: string, variables?: Record<string, unknown>): Promise<any> {
  const response = await server.fetch('/graphql', { method: 'POST', token: PRIMARY_TOKEN, json: { query: appOperation(name), operationName: name, variables } });
  expect(response.status).toBe(200);
  return response.json();
}

describe('over HTTP', () => {
  it('ChangeTimezone writes userdata.json, and SystemSettings reads it back', async () => {
    const changed = await post('ChangeTimezone', { timezone: 'Asia/Tokyo' });
    expect(changed.data.system.changeTimezone).toMatchObject({ success: true, code: 200, timezone: 'Asia/Tokyo' });
    expect(temp.readUserdata().timezone).toBe('Asia/Tokyo');
    expect((await post('SystemSettings')).data.system.settings.timezone).toBe('Asia/Tokyo');
  });

  it('AllServices asks the stand-in systemctl for each enabled service\'s state', async () => {
    const services = (await post('AllServices')).data.services.allServices;
    expect(services.find((service: any) => service.id === 'bitwarden').status).toBe('ACTIVE');
    expect(bin.calls().filter((call) => call.command === 'systemctl').map((call) => call.args)).toContainEqual(['is-active', '--', 'vaultwarden']);
  });

  it('RestartService runs systemctl restart of the service\'s unit', async () => {
    const restarted = await post('RestartService', { serviceId: 'pleroma' });
    expect(restarted.data.services.restartService).toEqual({ success: true, code: 200, message: 'Service restarted.' });
    expect(bin.calls()).toContainEqual({ command: 'systemctl', args: ['restart', '--', 'pleroma'] });
  });
});

describe('logEntries over a WebSocket (graphql-transport-ws)', () => {
  let client: Client | undefined;
  afterAll(async () => client?.dispose());

  it('delivers new journal entries, oldest first, and nothing written before the subscription', async () => {
    client = createClient({
      url: server.url.replace(/^http/, 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      connectionParams: { Authorization: `Bearer ${PRIMARY_TOKEN}` },
      retryAttempts: 0,
    });
    const subscription = client.iterate<{ logEntries: { message: string; cursor: string; systemdUnit: string } }>({
      query: appOperation('LogEntries'),
      operationName: 'LogEntries',
    });
    const messages: string[] = [];
    for await (const result of subscription) {
      expect(result.errors).toBeUndefined();
      messages.push(result.data?.logEntries.message as string);
      expect(result.data?.logEntries.systemdUnit).toBe('nginx.service');
      if (messages.length === 3) break;
    }
    // Entry 1 was the newest when the stream began: it marks the start and is not sent.
    expect(messages).toEqual(['line 2', 'line 3', 'line 4']);
  });

  it('sends no data to a connection without a valid token', async () => {
    const stranger = createClient({
      url: server.url.replace(/^http/, 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      connectionParams: { Authorization: 'Bearer not-a-token' },
      retryAttempts: 0,
    });
    const received: unknown[] = [];
    const outcome = await new Promise<string>((resolve) => {
      stranger.subscribe({ query: appOperation('LogEntries') }, {
        next: (value) => received.push(value),
        error: () => resolve('error'),
        complete: () => resolve('complete'),
      });
    });
    await stranger.dispose();
    expect(outcome).toBe('error');
    expect(received).toEqual([]);
  });
});
