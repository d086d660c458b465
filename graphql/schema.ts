// Builds the one executable GraphQL schema from every area's type definitions and resolvers.
import { buildSchema, GraphQLScalarType, isAbstractType, isObjectType, isScalarType, type GraphQLSchema } from 'graphql';
import type { AreaResolvers, FieldResolver, GraphqlArea, SubscriptionResolver } from './area.js';
import { apiArea } from './areas/api.js';
import { backupsArea } from './areas/backups.js';
import { commonArea } from './areas/common.js';
import { jobsArea } from './areas/jobs.js';
import { logsArea } from './areas/logs.js';
import { monitoringArea } from './areas/monitoring.js';
import { servicesArea } from './areas/services.js';
import { storageArea } from './areas/storage.js';
import { systemArea } from './areas/system.js';
import { usersArea } from './areas/users.js';

/** Every area; each adds to the roots with `extend type`. */
export const AREAS: readonly GraphqlArea[] = [
  commonArea,
  apiArea,
  usersArea,
  jobsArea,
  systemArea,
  servicesArea,
  backupsArea,
  storageArea,
  logsArea,
  monitoringArea,
];

/** Puts one area's resolvers on the built schema's types; a name the schema lacks is a mistake in the area. */
export function attachResolvers(schema: GraphQLSchema, resolvers: AreaResolvers): void {
  for (const [typeName, entry] of Object.entries(resolvers)) {
    const type = schema.getType(typeName);
    if (type === undefined || type === null) throw new Error(`resolvers for ${typeName}, which the schema does not have`);
    if (entry instanceof GraphQLScalarType) {
      if (!isScalarType(type)) throw new Error(`${typeName} is not a scalar`);
      // The area's scalar says how values look; the built one has graphql's pass-through defaults.
      type.serialize = entry.serialize;
      type.parseValue = entry.parseValue;
      type.parseLiteral = entry.parseLiteral;
      continue;
    }
    for (const [fieldName, resolver] of Object.entries(entry)) {
      if (fieldName === '__resolveType') {
        if (!isAbstractType(type)) throw new Error(`${typeName} is neither an interface nor a union`);
        type.resolveType = resolver as unknown as typeof type.resolveType;
        continue;
      }
      const field = isObjectType(type) ? type.getFields()[fieldName] : undefined;
      if (field === undefined) throw new Error(`a resolver for ${typeName}.${fieldName}, which the schema does not have`);
      if (field.resolve !== undefined || field.subscribe !== undefined) throw new Error(`${typeName}.${fieldName} has two resolvers`);
      if (typeof resolver === 'function') {
        field.resolve = resolver as FieldResolver;
      } else {
        field.subscribe = (resolver as SubscriptionResolver).subscribe;
        field.resolve = (resolver as SubscriptionResolver).resolve;
      }
    }
  }
}

let built: GraphQLSchema | undefined;

/** The schema, built on first use (a few milliseconds the server does not spend before its first /graphql request). */
export function graphqlSchema(): GraphQLSchema {
  if (built === undefined) {
    // An area not filled in yet has no type definitions at all; `extend type` works within one document.
    const schema = buildSchema(AREAS.map((area) => area.typeDefs).filter((typeDefs) => typeDefs.trim() !== '').join('\n'));
    for (const area of AREAS) attachResolvers(schema, area.resolvers);
    built = schema;
  }
  return built;
}
