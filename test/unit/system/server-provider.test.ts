// The app's provider enum from the firmware's vendor name.
import { describe, expect, it } from 'vitest';
import { providerFromVendor } from '../../../domain/server-provider.js';

describe('providerFromVendor', () => {
  it('knows Hetzner and DigitalOcean however the firmware writes them, and nothing else', () => {
    expect(['Hetzner', 'Hetzner Online GmbH', ' HETZNER\n'].map(providerFromVendor)).toEqual(['HETZNER', 'HETZNER', 'HETZNER']);
    expect(['DigitalOcean', 'Digital Ocean', 'digitalocean'].map(providerFromVendor)).toEqual(['DIGITALOCEAN', 'DIGITALOCEAN', 'DIGITALOCEAN']);
    expect(['QEMU', 'Dell Inc.', '', undefined, 'Not Hetzner'].map(providerFromVendor)).toEqual(['OTHER', 'OTHER', 'OTHER', 'OTHER', 'OTHER']);
  });
});
