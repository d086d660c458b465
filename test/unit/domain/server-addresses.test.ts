// The server's addresses from `ip -json address show scope global`.
import { describe, expect, it } from 'vitest';
import { parseIpAddressJson, readServerAddresses } from '../../../domain/server-addresses.js';
import { fakeRunner } from '../../helpers/function-call.js';
import { IP_JSON } from '../../helpers/ip-addresses.js';

describe('parseIpAddressJson', () => {
  it('takes the first global IPv4 and the first stable IPv6 address, never loopback', () => {
    expect(parseIpAddressJson(IP_JSON)).toEqual({ ip4: '203.0.113.7', ip6: '2001:db8::7' });
  });

  it('gives no addresses for output that is not ip\'s JSON', () => {
    expect(parseIpAddressJson('not json')).toEqual({ ip4: null, ip6: null });
    expect(parseIpAddressJson('{"ifname":"eth0"}')).toEqual({ ip4: null, ip6: null });
  });
});

describe('readServerAddresses', () => {
  it('asks ip for global addresses in JSON', async () => {
    const runner = fakeRunner(() => ({ stdout: IP_JSON }));
    expect(await readServerAddresses(runner)).toEqual({ ip4: '203.0.113.7', ip6: '2001:db8::7' });
    expect(runner.calls.map((call) => [call.command, call.args])).toEqual([['ip', ['-json', 'address', 'show', 'scope', 'global']]]);
  });

  it('gives no addresses when ip fails', async () => {
    expect(await readServerAddresses(fakeRunner(() => ({ exitCode: 127 })))).toEqual({ ip4: null, ip6: null });
  });
});
