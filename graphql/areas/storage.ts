// GraphQL area "storage": the server's volumes from the storage report; mounting, resizing and binds are not supported.
import type { GraphqlArea, ResolverContext } from '../area.js';
import { notSupported } from './not-supported.js';
import { storageReport, toVolumeView, usagesOnVolume, type VolumeView } from './storage-view.js';

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

/** Every real filesystem of the report, the root first. */
async function volumes(_parent: unknown, _args: unknown, rctx: ResolverContext): Promise<VolumeView[]> {
  const report = await storageReport(rctx);
  return report.filesystems.map(toVolumeView).sort((a, b) => Number(b.root) - Number(a.root));
}

const VOLUMES_ARE_NIXOS = 'volumes are mounted by the NixOS configuration and resized at the provider';

export const storageArea: GraphqlArea = {
  typeDefs,
  resolvers: {
    Query: { storage: () => ({}) },
    Mutation: { storage: () => ({}) },
    Storage: { volumes },
    StorageVolume: {
      usages: async (volume: VolumeView, _args, rctx) => usagesOnVolume(await storageReport(rctx), volume),
    },
    // The only usage this server reports is a service's.
    StorageUsageInterface: { __resolveType: () => 'ServiceStorageUsage' },
    StorageMutations: {
      resizeVolume: () => notSupported(`resizing a volume: ${VOLUMES_ARE_NIXOS}`),
      mountVolume: () => notSupported(`mounting a volume: ${VOLUMES_ARE_NIXOS}`),
      unmountVolume: () => notSupported(`unmounting a volume: ${VOLUMES_ARE_NIXOS}`),
      migrateToBinds: () => ({
        ...notSupported('service data stays in its NixOS folders under /var; there are no bind mounts to migrate to'),
        job: null,
      }),
    },
  },
};
