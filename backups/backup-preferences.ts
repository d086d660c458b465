// The owner's backup choices the API keeps itself: the automatic backup period, the rotation quotas, a detached repository.
import path from 'node:path';
import { z } from 'zod';
import type { Logger } from '../core/logger.js';
import { JsonDocument } from '../store/json-document.js';
import type { ServerPaths } from '../store/server-paths.js';

/** How many automatic snapshots of each kind rotation keeps per service; -1 keeps every one of that kind. */
export const QuotasSchema = z.object({
  last: z.number().int().min(-1),
  daily: z.number().int().min(-1),
  weekly: z.number().int().min(-1),
  monthly: z.number().int().min(-1),
  yearly: z.number().int().min(-1),
});
export type AutobackupQuotas = z.infer<typeof QuotasSchema>;

/** Until the owner sets quotas every snapshot is kept, as upstream does. */
const KEEP_ALL: AutobackupQuotas = { last: -1, daily: -1, weekly: -1, monthly: -1, yearly: -1 };

/** A year of minutes: more than any period the app offers. */
export const MAX_PERIOD_MINUTES = 60 * 24 * 366;

const PreferencesSchema = z.object({
  /** Minutes between automatic backups of a service; null: none. */
  autobackupPeriod: z.number().int().positive().max(MAX_PERIOD_MINUTES).nullable().catch(null),
  quotas: QuotasSchema.catch(KEEP_ALL),
  /**
   * The owner removed the repository while SELFPRIVACY_RESTIC_REPOSITORY names one: the API acts
   * as if none were configured until a repository is initialised again.
   */
  detached: z.boolean().catch(false),
});
export type BackupPreferences = z.infer<typeof PreferencesSchema>;

const DEFAULTS: BackupPreferences = { autobackupPeriod: null, quotas: KEEP_ALL, detached: false };

/**
 * Kept under the API's own state folder, which backups leave out and restores never write: a
 * restore must not turn automatic backups back to what they were when the snapshot was made.
 */
export class BackupPreferencesFile {
  private readonly document: JsonDocument<Record<string, unknown>>;

  constructor(paths: ServerPaths, log: Logger) {
    this.document = new JsonDocument(path.join(paths.backupWorkFolder, 'preferences.json'), { mode: 0o600, trustedFolder: paths.root, log });
  }

  /** The stored choices; the defaults for a missing file, and for any field that is not valid. */
  read(): BackupPreferences {
    if (!this.document.exists()) return { ...DEFAULTS };
    try {
      return PreferencesSchema.parse({ ...DEFAULTS, ...this.document.read() });
    } catch {
      return { ...DEFAULTS };
    }
  }

  async change(change: Partial<BackupPreferences>): Promise<BackupPreferences> {
    await this.document.createIfMissing({ ...DEFAULTS });
    await this.document.update((data) => Object.assign(data, change));
    return this.read();
  }

  drain(): Promise<void> {
    return this.document.drain();
  }
}
