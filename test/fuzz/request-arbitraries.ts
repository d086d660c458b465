// fast-check generators of hostile HTTP requests, derived from routes.json and each function's zod body.
import { entropyToMnemonic } from 'bip39';
import fc from 'fast-check';
import { z } from 'zod';
import type { DescribedRoute } from '../../kit/context.js';
import { closedValues } from '../../runtime/route-paths.js';
import type { RunResult } from '../../core/commands.js';
import { PRIMARY_TOKEN } from '../helpers/function-call.js';
import { fixture } from '../helpers/temp-root.js';
import { documentFiles, loadDocument, operationText, operationsOf } from '../graphql/operation-documents.js';

export type AuthKind = 'none' | 'valid' | 'valid-lowercase-scheme' | 'wrong' | 'malformed' | 'other-scheme' | 'empty';

export interface FuzzRequest {
  method: string;
  /** Path and query, already valid in a URL. */
  target: string;
  /** `METHOD /path` of the route the path was made from; undefined for a garbage path. */
  route: string | undefined;
  auth: AuthKind;
  headers: Array<[string, string]>;
  body: string | Uint8Array | undefined;
  /** The socket peer: loopback (nginx, X-Forwarded-For trusted) or a stranger. */
  peer: string;
}

const exampleTokens = fixture<{ recovery_token: { token: string }; new_device: { token: string } }>('tokens.json');
/** The example tokens.json's recovery token (valid, 2 uses left) as the words a person types. */
export const RECOVERY_MNEMONIC = entropyToMnemonic(exampleTokens.recovery_token.token);
/** The example's new-device token as words (the fuzz root makes it unexpired). */
export const NEW_DEVICE_MNEMONIC = entropyToMnemonic(exampleTokens.new_device.token);

/** True when the request carries a credential: the valid bearer token or a valid mnemonic. */
export function hasCredential(request: FuzzRequest): boolean {
  if (request.auth === 'valid' || request.auth === 'valid-lowercase-scheme') return true;
  const body = typeof request.body === 'string' ? request.body : '';
  return body.includes(RECOVERY_MNEMONIC) || body.includes(NEW_DEVICE_MNEMONIC);
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'PROPFIND', 'M-SEARCH'];
const BASE = 'http://127.0.0.1';

const userdata = fixture<{ username?: string; users?: Array<{ username: string }> }>('userdata.json');
const KNOWN_NAMES = ['root', userdata.username ?? 'tester', ...(userdata.users ?? []).map((user) => user.username)];

/** Strings that mean something to some endpoint, or to a shell, a path or a parser. */
const PLAUSIBLE_STRINGS = [
  ...KNOWN_NAMES,
  'primary_token',
  'Pixel_6',
  'newuser',
  'systemd-x',
  'a'.repeat(40),
  'bitwarden',
  'gitea',
  'nextcloud',
  'ocserv',
  'pleroma',
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJx1k8Bq2zGmJXJcJcWQ0m6Wq9nHkqgk2Zl9y7x0dMdq fuzz@test',
  'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 fuzz@test',
  'ecdsa-sha2-nistp256 AAAA fuzz@test',
  'Europe/Moscow',
  'Not/A_Zone',
  '2099-01-01T00:00:00.000000Z',
  '2001-01-01T00:00:00.000000Z',
  '2099-13-45T99:99:99.0Z',
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
  'password with spaces and $pecials',
  '../../../../etc/shadow',
  '..',
  '$(reboot)',
  '`reboot`',
  '; reboot',
  '-rf',
  '--help',
  '\u0000',
  'line\nbreak',
  '\u202e\u0646',
  PRIMARY_TOKEN,
];


const RESTIC_SNAPSHOTS = JSON.stringify(fixture('restic-snapshots.json'));

