// The bench's GraphQL floor (bench/baseline-graphql.ts): it must stand for exactly our answer to the
// app's documents, or the ratio against it measures nothing.
import http from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Kind, parse, print, visit, type DocumentNode, type FieldNode } from 'graphql';
import { baselineListener } from '../../../bench/baseline-answers.js';
import { MAIN_SIZES, makeBenchData, SCALE_SIZES } from '../../../bench/bench-root.js';
import { httpCall } from '../../../bench/http-call.js';
import { ALL_USERS, GET_API_TOKENS, graphqlScenarios } from '../../../bench/scenarios.js';
import { operationText } from '../../graphql/operation-documents.js';
import { makeInProcessApp, type InProcessApp } from '../../helpers/in-process-app.js';
import { makeTempRoot, type TempRoot } from '../../helpers/temp-root.js';

const TYPENAME: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } };

/** What the app's generated code does to a document: `__typename` last in every selection set that lacks it. */
function withTypenames(document: DocumentNode): DocumentNode {
  return visit(document, {
    SelectionSet: (set) => {
      const has = set.selections.some((selection) => selection.kind === Kind.FIELD && selection.name.value === '__typename' && selection.alias === undefined);
      return has ? undefined : { ...set, selections: [...set.selections, TYPENAME] };
    },
  });
}

describe('the documents the bench sends', () => {
  it('are the app\'s AllUsers and GetApiTokens, with __typename where the app adds it', () => {
    expect(print(parse(ALL_USERS))).toBe(print(withTypenames(parse(operationText('users.graphql', 'AllUsers')))));
    expect(print(parse(GET_API_TOKENS))).toBe(print(withTypenames(parse(operationText('api.graphql', 'GetApiTokens')))));
  });

  it('are sent as the app sends them: operation name, no variables, the document', () => {
    const bodies = graphqlScenarios().map((scenario) => JSON.parse(scenario.requests[0]!.body!) as unknown);
    expect(bodies).toEqual([
      { operationName: 'AllUsers', variables: {}, query: ALL_USERS },
      { operationName: 'GetApiTokens', variables: {}, query: GET_API_TOKENS },
    ]);
  });
});

// Both parts' roots: the scale part's answers hold 2,000 users, where any difference in how a user
// is answered would show.
describe.each([
  ['the main part\'s root', MAIN_SIZES],
  ['the scale part\'s root', SCALE_SIZES],
])('the GraphQL floor on %s', (_root, sizes) => {
  const data = makeBenchData(sizes);
  let temp: TempRoot;
  let ours: InProcessApp;
  let floor: http.Server;
  let floorUrl: string;

  beforeEach(async () => {
    temp = makeTempRoot({ userdata: data.userdata, tokens: data.tokens });
    ours = await makeInProcessApp(temp);
    floor = http.createServer(baselineListener(temp.root));
    await new Promise<void>((resolve) => floor.listen(0, '127.0.0.1', resolve));
    floorUrl = `http://127.0.0.1:${(floor.address() as { port: number }).port}`;
  });
  afterEach(async () => {
    await new Promise((resolve) => floor.close(resolve));
    temp.cleanup();
  });

  const askFloor = (body: string) =>
    httpCall(`${floorUrl}/graphql`, { method: 'POST', body, headers: { authorization: `Bearer ${data.token}`, 'content-type': 'application/json' } });

  it.each(graphqlScenarios().map((scenario) => [scenario.name, scenario.requests[0]!.body!]))('answers %s with the same bytes as our server', async (_name, body) => {
    const mine = await ours.request('/graphql', { method: 'POST', token: data.token, headers: { 'content-type': 'application/json' }, body });
    const floors = await askFloor(body);
    expect(mine.status).toBe(200);
    expect(mine.body.errors).toBeUndefined();
    expect(floors.status).toBe(200);
    expect(floors.text).toBe(mine.text);
  });

  it('answers the users and devices of the files, the caller marked', async () => {
    const users = JSON.parse((await askFloor(graphqlScenarios()[0]!.requests[0]!.body!)).text);
    expect(users.data.users.allUsers.map((user: { username: string }) => user.username)).toEqual([data.mainUser, ...data.users]);
    expect(users.data.users.rootUser).toMatchObject({ username: 'root', userType: 'ROOT' });
    const devices = JSON.parse((await askFloor(graphqlScenarios()[1]!.requests[0]!.body!)).text).data.api.devices;
    expect(devices.filter((device: { isCaller: boolean }) => device.isCaller)).toHaveLength(1);
    expect(devices).toHaveLength((data.tokens.tokens as unknown[]).length);
  });

  it('refuses any other document rather than answer it wrongly', async () => {
    const other = await askFloor(JSON.stringify({ operationName: 'GetApiTokens', variables: {}, query: GET_API_TOKENS.replace('isCaller ', '') }));
    expect(other.status).toBe(400);
    expect((await askFloor('not json')).status).toBe(400);
  });
});
