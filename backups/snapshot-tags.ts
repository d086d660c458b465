// What a snapshot's restic tags say: which service it holds and why it was made.
import { findService, type ServiceDescriptor } from '../domain/service-catalog.js';
import type { Snapshot } from './snapshots.js';

/** Why a snapshot was made, in the app's words. */
const BACKUP_REASONS = ['EXPLICIT', 'AUTO', 'PRE_RESTORE'] as const;
export type BackupReason = (typeof BACKUP_REASONS)[number];

/** The tag each reason is written as: lower case, as restic's filters are typed by hand (`--tag auto`). */
export function reasonTag(reason: BackupReason): string {
  return reason.toLowerCase();
}

function tagsOf(snapshot: Snapshot): string[] {
  return Array.isArray(snapshot.tags) ? snapshot.tags.filter((tag): tag is string => typeof tag === 'string') : [];
}

/** The tags a service's snapshot is written with: the service id, then the reason. */
export function serviceSnapshotTags(serviceId: string, reason: BackupReason): string[] {
  return [serviceId, reasonTag(reason)];
}

/**
 * The service whose data the snapshot holds, or undefined for a snapshot of the whole server
 * (made by REST 1.2's backup, or by the original API): those carry no service tag.
 */
export function snapshotService(snapshot: Snapshot): ServiceDescriptor | undefined {
  for (const tag of tagsOf(snapshot)) {
    const service = findService(tag);
    if (service !== undefined) return service;
  }
  return undefined;
}

/** The reason from the snapshot's tags; a snapshot without one was asked for by someone (EXPLICIT). */
export function snapshotReason(snapshot: Snapshot): BackupReason {
  const tags = tagsOf(snapshot);
  return BACKUP_REASONS.find((reason) => tags.includes(reasonTag(reason))) ?? 'EXPLICIT';
}