const anyString = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(RECOVERY_MNEMONIC, NEW_DEVICE_MNEMONIC, PRIMARY_TOKEN) },
  { weight: 3, arbitrary: fc.constantFrom(...PLAUSIBLE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
);

const anyJsonValue: fc.Arbitrary<unknown> = fc.oneof(
  anyString,
  fc.integer({ min: -3, max: 1_000_000 }),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(anyString, { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), anyString, { maxKeys: 2 }),
);

interface BodyField {
  key: string;
  /** Values of the field's declared type (or its enum), mixed with anything. */
  value: fc.Arbitrary<unknown>;
}

type JsonSchemaNode = { type?: string | string[]; enum?: unknown[]; const?: unknown; properties?: Record<string, JsonSchemaNode>; items?: JsonSchemaNode; anyOf?: JsonSchemaNode[] };

function valueFor(node: JsonSchemaNode): fc.Arbitrary<unknown> {
  if (node.enum && node.enum.length > 0) return fc.constantFrom(...node.enum);
  if (node.const !== undefined) return fc.constant(node.const);
  if (node.anyOf) return fc.oneof(...node.anyOf.map(valueFor));
  const type = Array.isArray(node.type) ? node.type[0] : node.type;
  switch (type) {
    case 'string':
      return anyString;
    case 'boolean':
      return fc.boolean();
    case 'integer':
    case 'number':
      return fc.integer({ min: -2, max: 5 });
    case 'array':
      return fc.array(node.items ? valueFor(node.items) : anyJsonValue, { maxLength: 3 });
    case 'object':
      return objectOf(fieldsOf(node));
    default:
      return anyJsonValue;
  }
}

function fieldsOf(node: JsonSchemaNode): BodyField[] {
  return Object.entries(node.properties ?? {}).map(([key, child]) => ({
    key,
    value: fc.oneof({ weight: 3, arbitrary: valueFor(child) }, { weight: 1, arbitrary: anyJsonValue }),
  }));
}

/** An object with most of the fields (each left out now and then), sometimes with an unexpected extra key. */
function objectOf(fields: BodyField[]): fc.Arbitrary<Record<string, unknown>> {
  const present = fields.map((field) =>
    fc.oneof({ weight: 5, arbitrary: field.value.map((value) => [field.key, value] as const) }, { weight: 1, arbitrary: fc.constant(null) }),
  );
  const extra = fc.option(fc.tuple(fc.string({ maxLength: 10 }), anyJsonValue), { freq: 4 });
  return fc.tuple(fc.tuple(...present), extra).map(([entries, unexpected]) => {
    const object: Record<string, unknown> = {};
    for (const entry of entries) if (entry !== null) object[entry[0]] = entry[1];
    // defineProperty: a generated "__proto__" key must stay an own key, as JSON.parse would make it.
    if (unexpected !== null) Object.defineProperty(object, unexpected[0], { value: unexpected[1], enumerable: true, writable: true, configurable: true });
    return object;
  });
}

/** The JSON Schema of a route's body (zod), or undefined when it declares none or cannot be shown. */
function bodySchemaOf(route: DescribedRoute): JsonSchemaNode | undefined {
  if (route.module.body === undefined) return undefined;
  try {
    return z.toJSONSchema(route.module.body, { unrepresentable: 'any', io: 'input' }) as JsonSchemaNode;
  } catch {
    return undefined;
  }
}

/** The app's operations as our documents have them (test/graphql/operations), each with its fragments. */
const APP_OPERATIONS = documentFiles().flatMap((file) =>
  operationsOf(loadDocument(file)).map((operation) => operationText(file, operation.name?.value ?? '')),
);

/** A GraphQL query: one of the app's, one cut short, a hand-made hostile one, or noise. */
const graphqlQuery: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...APP_OPERATIONS) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...APP_OPERATIONS), fc.nat()).map(([text, cut]) => text.slice(0, cut % text.length)) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '{ api { version } }',
      '{ __schema { types { name } } }',
      '{ api { ...F } } fragment F on Api { version devices { name } }',
      'fragment A on Api { ...B } fragment B on Api { ...A } { api { ...A } }',
      'mutation { users { deleteUser(username: "user1") { code } } api { useRecoveryApiKey(input: {key: "x", deviceName: "y"}) { code } } }',
      'subscription { jobUpdates { uid } }',
      `{ ${'api { '.repeat(50)}version${' }'.repeat(50)} }`,
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
);

/** Variables for any of the app's operations, well typed or not (extra ones are ignored by GraphQL). */
const graphqlVariables: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      username: fc.constantFrom(...PLAUSIBLE_STRINGS),
      device: fc.constantFrom('primary_token', 'Pixel_6', 'nobody'),
      jobId: fc.constantFrom('x', '00000000-0000-0000-0000-000000000000'),
      uuid: fc.string({ maxLength: 10 }),
      user: fc.record({ username: fc.constantFrom(...PLAUSIBLE_STRINGS), password: fc.option(fc.string({ maxLength: 20 })), directmemberof: fc.array(fc.string({ maxLength: 5 }), { maxLength: 2 }) }),
      sshInput: fc.record({ username: fc.constantFrom(...KNOWN_NAMES), sshKey: fc.constantFrom(...PLAUSIBLE_STRINGS) }),
      input: fc.record({ key: fc.constantFrom(RECOVERY_MNEMONIC, NEW_DEVICE_MNEMONIC, 'abandon abandon', ''), deviceName: fc.constantFrom(...PLAUSIBLE_STRINGS) }),
      limits: fc.option(fc.record({ uses: fc.option(fc.integer({ min: -2, max: 5 })), expirationDate: fc.option(fc.constantFrom('2099-01-01T00:00:00Z', '2000-01-01T00:00:00Z', 'yesterday')) })),
    }),
  },
  { weight: 1, arbitrary: anyJsonValue },
);

