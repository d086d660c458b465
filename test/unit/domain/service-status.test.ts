// A service's state from `systemctl is-active`, one word per unit.
import { describe, expect, it } from 'vitest';
import { serviceStatusFromIsActive } from '../../../domain/service-status.js';

describe('serviceStatusFromIsActive', () => {
  it('maps each word systemctl prints to upstream\'s status', () => {
    expect(serviceStatusFromIsActive('active\n', 1)).toBe('ACTIVE');
    expect(serviceStatusFromIsActive('inactive\n', 1)).toBe('INACTIVE');
    expect(serviceStatusFromIsActive('failed\n', 1)).toBe('FAILED');
    expect(serviceStatusFromIsActive('activating\n', 1)).toBe('ACTIVATING');
    expect(serviceStatusFromIsActive('deactivating\n', 1)).toBe('DEACTIVATING');
    expect(serviceStatusFromIsActive('reloading\n', 1)).toBe('RELOADING');
  });

  it('calls a unit systemd does not know, or no answer, OFF', () => {
    expect(serviceStatusFromIsActive('unknown\n', 1)).toBe('OFF');
    expect(serviceStatusFromIsActive('', 1)).toBe('OFF');
  });

  it('lets the unit furthest from running speak for a service of several units', () => {
    expect(serviceStatusFromIsActive('active\nactive\n', 2)).toBe('ACTIVE');
    expect(serviceStatusFromIsActive('active\nfailed\n', 2)).toBe('FAILED');
    expect(serviceStatusFromIsActive('active\nactivating\n', 2)).toBe('ACTIVATING');
    expect(serviceStatusFromIsActive('active\n', 2)).toBe('OFF');
  });
});
