// What the bench drives: three authenticated REST reads, two of the app's GraphQL reads and a write
// mix, each REST one tied to its routes.json entry.
import type { RouteDefinition } from '../kit/routes.js';
import type { BenchData } from './bench-root.js';

export interface ScenarioRequest {
  method: string;
  path: string;
  body?: string;
}

export interface Scenario {
  /** `GET /users`: how the table names it. */
  name: string;
  /** The routes.json entry the scenario needs; none for GraphQL, whose endpoint every server has. */
  route?: { method: string; path: string };
  /** A REST read, a GraphQL read, or a write; each kind has its own goal against the floor. */
  kind: 'read' | 'graphql' | 'write';
  /** Each connection sends these in turn, over and over. */
  requests: ScenarioRequest[];
}

/** Two zones of different lengths, so every other write makes the file shorter. */
export const WRITE_ZONES = ['Europe/Moscow', 'America/Los_Angeles'] as const;

export function benchScenarios(data: BenchData): Scenario[] {
  const keyOwner = data.users[data.users.length / 2] as string;
  return [
    { name: 'GET /users', route: { method: 'GET', path: '/users' }, kind: 'read', requests: [{ method: 'GET', path: '/users' }] },
    { name: 'GET /auth/tokens', route: { method: 'GET', path: '/auth/tokens' }, kind: 'read', requests: [{ method: 'GET', path: '/auth/tokens' }] },
    {
      name: `GET /services/ssh/keys/${keyOwner}`,
      route: { method: 'GET', path: '/services/ssh/keys/{username}' },
      kind: 'read',
      requests: [{ method: 'GET', path: `/services/ssh/keys/${keyOwner}` }],
    },
    {
      name: 'PUT /system/configuration/timezone',
      route: { method: 'PUT', path: '/system/configuration/timezone' },
      kind: 'write',
      requests: WRITE_ZONES.map((timezone) => ({
        method: 'PUT',
        path: '/system/configuration/timezone',
        body: JSON.stringify({ timezone }),
      })),
    },
  ];
}

/** True when routes.json declares the route (the scenario is skipped otherwise). */
export function isDeclared(route: { method: string; path: string }, definitions: readonly RouteDefinition[]): boolean {
  return definitions.some((definition) => definition.method === route.method && definition.path === route.path);
}

// The app's own documents (test/graphql/operations/users.graphql and api.graphql) as the app sends
// them: its generated code adds `__typename` to every selection set, fragments and the operation's
// root included. Inlined, so that the compiled bench needs no test files.
const USER_FIELDS =
  'username userType sshKeys directmemberof displayName memberof email emailPasswordMetadata { createdAt displayName expiresAt lastUsed uuid __typename } __typename';
export const ALL_USERS = `query AllUsers { users { allUsers { ...userFields __typename } rootUser: getUser(username: "root") { ...userFields __typename } __typename } __typename } fragment userFields on User { ${USER_FIELDS} }`;
export const GET_API_TOKENS = 'query GetApiTokens { api { devices { creationDate isCaller name __typename } __typename } __typename }';

function graphqlRequest(operationName: string, query: string): ScenarioRequest {
  return { method: 'POST', path: '/graphql', body: JSON.stringify({ operationName, variables: {}, query }) };
}

/** The app's AllUsers and GetApiTokens, measured against the floor's answers to the same documents. */
export function graphqlScenarios(): Scenario[] {
  return [
    { name: 'POST /graphql AllUsers', kind: 'graphql', requests: [graphqlRequest('AllUsers', ALL_USERS)] },
    { name: 'POST /graphql GetApiTokens', kind: 'graphql', requests: [graphqlRequest('GetApiTokens', GET_API_TOKENS)] },
  ];
}

/** Names of the scale part's scenarios: the reads whose answer grows with the users, and the write mix. */
const SCALE_SCENARIO_NAMES = ['GET /users', 'POST /graphql AllUsers', 'PUT /system/configuration/timezone'] as const;

/** The scale part's scenarios, the same requests as the main part's rows of the same name. */
export function scaleScenarios(data: BenchData): Scenario[] {
  const all = [...benchScenarios(data), ...graphqlScenarios()];
  return SCALE_SCENARIO_NAMES.map((name) => {
    const scenario = all.find((candidate) => candidate.name === name);
    if (scenario === undefined) throw new Error(`no bench scenario is named ${name}`);
    return scenario;
  });
}