const graphqlBody: fc.Arbitrary<string> = fc
  .record({ query: graphqlQuery, variables: fc.option(graphqlVariables), operationName: fc.option(fc.constantFrom('GetApiVersion', 'CreateUser', 'Nope', '')) })
  .map((body) => JSON.stringify(body));

/** The query string of a GET /graphql: a query, maybe variables, or junk. */
const graphqlSearch: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(graphqlQuery, fc.option(graphqlVariables)).map(([text, variables]) => `?${new URLSearchParams(variables === null ? { query: text } : { query: text, variables: JSON.stringify(variables) })}`) },
  { weight: 1, arbitrary: fc.constantFrom('', '?query=', '?variables=%7B', '?query=%7B&query=%7D') },
);

function bodyFor(route: DescribedRoute | undefined): fc.Arbitrary<string | Uint8Array | undefined> {
  if (route?.path === '/graphql') return fc.oneof({ weight: 5, arbitrary: graphqlBody }, { weight: 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.string({ maxLength: 40 }) });
  const schema = route === undefined ? undefined : bodySchemaOf(route);
  const shaped = schema === undefined ? anyJsonValue : valueFor(schema);
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant(undefined) },
    { weight: 6, arbitrary: shaped.map((value) => JSON.stringify(value)) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)) },
    { weight: 2, arbitrary: fc.string({ maxLength: 60 }) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 80 }) },
    { weight: 1, arbitrary: fc.constantFrom('{', '[1,', '{"a":1}}', 'null', '""', '{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"x":1}}}') },
    // Over the 64 KiB limit: 413 without reading the rest.
    { weight: 1, arbitrary: fc.constant(JSON.stringify({ padding: 'x'.repeat(70 * 1024) })) },
  );
}

/** A path parameter: a plausible value, random text, or an attempt at traversal or bad encoding. */
const paramValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...PLAUSIBLE_STRINGS).map(encodeURIComponent) },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }).map(encodeURIComponent) },
  { weight: 2, arbitrary: fc.constantFrom('..', '%2e%2e', '..%2F..%2Fetc%2Fpasswd', '%00', '%', '%zz', '%E0%A4%A', '%C0%AE', '%252e', '~root', '') },
);

/** A closed parameter (an enum, runtime/route-paths.ts) mostly gets one of its values, so its function is reached. */
function paramValueOf(route: DescribedRoute, name: string): fc.Arbitrary<string> {
  const values = closedValues(route, name);
  return values === undefined ? paramValue : fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...values) }, { weight: 1, arbitrary: paramValue });
}

function pathFromRoute(route: DescribedRoute): fc.Arbitrary<string> {
  const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] as string);
  return fc
    .tuple(fc.tuple(...names.map((name) => paramValueOf(route, name))), fc.oneof({ weight: 8, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constantFrom('/', '/extra', '//') }))
    .map(([values, suffix]) => {
      let index = 0;
      return route.path.replace(/\{\w+\}/g, () => values[index++] ?? '') + suffix;
    });
}

const garbagePath: fc.Arbitrary<string> = fc.oneof(
  fc.webPath().map((path) => (path.startsWith('/') ? path : `/${path}`)),
  fc.string({ unit: 'grapheme-ascii', maxLength: 40 }).map((text) => `/${text.replace(/[#?]/g, '')}`),
  fc.constantFrom('/', '//', '/api', '/api/', '/auth', '/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/auth/tokens%00', '/AUTH/TOKENS', '/api/version/..'),
);

const query: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constant('') },
  { weight: 1, arbitrary: fc.constantFrom('?withMainUser=true', '?withMainUser=1', '?withMainUser=', '?a=1&a=2') },
  { weight: 1, arbitrary: fc.webQueryParameters().map((text) => `?${text}`) },
);

const headerValue = fc.string({ unit: 'grapheme-ascii', maxLength: 60 }).map((text) => text.trim());

