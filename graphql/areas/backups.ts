// GraphQL area "backups": configuration, snapshots and the backup mutations, on the restic controller REST uses.
import type { GraphqlArea } from '../area.js';
import { backupMutationResolvers, backupConfiguration } from './backup-mutations.js';
import { lastSlice, snapshotViews } from './snapshot-view.js';

const typeDefs = /* GraphQL */ `
  enum BackupProvider { BACKBLAZE NONE MEMORY FILE }
  enum BackupReason { EXPLICIT AUTO PRE_RESTORE }
  enum RestoreStrategy { INPLACE DOWNLOAD_VERIFY_OVERWRITE }

  type AutobackupQuotas {
    last: Int!
    daily: Int!
    weekly: Int!
    monthly: Int!
    yearly: Int!
  }

  type BackupConfiguration {
    provider: BackupProvider!
    encryptionKey: String!
    isInitialized: Boolean!
    autobackupPeriod: Int
    autobackupQuotas: AutobackupQuotas!
    locationName: String
    locationId: String
  }

  type SnapshotInfo {
    id: String!
    service: Service!
    createdAt: DateTime!
    reason: BackupReason!
  }

  type Backup {
    configuration: BackupConfiguration!
    allSnapshots: [SnapshotInfo!]!
    lastSlice: [SnapshotInfo!]!
  }

  input InitializeRepositoryInput {
    provider: BackupProvider!
    locationId: String!
    locationName: String!
    login: String!
    password: String!
    localSecret: String = null
  }

  input AutobackupQuotasInput {
    last: Int!
    daily: Int!
    weekly: Int!
    monthly: Int!
    yearly: Int!
  }

  type GenericBackupConfigReturn implements MutationReturnInterface {
    success: Boolean!
    message: String!
    code: Int!
    configuration: BackupConfiguration
  }

  type BackupMutations {
    initializeRepository(repository: InitializeRepositoryInput!): GenericBackupConfigReturn!
    removeRepository: GenericBackupConfigReturn!
    setAutobackupPeriod(period: Int = null): GenericBackupConfigReturn!
    setAutobackupQuotas(quotas: AutobackupQuotasInput!): GenericBackupConfigReturn!
    startBackup(serviceId: String!): GenericJobMutationReturn!
    totalBackup: GenericJobMutationReturn!
    restoreAll: GenericJobMutationReturn!
    restoreBackup(snapshotId: String!, strategy: RestoreStrategy! = DOWNLOAD_VERIFY_OVERWRITE): GenericJobMutationReturn!
    forgetSnapshot(snapshotId: String!): GenericMutationReturn!
    forceSnapshotsReload: GenericMutationReturn!
  }

  extend type Query {
    backup: Backup!
  }

  extend type Mutation {
    backup: BackupMutations!
  }
`;

export const backupsArea: GraphqlArea = {
  typeDefs,
  resolvers: {
    Query: { backup: () => ({}) },
    Mutation: { backup: () => ({}) },
    Backup: {
      configuration: (_parent, _args, { ctx }) => backupConfiguration(ctx),
      allSnapshots: (_parent, _args, { ctx }) => snapshotViews(ctx),
      lastSlice: (_parent, _args, { ctx }) => lastSlice(ctx),
    },
    BackupMutations: backupMutationResolvers,
  },
};
