// A backup controller on a temporary root, running the stand-in restic and a recording systemctl for real.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BackupController } from '../../backups/controller.js';
import type { Settings } from '../../core/settings.js';
import type { Ctx } from '../../kit/context.js';
import { createJobRegistry, type JobRegistry } from '../../jobs/job-registry.js';
import { silentLogger } from '../../runtime/logger.js';
import { type Logger } from '../../core/logger.js';
import { createCommandRunner } from '../../runtime/system.js';
import { createStore } from '../../store/store.js';
import { makeCtx } from './function-call.js';
import { makeResticStandIn, type ResticBehaviour, type ResticStandIn } from './restic-stand-in.js';
import { makeStandIns, type StandIn, type StandInBin } from './stand-ins.js';
import { makeTempRoot, type TempRoot, type TempRootOptions } from './temp-root.js';

export const TEST_RESTIC_PASSWORD = 'correct horse battery staple';

export interface BackupHarnessOptions {
  behaviour?: Partial<ResticBehaviour>;
  /** Replaces the default settings (a local repository override and RESTIC_PASSWORD). */
  settings?: Partial<Settings>;
  /** The systemctl stand-in (exit 0: every unit active). */
  systemctl?: StandIn;
  /** Leave restic off PATH entirely. */
  withoutRestic?: boolean;
  root?: TempRootOptions;
  log?: Logger;
}

export interface BackupHarness {
  temp: TempRoot;
  restic: ResticStandIn;
  systemctl: StandInBin;
  settings: Settings;
  controller: BackupController;
  /** The job registry whose jobs the controller's backups and restores are. */
  jobs: JobRegistry;
  ctx: Ctx;
  /** Another registry and controller on the same root, as the next API process would build them. */
  restart(): { controller: BackupController; jobs: JobRegistry };
  cleanup(): Promise<void>;
}

export function makeBackupHarness(options: BackupHarnessOptions = {}): BackupHarness {
  const temp = makeTempRoot(options.root);
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-backup-bin-'));
  const restic = makeResticStandIn(path.join(bin, 'restic'), options.behaviour);
  const systemctl = makeStandIns(path.join(bin, 'system'), { systemctl: options.systemctl ?? {} });
  // Only the stand-ins: the real restic in /usr/bin must not be reached.
  const pathValue = options.withoutRestic ? systemctl.folder : restic.pathWith(systemctl.folder);
  const system = createCommandRunner({ ...process.env, PATH: pathValue });
  const settings: Settings = {
    swaggerFromEnv: false,
    resticRepository: path.join(bin, 'repository'),
    resticPassword: TEST_RESTIC_PASSWORD,
    ...options.settings,
  };
  const log = options.log ?? silentLogger;
  const store = createStore(temp.root, log);
  const built: Array<{ controller: BackupController; jobs: JobRegistry }> = [];
  const build = (): { controller: BackupController; jobs: JobRegistry } => {
    const jobs = createJobRegistry(temp.paths, { system, log, pollIntervalMs: 50 });
    const next = { controller: new BackupController({ store, system, log, settings, jobs, resticPollMs: 50 }), jobs };
    built.push(next);
    return next;
  };
  const { controller, jobs } = build();
  return {
    temp,
    restic,
    systemctl,
    settings,
    controller,
    jobs,
    ctx: makeCtx(temp, { store, system, settings, log, backups: controller, jobs }),
    restart: build,
    async cleanup() {
      await Promise.all(built.flatMap((each) => [each.controller.close(), each.jobs.close()]));
      // Let any stand-in still waiting at a gate finish.
      for (const gate of ['backup', 'restore', 'list', 'forget']) restic.open(gate);
      temp.cleanup();
      fs.rmSync(bin, { recursive: true, force: true });
    },
  };
}
