// Facts about the server several GraphQL areas share: its domain, addresses, DKIM key and the DNS records they give.
import { requiredDnsRecords, dkimValueFromRecordFile, type DnsRecord, type ServerAddresses } from '../../domain/dns-records.js';
import { API_SUBDOMAIN, SERVICE_CATALOG, type ServiceDescriptor } from '../../domain/service-catalog.js';
import { readServerAddresses } from '../../domain/server-addresses.js';
import { serverDomainOf } from '../../domain/server-domain.js';
import type { Ctx } from '../../kit/context.js';
import { readFlag } from '../../store/userdata-section.js';
import getDkimKey from '../../functions/services/dkim.js';
import type { ResolverContext } from '../area.js';
import { callFunction } from '../call-function.js';
import { oncePerOperation } from './request-memo.js';

/** The server's domain: userdata's `domain`, else the first line of var/domain (as the DKIM endpoint reads it). */
export function serverDomain(ctx: Ctx): string | undefined {
  return serverDomainOf(ctx.store.userdata.read(), ctx.store.files);
}

/** Whether a service is switched on in userdata; one without a switch (mail) always is. */
export function isServiceEnabled(ctx: Ctx, service: ServiceDescriptor): boolean {
  return service.toggle === null || readFlag(ctx.store.userdata.read(), service.toggle, 'enable', false);
}

export function serverAddresses(rctx: ResolverContext): Promise<ServerAddresses> {
  return oncePerOperation(rctx, 'addresses', () => readServerAddresses(rctx.ctx.system));
}

/** The DKIM TXT value, read through the same unit as GET /services/mailserver/dkim; undefined when there is none yet. */
export async function dkimValue(rctx: ResolverContext): Promise<string | undefined> {
  const outcome = await callFunction(getDkimKey, rctx, { method: 'GET', path: '/services/mailserver/dkim' });
  if (outcome.status !== 200 || typeof outcome.body !== 'string') return undefined;
  return dkimValueFromRecordFile(Buffer.from(outcome.body, 'base64').toString('utf8'));
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
  const [addresses, dkim] = await Promise.all([serverAddresses(rctx), dkimValue(rctx)]);
  return requiredDnsRecords({ domain, addresses, dkim, hosts });
}
