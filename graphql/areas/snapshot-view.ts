// Backup snapshots as the app's SnapshotInfo: each restic snapshot here holds the whole server.
import { BACKUP_DESCRIPTION, type ServiceDescriptor } from '../../domain/service-catalog.js';
import type { Ctx } from '../../kit/context.js';

/**
 * The service a snapshot belongs to. Upstream backs up service by service; this server backs up
 * everything at once, so every snapshot is shown as one of the whole server.
 */
export const WHOLE_SERVER: ServiceDescriptor = {
  id: 'whole-server',
  displayName: 'Whole server',
  description: BACKUP_DESCRIPTION,
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
  reason: 'EXPLICIT';
  service: ServiceDescriptor;
}

/** The cached snapshot list (as GET /services/restic/backup/list answers it), newest first. */
export function snapshotViews(ctx: Ctx): SnapshotView[] {
  return ctx.backups
    .snapshots()
    .map((snapshot) => ({ id: snapshot.id, createdAt: snapshot.time, reason: 'EXPLICIT' as const, service: WHOLE_SERVER }))
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
}
