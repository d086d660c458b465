// Debian's Chromium for the tests of pages a person opens, started as this machine allows.
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** How long a page may take to show something: the machine may be busy with other test files. */
export const UI_TIMEOUT_MS = 60_000;

/**
 * Headless Chromium. As root it needs --no-sandbox; the background-networking flags keep it from
 * calling out of a machine whose only network is loopback.
 */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} missing: apt-get install chromium (see .ci/run)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
