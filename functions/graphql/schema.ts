// Builds the one executable GraphQL schema from every area's type definitions and resolvers.
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import type { GraphqlArea } from './area.js';
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

let built: GraphQLSchema | undefined;

/** The schema, built on first use (a few milliseconds the server does not spend before its first /graphql request). */
export function graphqlSchema(): GraphQLSchema {
  built ??= makeExecutableSchema({
    // An area not filled in yet has no type definitions at all.
    typeDefs: AREAS.map((area) => area.typeDefs).filter((typeDefs) => typeDefs.trim() !== ''),
    resolvers: AREAS.map((area) => area.resolvers),
  });
  return built;
}
