// The DNS records a SelfPrivacy server needs, computed from its domain, addresses, DKIM key and services.

export interface DnsRecord {
  recordType: 'A' | 'AAAA' | 'MX' | 'TXT';
  /** The full domain for records at the apex, else the label under it (`api`, `_dmarc`). */
  name: string;
  content: string;
  ttl: number;
  priority: number | null;
  displayName: string;
}

export interface ServerAddresses {
  ip4: string | null;
  ip6: string | null;
}

/** A host name under the domain that must point at the server. */
export interface HostRecordSource {
  subdomain: string;
  displayName: string;
}

export interface RequiredRecordsInput {
  domain: string;
  addresses: ServerAddresses;
  /** The DKIM TXT value (`v=DKIM1; k=rsa; p=…`), when the mail server has made its key. */
  dkim: string | undefined;
  /** The API's own host first, then each enabled service with a subdomain. */
  hosts: readonly HostRecordSource[];
}

/** Address records change when a server moves: an hour. Mail policy records change rarely: five hours. */
const ADDRESS_TTL = 3600;
const POLICY_TTL = 18000;
const MX_PRIORITY = 10;
/** The DKIM selector simple-nixos-mailserver signs with. */
export const DKIM_SELECTOR = 'selector';

/**
 * The TXT value inside the zone-file line opendkim-genkey writes
 * (`selector._domainkey IN TXT ( "v=DKIM1; k=rsa; " "p=…" ) ; comment`): the quoted pieces
 * joined, whitespace collapsed. Undefined when the text has no parenthesised value.
 */
export function dkimValueFromRecordFile(text: string): string | undefined {
  const open = text.indexOf('(');
  const close = text.indexOf(')', open + 1);
  if (open === -1 || close === -1) return undefined;
  const value = text.slice(open + 1, close).replaceAll('"', '').split(/\s+/).filter(Boolean).join(' ');
  return value === '' ? undefined : value;
}

/** A and AAAA records for a name, for each address the server has. */
export function addressRecords(name: string, displayName: string, addresses: ServerAddresses): DnsRecord[] {
  const records: DnsRecord[] = [];
  if (addresses.ip4 !== null) records.push({ recordType: 'A', name, content: addresses.ip4, ttl: ADDRESS_TTL, priority: null, displayName });
  if (addresses.ip6 !== null) {
    records.push({ recordType: 'AAAA', name, content: addresses.ip6, ttl: ADDRESS_TTL, priority: null, displayName: `${displayName} (IPv6)` });
  }
  return records;
}

/** The mail server's records: MX to the domain, SPF naming the server, DMARC, and DKIM when there is a key. */
export function mailRecords(domain: string, addresses: ServerAddresses, dkim: string | undefined): DnsRecord[] {
  const spfAddresses = [addresses.ip4 === null ? [] : [`ip4:${addresses.ip4}`], addresses.ip6 === null ? [] : [`ip6:${addresses.ip6}`]].flat();
  const records: DnsRecord[] = [
    { recordType: 'MX', name: domain, content: domain, ttl: ADDRESS_TTL, priority: MX_PRIORITY, displayName: 'Mail server record' },
    { recordType: 'TXT', name: '_dmarc', content: 'v=DMARC1; p=none', ttl: POLICY_TTL, priority: null, displayName: 'DMARC record' },
    { recordType: 'TXT', name: domain, content: ['v=spf1 a mx', ...spfAddresses, '-all'].join(' '), ttl: POLICY_TTL, priority: null, displayName: 'SPF record' },
  ];
  if (dkim !== undefined) {
    records.push({ recordType: 'TXT', name: `${DKIM_SELECTOR}._domainkey`, content: dkim, ttl: POLICY_TTL, priority: null, displayName: 'DKIM key' });
  }
  return records;
}

/** Every record the server needs: the domain itself, the API and service hosts, then mail's. */
export function requiredDnsRecords(input: RequiredRecordsInput): DnsRecord[] {
  return [
    ...addressRecords(input.domain, 'Root domain', input.addresses),
    ...input.hosts.flatMap((host) => addressRecords(host.subdomain, host.displayName, input.addresses)),
    ...mailRecords(input.domain, input.addresses, input.dkim),
  ];
}
