// GraphQL area "services": every service with its state, and enable/disable/start/stop/restart.
import { GraphQLScalarType } from 'graphql';
import { findService, SERVICE_CATALOG, type ServiceDescriptor } from '../../domain/service-catalog.js';
import { disableService } from '../../functions/services/disable-service.js';
import { enableService } from '../../functions/services/enable-service.js';
import type { GraphqlArea, ResolverContext } from '../area.js';
import { mutationOf, type MutationReturn } from '../mutation-return.js';
import { notSupported } from './not-supported.js';
import { serviceFieldResolvers } from './service-fields.js';

const typeDefs = /* GraphQL */ `
  "Any JSON value (a service's settings)."
  scalar JSON

  enum ServiceStatusEnum { ACTIVE RELOADING INACTIVE FAILED ACTIVATING DEACTIVATING OFF }
  enum SupportLevelEnum { NORMAL EXPERIMENTAL DEPRECATED COMMUNITY UNKNOWN }

  type LicenseType {
    free: Boolean!
    fullName: String!
    redistributable: Boolean!
    shortName: String!
    spdxId: String
    url: String
    deprecated: Boolean!
  }

  interface ConfigItem {
    fieldId: String!
    description: String!
    widget: String!
    type: String!
  }

  type BoolConfigItem implements ConfigItem {
    fieldId: String!
    description: String!
    widget: String!
    type: String!
    value: Boolean!
    defaultValue: Boolean!
  }

  type EnumConfigItem implements ConfigItem {
    fieldId: String!
    description: String!
    widget: String!
    type: String!
    value: String!
    defaultValue: String!
    options: [String!]!
  }

  type StringConfigItem implements ConfigItem {
    fieldId: String!
    description: String!
    widget: String!
    type: String!
    value: String!
    defaultValue: String!
    regex: String
  }

  type Service {
    id: String!
    displayName: String!
    description: String!
    svgIcon: String!
    isMovable: Boolean!
    isRequired: Boolean!
    isEnabled: Boolean!
    isInstalled: Boolean!
    isSystemService: Boolean!
    canBeBackedUp: Boolean!
    backupDescription: String!
    status: ServiceStatusEnum!
    url: String
    homepage: String
    sourcePage: String
    license: [LicenseType!]!
    supportLevel: SupportLevelEnum!
    dnsRecords: [DnsRecord!]
    storageUsage: ServiceStorageUsage!
    configuration: [ConfigItem!]
    backupSnapshots: [SnapshotInfo!]
  }

  type Services {
    allServices: [Service!]!
  }

  type ServiceMutationReturn implements MutationReturnInterface {
    success: Boolean!
    message: String!
    code: Int!
    service: Service
  }

  type ServiceJobMutationReturn implements MutationReturnInterface {
    success: Boolean!
    message: String!
    code: Int!
    job: ApiJob
    service: Service
  }

  input MoveServiceInput {
    serviceId: String!
    location: String!
  }

  input SetServiceConfigurationInput {
    serviceId: String!
    configuration: JSON!
  }

  type ServicesMutations {
    enableService(serviceId: String!): ServiceMutationReturn!
    disableService(serviceId: String!): ServiceMutationReturn!
    stopService(serviceId: String!): ServiceMutationReturn!
    startService(serviceId: String!): ServiceMutationReturn!
    restartService(serviceId: String!): ServiceMutationReturn!
    setServiceConfiguration(input: SetServiceConfigurationInput!): ServiceMutationReturn!
    moveService(input: MoveServiceInput!): ServiceJobMutationReturn!
  }

  extend type Query {
    services: Services!
  }

  extend type Mutation {
    services: ServicesMutations!
  }
`;

const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value',
  serialize: (value) => value,
  parseValue: (value) => value,
});

type ServiceReturn = MutationReturn & { service?: ServiceDescriptor | null; job?: null };

const NOT_FOUND: ServiceReturn = { success: false, code: 404, message: 'Service not found' };

/** systemctl start/stop/restart of a unit waits for it; a slow service still answers within this. */
const UNIT_VERB_TIMEOUT_MS = 5 * 60_000;

/** enable/disable: the operation of /services/<section>/enable|disable writes userdata. */
async function toggle(serviceId: string, enable: boolean, { ctx }: ResolverContext): Promise<ServiceReturn> {
  const service = findService(serviceId);
  if (service === undefined) return NOT_FOUND;
  const section = service.toggle;
  if (section === null) return notSupported(`${service.displayName} is always on; it cannot be switched ${enable ? 'on' : 'off'}`);
  const result = enable
    ? await mutationOf(() => enableService(ctx, { service: section }), 'Service enabled.')
    : await mutationOf(() => disableService(ctx, { service: section }), 'Service disabled.');
  return { ...result, service };
}

/** start/stop/restart: `systemctl <verb>` of the service's units, judged by its exit code. */
async function unitVerb(serviceId: string, verb: 'start' | 'stop' | 'restart', rctx: ResolverContext): Promise<ServiceReturn> {
  const service = findService(serviceId);
  if (service === undefined) return NOT_FOUND;
  const result = await rctx.ctx.system.run('systemctl', [verb, '--', ...service.units], { timeoutMs: UNIT_VERB_TIMEOUT_MS });
  if (result.exitCode !== 0) {
    rctx.ctx.log.warn(`systemctl ${verb} failed`, { service: service.id, exitCode: result.exitCode });
    return { success: false, code: 500, message: `systemctl ${verb} ${service.units.join(' ')} exited with ${result.exitCode}`, service };
  }
  const done = { start: 'Service started.', stop: 'Service stopped.', restart: 'Service restarted.' }[verb];
  return { success: true, code: 200, message: done, service };
}

function moveService(_parent: unknown, { input }: { input: { serviceId: string; location: string } }): ServiceReturn {
  const service = findService(input.serviceId);
  if (service === undefined) return NOT_FOUND;
  return { ...notSupported('services stay where NixOS put them; moving them between volumes is not possible here'), service, job: null };
}

function setServiceConfiguration(_parent: unknown, { input }: { input: { serviceId: string } }): ServiceReturn {
  const service = findService(input.serviceId);
  if (service === undefined) return NOT_FOUND;
  return { ...notSupported(`${service.displayName} has no settings the API can change`), service };
}

type ServiceIdArgs = { serviceId: string };

export const servicesArea: GraphqlArea = {
  typeDefs,
  resolvers: {
    JSON: JSONScalar,
    Query: { services: () => ({}) },
    Mutation: { services: () => ({}) },
    Services: { allServices: () => SERVICE_CATALOG },
    Service: serviceFieldResolvers,
    ConfigItem: { __resolveType: () => null },
    ServicesMutations: {
      enableService: (_parent, { serviceId }: ServiceIdArgs, rctx) => toggle(serviceId, true, rctx),
      disableService: (_parent, { serviceId }: ServiceIdArgs, rctx) => toggle(serviceId, false, rctx),
      startService: (_parent, { serviceId }: ServiceIdArgs, rctx) => unitVerb(serviceId, 'start', rctx),
      stopService: (_parent, { serviceId }: ServiceIdArgs, rctx) => unitVerb(serviceId, 'stop', rctx),
      restartService: (_parent, { serviceId }: ServiceIdArgs, rctx) => unitVerb(serviceId, 'restart', rctx),
      moveService,
      setServiceConfiguration,
    },
  },
};
