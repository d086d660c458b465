// Facts about the server several GraphQL areas share: its domain, addresses, DKIM key and the DNS records they give.
import { requiredDnsRecords, dkimValueFromRecordFile, type DnsRecord, type ServerAddresses } from '../../domain/dns-records.js';
import { API_SUBDOMAIN, isServiceOn, SERVICE_CATALOG, type ServiceDescriptor } from '../../domain/service-catalog.js';
import { readServerAddresses } from '../../domain/server-addresses.js';
import { serverDomainOf } from '../../domain/server-domain.js';
import type { Ctx } from '../../kit/context.js';
import { HttpError } from '../../core/errors.js';
import { getDkimKey } from '../../functions/services/dkim.js';
import type { ResolverContext } from '../area.js';
import { oncePerOperation } from './request-memo.js';

/** The server's domain: userdata's `domain`, else the first line of var/domain (as the DKIM endpoint reads it). */
export function serverDomain(ctx: Ctx): string | undefined {
  return serverDomainOf(ctx.store.userdata.read(), ctx.store.files);
}

/** Whether a service is switched on in userdata; one without a switch (mail) always is. */
export function isServiceEnabled(ctx: Ctx, service: ServiceDescriptor): boolean {
  return isServiceOn(ctx.store.userdata.read(), service);
}

export function serverAddresses(rctx: ResolverContext): Promise<ServerAddresses> {
  return oncePerOperation(rctx, 'addresses', () => readServerAddresses(rctx.ctx.system));
}

/** The DKIM TXT value, read by the operation of GET /services/mailserver/dkim; undefined when there is none yet. */
export function dkimValue(ctx: Ctx): string | undefined {
  let record: Buffer;
  try {
    record = getDkimKey(ctx);
  } catch (error) {
    if (error instanceof HttpError) return undefined;
    throw error;
  }
  return dkimValueFromRecordFile(record.toString('utf8'));
}

/** Every record the server needs: its domain, the API, each enabled service with a host, and mail. */
export async function serverDnsRecords(rctx: ResolverContext): Promise<DnsRecord[]> {
  const domain = serverDomain(rctx.ctx);
  if (domain === undefined) return [];
  const hosts = [
    { subdomain: API_SUBDOMAIN, displayName: 'SelfPrivacy API' },
    ...SERVICE_CATALOG.filter((service) => service.subdomain !== null && isServiceEnabled(rctx.ctx, service)).map((service) => ({
      subdomain: service.subdomain as string,
      displayName: service.displayName,
    })),
  ];
  return requiredDnsRecords({ domain, addresses: await serverAddresses(rctx), dkim: dkimValue(rctx.ctx), hosts });
}
