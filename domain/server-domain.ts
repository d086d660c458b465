// The server's domain: userdata's `domain`, else the first line of var/domain (as the DKIM endpoint reads it).
import type { ServerFiles } from '../store/server-files.js';
import type { Userdata } from '../store/userdata.js';

export function serverDomainOf(data: Userdata, files: ServerFiles): string | undefined {
  return typeof data.domain === 'string' && data.domain !== '' ? data.domain : files.domain();
}
