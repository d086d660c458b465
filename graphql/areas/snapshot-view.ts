// Backup snapshots as the app's SnapshotInfo: the service and the reason from each snapshot's restic tags.
import { snapshotReason, snapshotService, type BackupReason } from '../../backups/snapshot-tags.js';
import type { Snapshot } from '../../backups/snapshots.js';
import { type ServiceDescriptor } from '../../domain/service-catalog.js';
import type { Ctx } from '../../kit/context.js';

/**
 * The service a snapshot of the whole server is shown as: those of REST 1.2's backup (and of the
 * original API) hold every service's data and the settings at once.
 */
export const WHOLE_SERVER: ServiceDescriptor = {
  id: 'whole-server',
  displayName: 'Whole server',
  description: 'Everything under /var and the server\'s settings, backed up at once.',
  units: [],
  toggle: null,
  subdomain: null,
  hasWebPage: false,
  dataKey: '',
  required: true,
  homepage: 'https://selfprivacy.org/',
  sourcePage: 'https://selfprivacy.org/',
  licenses: [],
};

export interface SnapshotView {
  id: string;
  createdAt: string;
  reason: BackupReason;
  service: ServiceDescriptor;
}

function viewOf(snapshot: Snapshot): SnapshotView {
  return { id: snapshot.id, createdAt: snapshot.time, reason: snapshotReason(snapshot), service: snapshotService(snapshot) ?? WHOLE_SERVER };
}

/** The cached snapshot list, newest first. */
export function snapshotViews(ctx: Ctx): SnapshotView[] {
  return ctx.backups
    .snapshots()
    .map(viewOf)
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
}

/** The newest snapshot of each service (and of the whole server): what a restore of everything would use. */
export function lastSlice(ctx: Ctx): SnapshotView[] {
  const seen = new Set<string>();
  return snapshotViews(ctx).filter((view) => !seen.has(view.service.id) && seen.add(view.service.id));
}

/** One service's own snapshots, newest first (a whole-server snapshot is restored as a whole, not from a service's page). */
export function serviceSnapshotViews(ctx: Ctx, serviceId: string): SnapshotView[] {
  return snapshotViews(ctx).filter((view) => view.service.id === serviceId);
}
