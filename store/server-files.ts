// Small read-only server files the API reports on: the domain, its DKIM record and the firmware's vendor.
import fs from 'node:fs';
import path from 'node:path';
import type { ServerPaths } from './server-paths.js';

function readIfPresent(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export class ServerFiles {
  constructor(private readonly paths: ServerPaths) {}

  /** First line of var/domain, or undefined when the file is missing or empty. */
  domain(): string | undefined {
    const first = readIfPresent(this.paths.domainFile)?.toString('utf8').split('\n')[0]?.trim();
    return first ? first : undefined;
  }

  /** The first line of sys/class/dmi/id/sys_vendor, or undefined when the machine has no DMI table. */
  dmiVendor(): string | undefined {
    const first = readIfPresent(this.paths.dmiVendor)?.toString('utf8').split('\n')[0]?.trim();
    return first ? first : undefined;
  }

  /** Bytes of var/dkim/<domain>.selector.txt, or undefined when absent. */
  dkimRecord(domain: string): Buffer | undefined {
    if (domain.includes('/') || domain.startsWith('.')) return undefined;
    return readIfPresent(path.join(this.paths.dkimFolder, `${domain}.selector.txt`));
  }
}
