// The DNS records a server needs: DKIM file parsing, address and mail records, the whole list.
import { describe, expect, it } from 'vitest';
import { addressRecords, dkimValueFromRecordFile, mailRecords, requiredDnsRecords } from '../../../domain/dns-records.js';

// The shape opendkim-genkey writes (a short made-up key).
const DKIM_FILE = 'selector._domainkey\tIN\tTXT\t( "v=DKIM1; k=rsa; "\n\t  "p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC7" )  ; ----- DKIM key selector for example.org\n';
const BOTH = { ip4: '203.0.113.7', ip6: '2001:db8::7' };

describe('dkimValueFromRecordFile', () => {
  it('joins the quoted pieces between the parentheses and collapses whitespace', () => {
    expect(dkimValueFromRecordFile(DKIM_FILE)).toBe('v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC7');
  });

  it('gives nothing for a file without a parenthesised value', () => {
    expect(dkimValueFromRecordFile('v=DKIM1; p=abc')).toBeUndefined();
    expect(dkimValueFromRecordFile('selector IN TXT ( )')).toBeUndefined();
  });
});

describe('addressRecords', () => {
  it('gives A and AAAA records for the addresses the server has', () => {
    expect(addressRecords('git', 'Gitea', BOTH)).toEqual([
      { recordType: 'A', name: 'git', content: '203.0.113.7', ttl: 3600, priority: null, displayName: 'Gitea' },
      { recordType: 'AAAA', name: 'git', content: '2001:db8::7', ttl: 3600, priority: null, displayName: 'Gitea (IPv6)' },
    ]);
  });

  it('leaves out the family the server has no address of', () => {
    expect(addressRecords('git', 'Gitea', { ip4: '203.0.113.7', ip6: null }).map((record) => record.recordType)).toEqual(['A']);
    expect(addressRecords('git', 'Gitea', { ip4: null, ip6: null })).toEqual([]);
  });
});

describe('mailRecords', () => {
  it('has MX, DMARC, SPF naming both addresses, and DKIM when there is a key', () => {
    const records = mailRecords('example.org', BOTH, 'v=DKIM1; p=abc');
    expect(records.map((record) => [record.recordType, record.name])).toEqual([
      ['MX', 'example.org'],
      ['TXT', '_dmarc'],
      ['TXT', 'example.org'],
      ['TXT', 'selector._domainkey'],
    ]);
    expect(records[0]).toMatchObject({ content: 'example.org', priority: 10 });
    expect(records[2]?.content).toBe('v=spf1 a mx ip4:203.0.113.7 ip6:2001:db8::7 -all');
    expect(records[3]?.content).toBe('v=DKIM1; p=abc');
  });

  it('leaves out DKIM without a key', () => {
    expect(mailRecords('example.org', BOTH, undefined).some((record) => record.name.includes('_domainkey'))).toBe(false);
  });
});

describe('requiredDnsRecords', () => {
  it('lists the apex, each host, then mail', () => {
    const records = requiredDnsRecords({
      domain: 'example.org',
      addresses: { ip4: '203.0.113.7', ip6: null },
      dkim: undefined,
      hosts: [{ subdomain: 'api', displayName: 'SelfPrivacy API' }, { subdomain: 'cloud', displayName: 'Nextcloud' }],
    });
    expect(records.map((record) => `${record.recordType} ${record.name}`)).toEqual([
      'A example.org',
      'A api',
      'A cloud',
      'MX example.org',
      'TXT _dmarc',
      'TXT example.org',
    ]);
  });
});
