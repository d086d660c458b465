// Service memory for node exporter's textfile collector: read from systemd, summed per service, written atomically.
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  SERVICE_MEMORY_FILE, memoryByService, parseUnitMemory, renderServiceMemory, startServiceMemoryExport,
} from '../../../domain/monitoring/service-memory.js';
import { fakeRunner } from '../../helpers/fake-runner.js';
import { recordingLogger } from '../../helpers/recording-logger.js';
import { useTempRoot } from '../../helpers/setup.js';

/** What `systemctl show --property=Id --property=MemoryCurrent` prints: one block per unit, properties in systemd's order. */
const SHOW_OUTPUT = [
  'MemoryCurrent=41943040\nId=dovecot2.service',
  'MemoryCurrent=10485760\nId=postfix.service',
  'MemoryCurrent=[not set]\nId=vaultwarden.service',
  'MemoryCurrent=18446744073709551615\nId=gitea.service',
  'MemoryCurrent=209715200\nId=phpfpm-nextcloud.service',
  'MemoryCurrent=\nId=ocserv.service',
  'MemoryCurrent=[not set]\nId=pleroma.service',
].join('\n\n') + '\n';

describe('parseUnitMemory', () => {
  it('reads each unit\'s bytes and leaves out units whose memory systemd does not account', () => {
    expect(parseUnitMemory(SHOW_OUTPUT)).toEqual(new Map([['dovecot2.service', 41943040], ['postfix.service', 10485760], ['phpfpm-nextcloud.service', 209715200]]));
  });
});

describe('memoryByService', () => {
  it('sums the units of each catalog service; a service with no running unit is absent', () => {
    expect(memoryByService(parseUnitMemory(SHOW_OUTPUT))).toEqual(new Map([['simple-nixos-mailserver', 52428800], ['nextcloud', 209715200]]));
  });
});

describe('renderServiceMemory', () => {
  it('writes one gauge line per service in Prometheus\'s text format', () => {
    expect(renderServiceMemory(new Map([['nextcloud', 209715200]]))).toBe([
      '# HELP selfprivacy_service_memory_bytes Memory in use by the systemd units of a SelfPrivacy service, in bytes.',
      '# TYPE selfprivacy_service_memory_bytes gauge',
      'selfprivacy_service_memory_bytes{service="nextcloud"} 209715200',
      '',
    ].join('\n'));
  });
});

describe('startServiceMemoryExport', () => {
  const temp = useTempRoot();
  let folder: string;
  beforeEach(() => {
    folder = path.join(temp.root, 'textfiles');
    fs.mkdirSync(folder);
  });

  it('asks systemctl for the catalog\'s units and writes the file node exporter reads, readable by it', async () => {
    const system = fakeRunner(() => ({ stdout: SHOW_OUTPUT }));
    const exporter = startServiceMemoryExport({ system, log: recordingLogger().log, folder, intervalMs: 60_000 });
    await exporter.sample();
    await exporter.stop();
    expect(system.calls[0]).toMatchObject({
      command: 'systemctl',
      args: ['show', '--property=Id', '--property=MemoryCurrent', '--', 'dovecot2.service', 'postfix.service', 'vaultwarden.service', 'gitea.service',
        'phpfpm-nextcloud.service', 'ocserv.service', 'pleroma.service'],
    });
    const file = path.join(folder, SERVICE_MEMORY_FILE);
    expect(fs.readFileSync(file, 'utf8')).toContain('selfprivacy_service_memory_bytes{service="simple-nixos-mailserver"} 52428800\n');
    expect(fs.statSync(file).mode & 0o777).toBe(0o644);
    // Only the finished file: no temporary file is left for the collector to trip over.
    expect(fs.readdirSync(folder)).toEqual([SERVICE_MEMORY_FILE]);
  });

  it('keeps only the header when systemctl fails, so no old figure is served as current, and logs it once', async () => {
    let failing = false;
    const system = fakeRunner(() => (failing ? { exitCode: 1, stderr: 'Failed to connect to bus' } : { stdout: SHOW_OUTPUT }));
    const logger = recordingLogger();
    const exporter = startServiceMemoryExport({ system, log: logger.log, folder, intervalMs: 60_000 });
    await exporter.sample();
    failing = true;
    await exporter.sample();
    await exporter.sample();
    await exporter.stop();
    expect(fs.readFileSync(path.join(folder, SERVICE_MEMORY_FILE), 'utf8')).not.toContain('service=');
    const warnings = logger.entries().filter((entry) => entry.msg === 'cannot read service memory');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.errorMessage).toBe('systemctl show exited with 1: Failed to connect to bus');
  });
});
