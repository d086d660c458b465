// What the bench drives: three authenticated reads and a write mix, each tied to its routes.json entry.
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
  /** The routes.json entry the scenario needs. */
  route: { method: string; path: string };
  kind: 'read' | 'write';
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

/** A GraphQL operation of the app measured beside the REST route that answers the same question. */
export interface GraphqlScenario extends Scenario {
  /** The name of the REST scenario it is compared with, in the same run. */
  twin: string;
}

// The app's own selections (test/graphql/operations/users.graphql and api.graphql), inlined so the
// compiled bench needs no test files.
const USER_FIELDS = 'username userType sshKeys directmemberof displayName memberof email emailPasswordMetadata { createdAt displayName expiresAt lastUsed uuid }';
const ALL_USERS = `query AllUsers { users { allUsers { ...userFields } rootUser: getUser(username: "root") { ...userFields } } } fragment userFields on User { ${USER_FIELDS} }`;
const GET_API_TOKENS = 'query GetApiTokens { api { devices { creationDate isCaller name } } }';

function graphqlRequest(operationName: string, query: string): ScenarioRequest {
  return { method: 'POST', path: '/graphql', body: JSON.stringify({ operationName, query, variables: {} }) };
}

/** GraphQL AllUsers and GetApiTokens, each beside its REST twin (GET /users, GET /auth/tokens). */
export function graphqlScenarios(): GraphqlScenario[] {
  const route = { method: 'POST', path: '/graphql' };
  return [
    { name: 'POST /graphql AllUsers', twin: 'GET /users', route, kind: 'read', requests: [graphqlRequest('AllUsers', ALL_USERS)] },
    { name: 'POST /graphql GetApiTokens', twin: 'GET /auth/tokens', route, kind: 'read', requests: [graphqlRequest('GetApiTokens', GET_API_TOKENS)] },
  ];
}
