// The fields of a Service over GraphQL, each read only when selected (status asks systemctl, usage reads the report).
import { addressRecords, mailRecords, type DnsRecord } from '../../domain/dns-records.js';
import { BACKUP_DESCRIPTION, MAIL_SERVICE_ID, type ServiceDescriptor } from '../../domain/service-catalog.js';
import { isActive, serviceStatusFromIsActive, type ServiceStatus } from '../../domain/service-status.js';
import type { FieldResolver, ResolverContext } from '../area.js';
import { serviceIconBase64 } from './service-icons.js';
import { dkimValue, isServiceEnabled, serverAddresses, serverDomain } from './server-facts.js';
import { serviceUsage, storageReport, type ServiceUsageView } from './storage-view.js';
import { serviceSnapshotViews } from './snapshot-view.js';

/** A service switched off in userdata is OFF whatever its units say; otherwise its units' state. */
export async function serviceStatus(service: ServiceDescriptor, rctx: ResolverContext): Promise<ServiceStatus> {
  if (!isServiceEnabled(rctx.ctx, service) || service.units.length === 0) return 'OFF';
  const result = await isActive(rctx.ctx.system, service.units);
  return serviceStatusFromIsActive(result.stdout, service.units.length);
}

async function serviceDnsRecords(service: ServiceDescriptor, rctx: ResolverContext): Promise<DnsRecord[]> {
  const domain = serverDomain(rctx.ctx);
  if (domain === undefined) return [];
  const addresses = await serverAddresses(rctx);
  if (service.id === MAIL_SERVICE_ID) return mailRecords(domain, addresses, dkimValue(rctx.ctx));
  return service.subdomain === null ? [] : addressRecords(service.subdomain, service.displayName, addresses);
}

async function storageUsage(service: ServiceDescriptor, rctx: ResolverContext): Promise<ServiceUsageView> {
  try {
    return serviceUsage(await storageReport(rctx), service);
  } catch {
    // The mount table could not be read: the size is unknown and no volume can be named.
    return { title: service.displayName, usedSpace: '0', volume: null, service };
  }
}

function url(service: ServiceDescriptor, rctx: ResolverContext): string | null {
  const domain = serverDomain(rctx.ctx);
  return service.hasWebPage && service.subdomain !== null && domain !== undefined ? `https://${service.subdomain}.${domain}` : null;
}

const field = (read: (service: ServiceDescriptor, rctx: ResolverContext) => unknown): FieldResolver => (service: ServiceDescriptor, _args, rctx) => read(service, rctx);

/** Resolvers of `type Service`; the parent is the service's catalog entry. */
export const serviceFieldResolvers: Record<string, FieldResolver> = {
  svgIcon: field((service) => serviceIconBase64(service.id)),
  // Services live where NixOS put them; this server cannot move them between volumes.
  isMovable: field(() => false),
  isRequired: field((service) => service.required),
  isEnabled: field((service, rctx) => isServiceEnabled(rctx.ctx, service)),
  isInstalled: field(() => true),
  isSystemService: field(() => false),
  canBeBackedUp: field(() => true),
  backupDescription: field(() => BACKUP_DESCRIPTION),
  status: field(serviceStatus),
  url: field(url),
  license: field((service) =>
    service.licenses.map((license) => ({
      ...license,
      shortName: license.spdxId,
      deprecated: false,
      url: `https://spdx.org/licenses/${license.spdxId}.html`,
    })),
  ),
  supportLevel: field(() => 'NORMAL'),
  dnsRecords: field(serviceDnsRecords),
  storageUsage: field(storageUsage),
  // No service here has settings the API can change.
  configuration: field(() => []),
  backupSnapshots: field((service, rctx) => serviceSnapshotViews(rctx.ctx, service.id)),
};
