// The server's public addresses, from `ip -json address show scope global` (for its DNS records).
import type { CommandRunner } from '../core/commands.js';
import type { ServerAddresses } from './dns-records.js';

interface AddressInfo {
  family?: unknown;
  local?: unknown;
  temporary?: unknown;
  deprecated?: unknown;
}

const IP_TIMEOUT_MS = 10_000;

/**
 * The first global IPv4 and IPv6 address of any interface but loopback, from ip's JSON; a
 * temporary (privacy) or deprecated IPv6 address is not one a DNS record should name.
 */
export function parseIpAddressJson(stdout: string): ServerAddresses {
  const found: ServerAddresses = { ip4: null, ip6: null };
  let links: unknown;
  try {
    links = JSON.parse(stdout);
  } catch {
    return found;
  }
  if (!Array.isArray(links)) return found;
  for (const link of links as Array<{ ifname?: unknown; addr_info?: unknown }>) {
    if (link === null || typeof link !== 'object' || link.ifname === 'lo' || !Array.isArray(link.addr_info)) continue;
    for (const info of link.addr_info as AddressInfo[]) {
      if (info === null || typeof info !== 'object' || typeof info.local !== 'string') continue;
      if (info.family === 'inet' && found.ip4 === null) found.ip4 = info.local;
      if (info.family === 'inet6' && found.ip6 === null && info.temporary !== true && info.deprecated !== true) found.ip6 = info.local;
    }
  }
  return found;
}

/** Asks `ip` for the addresses; none when ip is missing or fails (the records then name no address). */
export async function readServerAddresses(system: CommandRunner): Promise<ServerAddresses> {
  const result = await system.run('ip', ['-json', 'address', 'show', 'scope', 'global'], { timeoutMs: IP_TIMEOUT_MS });
  return result.exitCode === 0 ? parseIpAddressJson(result.stdout) : { ip4: null, ip6: null };
}
