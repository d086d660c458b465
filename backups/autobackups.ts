// Automatic backups: the owner's period and rotation quotas, and the check that queues an AUTO
// backup of each service due (which services are due is autobackup-schedule.ts's).
import { badRequest } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { SERVICE_CATALOG } from '../domain/service-catalog.js';
import type { Store } from '../store/store.js';
import { autobackupCandidates, servicesDue } from './autobackup-schedule.js';
import { MAX_PERIOD_MINUTES, type AutobackupQuotas, type BackupPreferences, type BackupPreferencesFile } from './backup-preferences.js';
import { describeFailure } from './job-failure.js';
import type { JobLane } from './job-lane.js';
import type { RepositoryState } from './repository-state.js';
import { rotateAutomaticSnapshots } from './rotation.js';
import { snapshotReason, snapshotService } from './snapshot-tags.js';

export interface AutobackupsOptions {
  store: Store;
  log: Logger;
  now: () => Date;
  preferences: BackupPreferencesFile;
  repositoryState: RepositoryState;
  /** Backups, restores and prunes, one at a time: no check while work is under way; rotations wait their turn in it. */
  lane: JobLane;
  /** Whether a backup or restore job is running. */
  jobRunning: () => boolean;
  /** Queues an automatic backup of the service, as a job of its own. */
  startBackup: (serviceId: string) => Promise<unknown>;
}

export class Autobackups {
  constructor(private readonly options: AutobackupsOptions) {}

  /** The owner's automatic backup period (minutes; null: none) and rotation quotas. */
  preferences(): Pick<BackupPreferences, 'autobackupPeriod' | 'quotas'> {
    const { autobackupPeriod, quotas } = this.options.preferences.read();
    return { autobackupPeriod, quotas };
  }

  /** Sets the period in minutes; null or 0 turns automatic backups off. 400 for a negative or too long one. */
  async setPeriod(period: number | null): Promise<void> {
    if (period !== null && (!Number.isInteger(period) || period < 0 || period > MAX_PERIOD_MINUTES)) {
      throw badRequest(`The period must be a number of minutes from 0 to ${MAX_PERIOD_MINUTES} (0 or null turns automatic backups off)`);
    }
    await this.options.preferences.change({ autobackupPeriod: period === 0 ? null : period });
    this.options.log.info('autobackup period set', { minutes: period === 0 ? null : period });
  }

  /** Stores the quotas, then rotates every service's automatic snapshots by them (in the background, queued). */
  async setQuotas(quotas: AutobackupQuotas): Promise<void> {
    const { preferences, repositoryState, log } = this.options;
    await preferences.change({ quotas });
    log.info('autobackup quotas set', { ...quotas });
    if (!repositoryState.hasKey()) return;
    void this.options.lane.run(async () => {
      try {
        const repository = await repositoryState.connected();
        // Only services with automatic snapshots, as restic lists them now: each restic run opens the
        // repository (a deliberately slow key derivation), so services with none are not asked about.
        await repositoryState.refreshSnapshots();
        const rotated = SERVICE_CATALOG.filter((service) =>
          repositoryState.snapshots.some((snapshot) => snapshotService(snapshot)?.id === service.id && snapshotReason(snapshot) === 'AUTO'),
        );
        for (const service of rotated) await rotateAutomaticSnapshots(repositoryState, repository, service, preferences.read().quotas);
      } catch (error) {
        log.warn('rotation failed', { reason: describeFailure(error, log) });
      }
      await repositoryState.refreshSnapshots();
    });
  }

  /** Every switched-on service with data, due by the period: each gets an AUTO backup, unless work is under way (it waits its turn). */
  async startDue(): Promise<void> {
    const { preferences, repositoryState, store, log } = this.options;
    const period = preferences.read().autobackupPeriod;
    if (period === null || repositoryState.condition !== 'ready' || repositoryState.initializing || this.options.lane.busy()) return;
    if (this.options.jobRunning() || !repositoryState.hasKey()) return;
    const candidates = autobackupCandidates(store.paths, store.userdata.read());
    for (const serviceId of servicesDue(candidates, repositoryState.snapshots, period, this.options.now())) {
      try {
        await this.options.startBackup(serviceId);
      } catch (error) {
        log.warn('automatic backup not started', { service: serviceId, reason: describeFailure(error, log) });
      }
    }
  }
}
