// GraphQL area "storage": the server's volumes from the storage report and lsblk, resizing; mounting and binds are not supported.
import type { GraphqlArea, ResolverContext } from '../area.js';
import { notSupported } from './not-supported.js';
import { storageReport, usagesOnVolume, type VolumeView } from './storage-view.js';
import { resizeVolumeMutation, volumesOfServer } from './volumes.js';

const typeDefs = /* GraphQL */ `
  interface StorageUsageInterface {
    usedSpace: String!
    volume: StorageVolume
    title: String!
  }

  type ServiceStorageUsage implements StorageUsageInterface {
    usedSpace: String!
    volume: StorageVolume
    title: String!
    service: Service
  }

  type StorageVolume {
    totalSpace: String!
    freeSpace: String!
    usedSpace: String!
    root: Boolean!
    name: String!
    model: String
    serial: String
    type: String!
    usages: [StorageUsageInterface!]!
  }

  type Storage {
    volumes: [StorageVolume!]!
  }

  input MigrateToBindsInput {
    emailBlockDevice: String!
    bitwardenBlockDevice: String!
    giteaBlockDevice: String!
    nextcloudBlockDevice: String!
    pleromaBlockDevice: String!
  }

  type StorageMutations {
    resizeVolume(name: String!): GenericMutationReturn!
    mountVolume(name: String!): GenericMutationReturn!
    unmountVolume(name: String!): GenericMutationReturn!
    migrateToBinds(input: MigrateToBindsInput!): GenericJobMutationReturn!
  }

  extend type Query {
    storage: Storage!
  }

  extend type Mutation {
    storage: StorageMutations!
  }
`;


const VOLUMES_ARE_NIXOS = 'volumes are mounted by the NixOS configuration';

export const storageArea: GraphqlArea = {
  typeDefs,
  resolvers: {
    Query: { storage: () => ({}) },
    Mutation: { storage: () => ({}) },
    Storage: { volumes: (_parent: unknown, _args: unknown, rctx: ResolverContext) => volumesOfServer(rctx) },
    StorageVolume: {
      usages: async (volume: VolumeView, _args, rctx) => usagesOnVolume(await storageReport(rctx), volume),
    },
    // The only usage this server reports is a service's.
    StorageUsageInterface: { __resolveType: () => 'ServiceStorageUsage' },
    StorageMutations: {
      resizeVolume: resizeVolumeMutation,
      mountVolume: () => notSupported(`mounting a volume: ${VOLUMES_ARE_NIXOS}`),
      unmountVolume: () => notSupported(`unmounting a volume: ${VOLUMES_ARE_NIXOS}`),
      migrateToBinds: () => ({
        ...notSupported('service data stays in its NixOS folders under /var; there are no bind mounts to migrate to'),
        job: null,
      }),
    },
  },
};
