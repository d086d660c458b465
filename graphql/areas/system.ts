// GraphQL area "system": settings, versions, providers and DNS records (Query.system) and the system mutations.
import type { GraphqlArea } from '../area.js';
import { systemMutationResolvers } from './system-mutations.js';
import { systemQueryResolvers } from './system-queries.js';

const typeDefs = /* GraphQL */ `
  type DnsRecord {
    recordType: String!
    name: String!
    content: String!
    ttl: Int!
    priority: Int
    displayName: String!
  }

  enum DnsProvider { CLOUDFLARE DIGITALOCEAN DESEC PORKBUN }
  enum ServerProvider { HETZNER DIGITALOCEAN OTHER }

  type SystemDomainInfo {
    domain: String!
    hostname: String!
    provider: DnsProvider!
    requiredDnsRecords: [DnsRecord!]!
  }

  type AutoUpgradeOptions {
    enable: Boolean!
    allowReboot: Boolean!
  }

  type SshSettings {
    enable: Boolean!
    passwordAuthentication: Boolean!
    rootSshKeys: [String!]!
  }

  type SystemSettings {
    autoUpgrade: AutoUpgradeOptions!
    ssh: SshSettings!
    timezone: String!
  }

  type SystemInfo {
    systemVersion: String!
    pythonVersion: String!
    usingBinds: Boolean!
  }

  type SystemProviderInfo {
    provider: ServerProvider!
    id: String!
  }

  type System {
    domainInfo: SystemDomainInfo!
    settings: SystemSettings!
    info: SystemInfo!
    provider: SystemProviderInfo!
    busy: Boolean!
    workingDirectory: String!
  }

  input AutoUpgradeSettingsInput {
    enableAutoUpgrade: Boolean = null
    allowReboot: Boolean = null
  }

  input SSHSettingsInput {
    enable: Boolean!
    passwordAuthentication: Boolean = null
  }

  type TimezoneMutationReturn implements MutationReturnInterface {
    success: Boolean!
    message: String!
    code: Int!
    timezone: String
  }

  type AutoUpgradeSettingsMutationReturn implements MutationReturnInterface {
    success: Boolean!
    message: String!
    code: Int!
    enableAutoUpgrade: Boolean!
    allowReboot: Boolean!
  }

  type SSHSettingsMutationReturn implements MutationReturnInterface {
    success: Boolean!
    message: String!
    code: Int!
    enable: Boolean!
    passwordAuthentication: Boolean!
  }

  type SystemMutations {
    changeTimezone(timezone: String!): TimezoneMutationReturn!
    changeAutoUpgradeSettings(settings: AutoUpgradeSettingsInput!): AutoUpgradeSettingsMutationReturn!
    changeSshSettings(settings: SSHSettingsInput!): SSHSettingsMutationReturn!
    runSystemRebuild: GenericJobMutationReturn!
    runSystemRollback: GenericMutationReturn!
    runSystemUpgrade: GenericJobMutationReturn!
    rebootSystem: GenericMutationReturn!
    pullRepositoryChanges: GenericMutationReturn!
    nixCollectGarbage: GenericJobMutationReturn!
  }

  extend type Query {
    system: System!
  }

  extend type Mutation {
    system: SystemMutations!
  }
`;

export const systemArea: GraphqlArea = {
  typeDefs,
  resolvers: {
    Query: { system: () => ({}) },
    Mutation: { system: () => ({}) },
    ...systemQueryResolvers,
    SystemMutations: systemMutationResolvers,
  },
};
