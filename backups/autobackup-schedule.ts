// Which services are due an automatic backup: their newest snapshot, whatever its reason, is older than the period.
import { isServiceOn, SERVICE_CATALOG } from '../domain/service-catalog.js';
import type { ServerPaths } from '../store/server-paths.js';
import type { Userdata } from '../store/userdata.js';
import { serviceSources } from './service-scope.js';
import type { Snapshot } from './snapshots.js';
import { snapshotService } from './snapshot-tags.js';

const MINUTE_MS = 60_000;

/** The time of each service's newest snapshot, from restic's list (so a restart forgets none). */
function lastBackupTimes(snapshots: readonly Snapshot[]): Map<string, number> {
  const newest = new Map<string, number>();
  for (const snapshot of snapshots) {
    const service = snapshotService(snapshot);
    const time = Date.parse(snapshot.time);
    if (service === undefined || Number.isNaN(time)) continue;
    if (time > (newest.get(service.id) ?? -Infinity)) newest.set(service.id, time);
  }
  return newest;
}

/** The ids of `candidates` never backed up, or last backed up `periodMinutes` or more before `now`. */
export function servicesDue(candidates: readonly string[], snapshots: readonly Snapshot[], periodMinutes: number, now: Date): string[] {
  const last = lastBackupTimes(snapshots);
  return candidates.filter((id) => {
    const time = last.get(id);
    return time === undefined || now.getTime() - time >= periodMinutes * MINUTE_MS;
  });
}

/** The services automatic backups are for: switched on, with at least one data folder on this server. */
export function autobackupCandidates(paths: ServerPaths, userdata: Userdata): string[] {
  return SERVICE_CATALOG.filter((service) => isServiceOn(userdata, service) && serviceSources(paths, service).length > 0).map((service) => service.id);
}
