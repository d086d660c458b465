// Query.system: settings, versions, providers and the DNS records, each through the operation its REST twin runs.
import { ROOT_USERNAME } from '../../domain/ssh-key-holders.js';
import { providerFromVendor, SERVER_PROVIDERS, type ServerProvider } from '../../domain/server-provider.js';
import type { Userdata } from '../../store/userdata.js';
import { readSection } from '../../store/userdata-section.js';
import { getSshSettings } from '../../functions/ssh/get-ssh-settings.js';
import { listKeys } from '../../functions/ssh/list-keys.js';
import { getAutoUpgrade } from '../../functions/system/get-auto-upgrade.js';
import { getTimezone } from '../../functions/system/get-timezone.js';
import { getRuntimeVersion } from '../../functions/system/runtime-version.js';
import { getSystemVersion } from '../../functions/system/system-version.js';
import type { AreaResolvers, ResolverContext } from '../area.js';
import { serverDnsRecords, serverDomain } from './server-facts.js';

const DNS_PROVIDERS = ['CLOUDFLARE', 'DIGITALOCEAN', 'DESEC', 'PORKBUN'] as const;

function oneOf<T extends string>(value: unknown, allowed: readonly T[]): T | undefined {
  const upper = typeof value === 'string' ? value.toUpperCase() : undefined;
  return allowed.find((name) => name === upper);
}

/**
 * userdata's `dns.provider` where a newer installer wrote one; the servers of the 1.2 layout keep
 * their DNS at Cloudflare (the `cloudflare` section holds its token), the only provider they had.
 */
export function dnsProvider(data: Userdata): (typeof DNS_PROVIDERS)[number] {
  return oneOf(readSection(data, 'dns').provider, DNS_PROVIDERS) ?? 'CLOUDFLARE';
}

/**
 * userdata's `server.provider` when it names one the app knows; else what the machine's firmware
 * says (read only then: a configured server never needs the file).
 */
export function serverProvider(data: Userdata, readDmiVendor: () => string | undefined): ServerProvider {
  return oneOf(readSection(data, 'server').provider, SERVER_PROVIDERS) ?? providerFromVendor(readDmiVendor());
}

export const systemQueryResolvers: AreaResolvers = {
  System: {
    domainInfo: () => ({}),
    settings: () => ({}),
    info: () => ({}),
    provider: (_parent, _args, { ctx }: ResolverContext) => ({ provider: serverProvider(ctx.store.userdata.read(), () => ctx.store.files.dmiVendor()), id: 'UNKNOWN' }),
    busy: async (_parent, _args, { ctx }: ResolverContext) => (await ctx.jobs.list()).some((job) => job.state === 'running'),
    workingDirectory: (_parent, _args, { ctx }: ResolverContext) => ctx.store.paths.nixosConfig,
  },
  SystemDomainInfo: {
    domain: (_parent, _args, { ctx }: ResolverContext) => serverDomain(ctx) ?? '',
    hostname: (_parent, _args, { ctx }: ResolverContext) => {
      const hostname = ctx.store.userdata.read().hostname;
      return typeof hostname === 'string' ? hostname : '';
    },
    provider: (_parent, _args, { ctx }: ResolverContext) => dnsProvider(ctx.store.userdata.read()),
    requiredDnsRecords: (_parent, _args, rctx: ResolverContext) => serverDnsRecords(rctx),
  },
  SystemSettings: {
    autoUpgrade: (_parent, _args, { ctx }: ResolverContext) => getAutoUpgrade(ctx),
    ssh: (_parent, _args, { ctx }: ResolverContext) => ({ ...getSshSettings(ctx), rootSshKeys: listKeys(ctx, { username: ROOT_USERNAME }) }),
    timezone: (_parent, _args, { ctx }: ResolverContext) => getTimezone(ctx),
  },
  SystemInfo: {
    systemVersion: (_parent, _args, { ctx }: ResolverContext) => getSystemVersion(ctx),
    // The field keeps upstream's name; this API runs on Node.js, and says so (as /system/pythonVersion does).
    pythonVersion: () => getRuntimeVersion(),
    // Service data lives in its NixOS folders; nothing is bind-mounted from volumes.
    usingBinds: () => false,
  },
};
