// Runs the freshly built bundle once as a server on a throwaway trial root and asks it one
// question, so that the code cache written afterwards also holds the code of start-up and of a
// first answer, not only that of the modules' top level.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../runtime/config.js';
import type { LoadedBundle } from '../runtime/server-bundle.cjs';
import { prepareTrialRoot } from '../runtime/trial-root.js';

/** The request a starting server is asked first (by the app, by health checks, by the benchmark). */
const FIRST_QUESTION = '/api/version';

export async function warmUp({ exports, serverBundle }: LoadedBundle): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-bundle-warm-up-'));
  try {
    prepareTrialRoot(root);
    const config = loadConfig({ SELFPRIVACY_ROOT: root, HOST: '127.0.0.1', PORT: '0' });
    // The production log level, written nowhere: a first answer's log line is part of its code.
    const log = exports.createLogger('info', () => undefined);
    const running = await exports.startServer(config, log, serverBundle);
    try {
      const { status } = await fetch(`${running.url}${FIRST_QUESTION}`);
      if (status !== 200) throw new Error(`bundle warm-up: ${FIRST_QUESTION} answered ${status}`);
    } finally {
      await running.close();
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
