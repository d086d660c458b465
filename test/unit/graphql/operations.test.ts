// Our documents of the app's 67 GraphQL operations validate against the schema the server introspects.
import { buildClientSchema, introspectionFromSchema, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { graphqlSchema } from '../../../graphql/schema.js';
import { documentFiles, loadDocument, operationsOf } from '../../graphql/operation-documents.js';

/**
 * The app's operations (SelfPrivacy/selfprivacy d49cecd9, lib/logic/api_maps/graphql_maps/schema)
 * by the document of ours that mirrors them.
 */
const APP_OPERATIONS: Record<string, { names: string[] }> = {
  'api.graphql': {
    names: [
      'GetApiVersion', 'GetApiJobs', 'JobUpdates', 'RemoveJob', 'GetApiTokens', 'RecoveryKey', 'GetNewRecoveryApiKey',
      'UseRecoveryApiKey', 'RefreshDeviceApiToken', 'DeleteDeviceApiToken', 'GetNewDeviceApiKey', 'InvalidateNewDeviceApiKey',
      'AuthorizeWithNewDeviceApiKey',
    ],
  },
  'users.graphql': {
    names: ['AllUsers', 'AllGroups', 'GetUser', 'CreateUser', 'DeleteUser', 'UpdateUser', 'AddSshKey', 'RemoveSshKey', 'GeneratePasswordResetLink', 'DeleteEmailPassword'],
  },
  'system.graphql': {
    names: [
      'RunSystemRebuild', 'RunSystemRebuildFallback', 'RunSystemRollback', 'RunSystemUpgrade', 'NixCollectGarbage',
      'RunSystemUpgradeFallback', 'PullRepositoryChanges', 'RebootSystem', 'SystemServerProvider', 'SystemDnsProvider',
      'SystemSettings', 'SystemIsUsingBinds', 'GetDnsRecords', 'ChangeTimezone', 'ChangeAutoUpgradeSettings', 'ChangeSshSettings',
    ],
  },
  'services.graphql': {
    names: ['AllServices', 'EnableService', 'DisableService', 'StopService', 'StartService', 'RestartService', 'MoveService', 'SetServiceConfiguration'],
  },
  'backups.graphql': {
    names: [
      'BackupConfiguration', 'AllBackupSnapshots', 'ForceSnapshotsReload', 'StartBackup', 'SetAutobackupPeriod',
      'setAutobackupQuotas', 'RemoveRepository', 'InitializeRepository', 'RestoreBackup', 'ForgetSnapshot',
    ],
  },
  'disk_volumes.graphql': { names: ['GetServerDiskVolumes', 'MountVolume', 'ResizeVolume', 'UnmountVolume', 'MigrateToBinds'] },
  'logs.graphql': { names: ['Logs', 'LogEntries'] },
  'monitoring.graphql': { names: ['GetOverallCpuAndNetworkMetrics', 'GetMemoryMetrics', 'GetDiskMetrics'] },
};

// The schema as a client sees it: built back from introspection, as the app's code generator did.
const introspected = buildClientSchema(introspectionFromSchema(graphqlSchema()));

function namesIn(file: string): string[] {
  return operationsOf(loadDocument(file)).map((operation) => operation.name?.value ?? '(anonymous)');
}

describe('our documents of the app\'s operations', () => {
  it('lists 67 operations, each once', () => {
    const all = Object.values(APP_OPERATIONS).flatMap((entry) => entry.names);
    expect(all).toHaveLength(67);
    expect(new Set(all).size).toBe(67);
  });

  for (const file of documentFiles()) {
    describe(file, () => {
      it('validates against the introspected schema', () => {
        const errors = validate(introspected, loadDocument(file)).map((error) => error.message);
        expect(errors).toEqual([]);
      });

      it('holds exactly the app\'s operations of its file', () => {
        const expected = APP_OPERATIONS[file];
        expect(expected, `${file} is not a document of the app's operations`).toBeDefined();
        expect(namesIn(file).sort()).toEqual([...(expected?.names ?? [])].sort());
      });
    });
  }

  it('has all 67 of the app\'s operations', () => {
    const present = new Set(documentFiles().flatMap(namesIn));
    const missing = Object.entries(APP_OPERATIONS).flatMap(([file, { names }]) =>
      names.filter((name) => !present.has(name)).map((name) => `${name} (${file})`),
    );
    expect(missing, `missing operations:\n${missing.join('\n')}`).toEqual([]);
  });
});
