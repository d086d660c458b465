// Which hosting provider the server runs at, in the app's enum: from userdata when it says, else from the machine.

export const SERVER_PROVIDERS = ['HETZNER', 'DIGITALOCEAN', 'OTHER'] as const;
export type ServerProvider = (typeof SERVER_PROVIDERS)[number];

/**
 * The firmware's vendor name (DMI `sys_vendor`) as the providers' virtual machines report it:
 * "Hetzner" on Hetzner Cloud, "DigitalOcean" on a droplet. Anything else (a home server, another
 * cloud, no DMI table) is OTHER, which the app handles by going on without a provider token.
 */
export function providerFromVendor(vendor: string | undefined): ServerProvider {
  const name = (vendor ?? '').trim().toLowerCase().replace(/[^a-z]/g, '');
  if (name.startsWith('hetzner')) return 'HETZNER';
  if (name.startsWith('digitalocean')) return 'DIGITALOCEAN';
  return 'OTHER';
}
