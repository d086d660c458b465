// `npm start`: the local trial. A sample server under .trial-root/, stand-ins first on PATH, then serve.
import path from 'node:path';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { PROJECT_ROOT } from '../kit/project-files.js';
import { startServer } from './server.js';
import { createCommandRunner } from './system.js';
import { enableTrialAutobackups, prepareTrialRoot, TRIAL_AUTOBACKUP_MINUTES } from './trial-root.js';
import { startTrialMonitoring } from './trial-monitoring.js';

const trial = prepareTrialRoot(path.join(PROJECT_ROOT, '.trial-root'));
process.env.PATH = `${trial.binFolder}${path.delimiter}${process.env.PATH ?? ''}`;
process.env.SELFPRIVACY_ROOT = trial.root;
// Backups go to a local repository in the trial root (unless one was chosen), with the trial's own password.
if (!process.env.SELFPRIVACY_RESTIC_REPOSITORY) {
  process.env.SELFPRIVACY_RESTIC_REPOSITORY = trial.resticRepository;
  process.env.RESTIC_PASSWORD = trial.resticPassword;
}
// Prometheus and node exporter for the server page's charts, when installed; sets the API's variables.
const monitoring = await startTrialMonitoring(createCommandRunner(), trial.root);

await enableTrialAutobackups(trial);

const config = loadConfig();
const running = await startServer(config, createLogger(config.logLevel));
process.stderr.write(`
SelfPrivacy API local trial ${trial.created ? '(new trial root)' : '(existing trial root kept)'}
  root:       ${trial.root}
  stand-ins:  ${trial.binFolder} (calls logged to ${trial.standInLog})
  address:    ${running.url}
  token:      ${trial.token}
  backups:    restic repository ${process.env.SELFPRIVACY_RESTIC_REPOSITORY} (docs/backups.md)
  charts:     ${monitoring.summary}
  automatic:  ${trial.created ? `every ${TRIAL_AUTOBACKUP_MINUTES} minutes, the first within a minute` : 'as set before (setAutobackupPeriod)'}

  curl -H 'Authorization: Bearer ${trial.token}' ${running.url}/users
  curl -H 'Authorization: Bearer ${trial.token}' -H 'Content-Type: application/json' \\
       -d '{"query":"{ users { allUsers { username userType } } }"}' ${running.url}/graphql

`);
const stop = (): void => {
  Promise.all([running.close(), monitoring.stop()]).then(() => process.exit(0), () => process.exit(1));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