function authorizationHeader(kind: AuthKind): fc.Arbitrary<string | undefined> {
  switch (kind) {
    case 'none':
      return fc.constant(undefined);
    case 'valid':
      return fc.constant(`Bearer ${PRIMARY_TOKEN}`);
    case 'valid-lowercase-scheme':
      return fc.constant(`bearer ${PRIMARY_TOKEN}`);
    case 'wrong':
      return fc.oneof(fc.constant(`Bearer ${PRIMARY_TOKEN.slice(0, -1)}x`), headerValue.map((text) => `Bearer ${text.replace(/\s/g, '') || 'x'}`));
    case 'malformed':
      return fc.constantFrom('Bearer', 'Bearer ', `Bearer ${PRIMARY_TOKEN} extra`, `${PRIMARY_TOKEN}`, 'Bearer\ttoken\tmore');
    case 'other-scheme':
      return fc.constantFrom(`Basic ${Buffer.from(`root:${PRIMARY_TOKEN}`).toString('base64')}`, `Token ${PRIMARY_TOKEN}`);
    case 'empty':
      return fc.constant('');
  }
}

const extraHeaders: fc.Arbitrary<Array<[string, string]>> = fc.array(
  fc.oneof(
    fc.tuple(fc.constant('content-type'), fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1')),
    fc.tuple(fc.constant('x-forwarded-for'), fc.oneof(fc.ipV4(), fc.ipV6(), headerValue)),
    fc.tuple(fc.constantFrom('accept', 'origin', 'x-real-ip', 'cookie', 'user-agent', 'accept-encoding'), headerValue),
  ),
  { maxLength: 3 },
);

const AUTH_KINDS: AuthKind[] = ['none', 'valid', 'valid', 'valid', 'valid-lowercase-scheme', 'wrong', 'malformed', 'other-scheme', 'empty'];

/** A request against one of `routes` (its method or another), or against a garbage path. */
export function fuzzRequest(routes: DescribedRoute[]): fc.Arbitrary<FuzzRequest> {
  const target = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...routes).chain((route) => fc.tuple(fc.constant<DescribedRoute | undefined>(route), pathFromRoute(route))) },
    { weight: 1, arbitrary: fc.tuple(fc.constant<DescribedRoute | undefined>(undefined), garbagePath) },
  );
  return target.chain(([route, path]) =>
    fc.record({
      method: route === undefined ? fc.constantFrom(...METHODS) : fc.oneof({ weight: 4, arbitrary: fc.constant(route.method) }, { weight: 1, arbitrary: fc.constantFrom(...METHODS) }),
      target: (route?.path === '/graphql' ? graphqlSearch : query).map((text) => `${path}${text}`),
      route: fc.constant(route === undefined ? undefined : `${route.method} ${route.path}`),
      auth: fc.constantFrom(...AUTH_KINDS),
      // GraphQL over HTTP wants a JSON content type, as the app sends (the extra headers may add a wrong one).
      headers: route?.path === '/graphql' ? extraHeaders.map((extra) => [['content-type', 'application/json'] as [string, string], ...extra]) : extraHeaders,
      body: bodyFor(route),
      peer: fc.constantFrom('127.0.0.1', '::1', '192.0.2.7', '2001:db8::7'),
    }),
  ).chain((request) =>
    authorizationHeader(request.auth).map((authorization) => ({
      ...request,
      headers: authorization === undefined ? request.headers : [...request.headers, ['authorization', authorization] as [string, string]],
    })),
  ).filter((request) => {
    // Only requests a client could send to this server: the URL parses and stays on its origin
    // (a target like "/\\host" would be read as another host).
    try {
      return new URL(request.target, BASE).origin === BASE;
    } catch {
      return false;
    }
  });
}

/** What the stand-in command runner answers: success, a failure, a timeout, not installed, odd output. */
export const runnerAnswer: fc.Arbitrary<RunResult> = fc
  .record({
    exitCode: fc.constantFrom(0, 0, 0, 1, 3, 124, 127),
    stdout: fc.oneof(fc.constant(''), fc.constant(RESTIC_SNAPSHOTS), fc.string({ maxLength: 60 }), fc.constant('[{"short_id": 5}]')),
    stderr: fc.string({ maxLength: 30 }),
  })
  .map((answer) => ({ ...answer, timedOut: answer.exitCode === 124 }));

/** The Request object for a generated case. */
export function toRequest(request: FuzzRequest): Request {
  const headers = new Headers();
  for (const [name, value] of request.headers) headers.append(name, value);
  const withBody = request.method !== 'GET' && request.method !== 'HEAD';
  const body = typeof request.body === 'string' || request.body === undefined ? request.body : new Uint8Array(request.body);
  return new Request(new URL(request.target, BASE), { method: request.method, headers, body: withBody ? body : undefined });
}
