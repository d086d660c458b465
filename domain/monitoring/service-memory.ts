// Memory of each service (its systemd units' cgroups), written for node exporter's textfile collector to serve to Prometheus.
import path from 'node:path';
import type { CommandRunner } from '../../core/commands.js';
import type { Logger } from '../../core/logger.js';
import { writeFileAtomic } from '../../store/atomic-write.js';
import { SERVICE_CATALOG, type ServiceDescriptor } from '../service-catalog.js';

/** The gauge Prometheus keeps, one series per service (label `service`: the id the app knows it by). */
export const SERVICE_MEMORY_METRIC = 'selfprivacy_service_memory_bytes';

/**
 * The file in the textfile collector's folder. The collector reads every `*.prom` there on each
 * scrape; the atomic write's temporary name ends in `.tmp`, so a half-written file is never read.
 */
export const SERVICE_MEMORY_FILE = 'selfprivacy-services.prom';

const SHOW_TIMEOUT_MS = 10_000;

/** What `systemctl show` prints for a unit whose memory is not accounted (stopped, or accounting off). */
const UNKNOWN_MEMORY = new Set(['', '[not set]', '18446744073709551615']);

/**
 * `systemctl show` of every catalog unit at once: blocks of `Key=value` lines, one block per unit,
 * blank lines between. Returns each unit's current memory in bytes; units without one are left out.
 */
export function parseUnitMemory(stdout: string): Map<string, number> {
  const memory = new Map<string, number>();
  for (const block of stdout.split(/\n\s*\n/)) {
    const fields = new Map(block.split('\n').filter((line) => line.includes('=')).map((line) => {
      const at = line.indexOf('=');
      return [line.slice(0, at).trim(), line.slice(at + 1).trim()] as const;
    }));
    const id = fields.get('Id');
    const bytes = fields.get('MemoryCurrent') ?? '';
    if (id !== undefined && !UNKNOWN_MEMORY.has(bytes) && /^\d+$/.test(bytes)) memory.set(id, Number(bytes));
  }
  return memory;
}

const unitFile = (unit: string): string => (unit.includes('.') ? unit : `${unit}.service`);

/** Each service with at least one running unit, and the sum of its units' memory. */
export function memoryByService(unitMemory: ReadonlyMap<string, number>, catalog: readonly ServiceDescriptor[] = SERVICE_CATALOG): Map<string, number> {
  const byService = new Map<string, number>();
  for (const service of catalog) {
    const known = service.units.map(unitFile).filter((unit) => unitMemory.has(unit));
    if (known.length > 0) byService.set(service.id, known.reduce((sum, unit) => sum + (unitMemory.get(unit) ?? 0), 0));
  }
  return byService;
}

/** Prometheus's text format; label values are catalog ids, escaped all the same. */
export function renderServiceMemory(byService: ReadonlyMap<string, number>): string {
  const escape = (value: string): string => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
  const lines = [
    `# HELP ${SERVICE_MEMORY_METRIC} Memory in use by the systemd units of a SelfPrivacy service, in bytes.`,
    `# TYPE ${SERVICE_MEMORY_METRIC} gauge`,
    ...[...byService].map(([service, bytes]) => `${SERVICE_MEMORY_METRIC}{service="${escape(service)}"} ${bytes}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** Asks systemd for the memory of every catalog unit; a failed `systemctl` is thrown with its reason. */
export async function readServiceMemory(system: CommandRunner): Promise<Map<string, number>> {
  const units = SERVICE_CATALOG.flatMap((service) => service.units.map(unitFile));
  const result = await system.run('systemctl', ['show', '--property=Id', '--property=MemoryCurrent', '--', ...units], { timeoutMs: SHOW_TIMEOUT_MS });
  if (result.exitCode !== 0) throw new Error(`systemctl show exited with ${result.exitCode}: ${result.stderr.trim().slice(0, 200)}`);
  return memoryByService(parseUnitMemory(result.stdout));
}

export interface ServiceMemoryExport {
  /** Writes the file once now (the sampler's step; tests call it to not wait for the timer). */
  sample(): Promise<void>;
  stop(): Promise<void>;
}

export interface ServiceMemoryExportOptions {
  system: CommandRunner;
  log: Logger;
  /** The textfile collector's folder. */
  folder: string;
  intervalMs: number;
}

/**
 * Samples every `intervalMs` and rewrites the file. When systemd cannot be asked, the file keeps
 * its header only: Prometheus then has no value rather than an old one shown as current.
 */
export function startServiceMemoryExport({ system, log, folder, intervalMs }: ServiceMemoryExportOptions): ServiceMemoryExport {
  const target = path.join(folder, SERVICE_MEMORY_FILE);
  let failing = false;
  let running: Promise<void> = Promise.resolve();
  const sampleOnce = async (): Promise<void> => {
    let byService = new Map<string, number>();
    try {
      byService = await readServiceMemory(system);
      if (failing) log.info('service memory readable again');
      failing = false;
    } catch (error) {
      // Once per outage, not once per sample.
      if (!failing) log.warn('cannot read service memory', { errorMessage: (error as Error).message });
      failing = true;
    }
    try {
      // Readable by node exporter's own user; the figures are memory sizes, not secrets.
      await writeFileAtomic(target, renderServiceMemory(byService), { mode: 0o644 });
    } catch (error) {
      log.warn('cannot write service memory file', { file: target, errorMessage: (error as Error).message });
    }
  };
  // Samples never overlap: a slow systemctl delays the next one instead of piling up.
  const sample = (): Promise<void> => (running = running.then(sampleOnce));
  void sample();
  const timer = setInterval(() => void sample(), intervalMs);
  timer.unref();
  return {
    sample,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
