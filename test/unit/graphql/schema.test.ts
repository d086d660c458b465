// The schema is graphql's buildSchema with our resolvers put on it; a resolver the schema has no place for is an error.
import { buildSchema, graphql, GraphQLScalarType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { attachResolvers, graphqlSchema } from '../../../graphql/schema.js';

const SDL = 'scalar Upper type Query { greeting: Upper, count: Int } interface Named { name: String } type Pet implements Named { name: String }';

describe('attachResolvers', () => {
  it('puts field resolvers and a scalar on the built schema', async () => {
    const schema = buildSchema(SDL);
    const Upper = new GraphQLScalarType({ name: 'Upper', serialize: (value) => String(value).toUpperCase() });
    attachResolvers(schema, { Query: { greeting: () => 'hello', count: () => 3 }, Upper });
    expect(await graphql({ schema, source: '{ greeting count }' })).toEqual({ data: { greeting: 'HELLO', count: 3 } });
  });

  it('refuses a type or a field the schema lacks, a second resolver, and __resolveType on an object type', () => {
    expect(() => attachResolvers(buildSchema(SDL), { Nothing: { a: () => 1 } })).toThrow(/Nothing/);
    expect(() => attachResolvers(buildSchema(SDL), { Query: { missing: () => 1 } })).toThrow(/Query\.missing/);
    const schema = buildSchema(SDL);
    attachResolvers(schema, { Query: { count: () => 1 } });
    expect(() => attachResolvers(schema, { Query: { count: () => 2 } })).toThrow(/two resolvers/);
    expect(() => attachResolvers(buildSchema(SDL), { Pet: { __resolveType: () => 'Pet' } })).toThrow(/neither/);
    expect(() => attachResolvers(buildSchema(SDL), { Query: new GraphQLScalarType({ name: 'Query' }) })).toThrow(/not a scalar/);
  });

  it('builds our schema with every area, with the roots the app uses', () => {
    const schema = graphqlSchema();
    expect(Object.keys(schema.getQueryType()?.getFields() ?? {})).toEqual(expect.arrayContaining(['api', 'users', 'system', 'services', 'jobs', 'backup', 'storage', 'logs', 'monitoring']));
    expect(schema.getSubscriptionType()?.getFields().jobUpdates?.subscribe).toBeTypeOf('function');
  });
});
