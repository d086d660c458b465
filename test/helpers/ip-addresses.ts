// What `ip -json address show scope global` prints on a server with a public IPv4 and IPv6 address.

export const IP_JSON = JSON.stringify([
  { ifname: 'lo', addr_info: [{ family: 'inet', local: '127.0.0.1' }] },
  {
    ifname: 'eth0',
    addr_info: [
      { family: 'inet6', local: '2001:db8::aaaa', temporary: true },
      { family: 'inet', local: '203.0.113.7' },
      { family: 'inet6', local: '2001:db8::7' },
      { family: 'inet', local: '203.0.113.8' },
    ],
  },
]);
