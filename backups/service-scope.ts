// What one service's backup holds and which units its restore stops: its data folders from the service catalog.
import fs from 'node:fs';
import path from 'node:path';
import { serviceFolders, type ServiceDescriptor } from '../domain/service-catalog.js';
import type { Userdata } from '../store/userdata.js';
import type { ServerPaths } from '../store/server-paths.js';
import { RESTORE_STOPPED_UNITS } from './restore-units.js';

/**
 * Units that keep a service's data folders open besides its own units: Pleroma's database lives in
 * /var/lib/postgresql, which its backup holds, so PostgreSQL is stopped while it is restored.
 */
const DATA_UNITS: Readonly<Record<string, readonly string[]>> = {
  pleroma: ['postgresql'],
};

/**
 * The service's data folders that exist on this server, relative to the root (restic runs in the
 * root, so a service's snapshot holds `var/lib/gitea` as the whole-server one does).
 */
export function serviceSources(paths: ServerPaths, service: ServiceDescriptor): string[] {
  return serviceFolders(service)
    .map((folder) => path.relative('/', folder))
    .filter((relative) => fs.existsSync(path.join(paths.root, relative)));
}

/** The units a restore of the service stops (and starts again): only units the restore list allows. */
export function serviceRestoreUnits(service: ServiceDescriptor): string[] {
  const units = [...service.units, ...(DATA_UNITS[service.id] ?? [])];
  return RESTORE_STOPPED_UNITS.filter((unit) => units.includes(unit));
}
