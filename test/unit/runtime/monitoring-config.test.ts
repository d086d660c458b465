// The environment variables of the charts' metrics source, read by runtime/config.ts.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../runtime/config.js';

describe('monitoring configuration', () => {
  it('leaves the Prometheus address to the default and writes no service memory when nothing is set', () => {
    const config = loadConfig({});
    expect(config.prometheusUrl).toBeUndefined();
    expect(config.nodeExporterTextfileFolder).toBeUndefined();
    expect(config.serviceMemoryIntervalMs).toBe(15_000);
  });

  it('reads the Prometheus address, the textfile folder and the sampling interval', () => {
    const config = loadConfig({
      SELFPRIVACY_PROMETHEUS_URL: 'http://127.0.0.1:9090',
      SELFPRIVACY_NODE_EXPORTER_TEXTFILE_DIR: '/var/lib/prometheus-node-exporter-text',
      SELFPRIVACY_SERVICE_MEMORY_INTERVAL: '5',
    });
    expect(config).toMatchObject({ prometheusUrl: 'http://127.0.0.1:9090', nodeExporterTextfileFolder: '/var/lib/prometheus-node-exporter-text', serviceMemoryIntervalMs: 5_000 });
  });

  it('refuses a Prometheus address that is not http(s)', () => {
    expect(() => loadConfig({ SELFPRIVACY_PROMETHEUS_URL: 'file:///etc/passwd' })).toThrow('SELFPRIVACY_PROMETHEUS_URL must be an http:// or https:// address, got file:');
    expect(() => loadConfig({ SELFPRIVACY_PROMETHEUS_URL: '127.0.0.1:9001' })).toThrow(/SELFPRIVACY_PROMETHEUS_URL must be an http:\/\/ or https:\/\/ address/);
  });

  it('refuses a Prometheus address with credentials, which chart errors would show, without echoing them', () => {
    expect(() => loadConfig({ SELFPRIVACY_PROMETHEUS_URL: 'http://admin:hunter2@127.0.0.1:9001' })).toThrow('SELFPRIVACY_PROMETHEUS_URL must hold no user name or password');
    try {
      loadConfig({ SELFPRIVACY_PROMETHEUS_URL: 'http://admin:hunter2@127.0.0.1:9001' });
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2');
    }
  });

  it('refuses a sampling interval under a second', () => {
    expect(() => loadConfig({ SELFPRIVACY_SERVICE_MEMORY_INTERVAL: '0' })).toThrow(/SELFPRIVACY_SERVICE_MEMORY_INTERVAL must be a number of seconds, at least 1/);
  });
});
