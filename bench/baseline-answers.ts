// The bench's yardstick (the floor): bare node:http giving the same answers with the least work possible.
// Every request reads the files with synchronous fs calls; writes are neither locked nor fsynced,
// so this is the ceiling of the storage model, not a server anyone should run.
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { graphqlAnswer, type BaselineDevice as Device, type BaselineUser as User } from './baseline-graphql.js';

function send(response: http.ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function readJson(file: string): any {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** Rewrites a file in place: no temporary file, no fsync, and no O_TRUNC (ext4 flushes a file
 * truncated to zero when it is closed, a cost this baseline has no reason to pay). */
function overwrite(file: string, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  const descriptor = fs.openSync(file, 'r+');
  try {
    fs.writeSync(descriptor, bytes, 0, bytes.length, 0);
    fs.ftruncateSync(descriptor, bytes.length);
  } finally {
    fs.closeSync(descriptor);
  }
}

function sshKeysOf(userdata: any, username: string): string[] | null {
  if (username === 'root') return userdata.ssh?.rootKeys ?? [];
  if (username === userdata.username) return userdata.sshKeys ?? [];
  const user = (userdata.users ?? []).find((candidate: User) => candidate.username === username);
  return user === undefined ? null : (user.sshKeys ?? []);
}

function readBody(request: http.IncomingMessage, then: (text: string) => void): void {
  let text = '';
  request.setEncoding('utf8');
  request.on('data', (chunk: string) => (text += chunk));
  request.on('end', () => then(text));
}

/** The floor's request handler, serving the server files under `root`. */
export function baselineListener(root: string): http.RequestListener {
  const userdataFile = path.join(root, 'etc/nixos/userdata/userdata.json');
  const tokensFile = path.join(root, 'etc/nixos/userdata/tokens.json');

  const setTimezone = (request: http.IncomingMessage, response: http.ServerResponse): void =>
    readBody(request, (text) => {
      const timezone = JSON.parse(text).timezone;
      if (typeof timezone !== 'string' || timezone === '') return send(response, 400, { error: 'Invalid timezone' });
      const userdata = readJson(userdataFile);
      userdata.timezone = timezone;
      overwrite(userdataFile, JSON.stringify(userdata, null, 4));
      send(response, 200, 'Timezone changed');
    });

  return (request, response) => {
    const pathname = (request.url ?? '/').split('?')[0] as string;
    if (request.method === 'GET' && pathname === '/api/version') return send(response, 200, { version: '1.2.0' });
    const presented = request.headers.authorization?.slice('Bearer '.length);
    const devices = readJson(tokensFile).tokens as Device[];
    const caller = devices.find((device) => device.token === presented);
    if (caller === undefined) return send(response, 401, { error: 'Invalid token' });

    if (request.method === 'GET' && pathname === '/auth/tokens') {
      return send(response, 200, devices.map((device) => ({ name: device.name, date: device.date, is_caller: device === caller })));
    }
    if (request.method === 'GET' && pathname === '/users') {
      return send(response, 200, (readJson(userdataFile).users ?? []).map((user: User) => user.username));
    }
    if (request.method === 'GET' && pathname.startsWith('/services/ssh/keys/')) {
      const keys = sshKeysOf(readJson(userdataFile), decodeURIComponent(pathname.slice('/services/ssh/keys/'.length)));
      return keys === null ? send(response, 404, { error: 'User not found' }) : send(response, 200, keys);
    }
    if (request.method === 'PUT' && pathname === '/system/configuration/timezone') return setTimezone(request, response);
    if (request.method === 'POST' && pathname === '/graphql') {
      return readBody(request, (text) => {
        const answer = graphqlAnswer(text, { userdata: () => readJson(userdataFile), devices, caller });
        if (answer === null) return send(response, 400, { errors: [{ message: 'Not one of the documents this floor knows' }] });
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(answer);
      });
    }
    send(response, 404, { error: 'Not found' });
  };
}

