// Disks as lsblk reports them: the model and serial the app matches with the provider's volumes.
import type { CommandRunner } from '../core/commands.js';

export interface BlockDevice {
  /** Kernel name, e.g. `sdb` or `sda1`. */
  name: string;
  /** Device path, e.g. `/dev/sdb`. */
  path: string;
  /** `disk`, `part`, … */
  type: string;
  model: string | null;
  serial: string | null;
  /** The disk a partition is on (its kernel name); null for a disk. */
  parent: string | null;
}

/** Only the columns asked for, as JSON: no parsing of lsblk's aligned text. */
export const LSBLK_ARGS = ['--json', '--output', 'NAME,PATH,TYPE,MODEL,SERIAL,PKNAME'] as const;

const LSBLK_TIMEOUT_MS = 10_000;

function text(value: unknown): string | null {
  // lsblk pads model names with spaces (the disk's own field is fixed-width).
  const trimmed = typeof value === 'string' ? value.trim() : '';
  return trimmed === '' ? null : trimmed;
}

/** lsblk's JSON, flattened (partitions come as `children` of their disk); anything unreadable is left out. */
export function parseLsblk(stdout: string): BlockDevice[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    return [];
  }
  const devices: BlockDevice[] = [];
  const walk = (entries: unknown, parent: string | null): void => {
    if (!Array.isArray(entries)) return;
    for (const entry of entries as Array<Record<string, unknown>>) {
      const name = text(entry?.name);
      if (name === null) continue;
      devices.push({
        name,
        path: text(entry.path) ?? `/dev/${name}`,
        type: text(entry.type) ?? 'unknown',
        model: text(entry.model),
        serial: text(entry.serial),
        parent: text(entry.pkname) ?? parent,
      });
      walk(entry.children, name);
    }
  };
  walk((parsed as { blockdevices?: unknown })?.blockdevices, null);
  return devices;
}

/** Every block device; none when lsblk is missing or fails (the volumes are then shown without model and serial). */
export async function readBlockDevices(system: CommandRunner): Promise<BlockDevice[]> {
  const result = await system.run('lsblk', [...LSBLK_ARGS], { timeoutMs: LSBLK_TIMEOUT_MS });
  return result.exitCode === 0 ? parseLsblk(result.stdout) : [];
}

/** Model and serial of the disk a device (`/dev/sdb`, `/dev/sda1`) is, or is a partition of. */
export function diskIdentity(devices: readonly BlockDevice[], devicePath: string): { model: string | null; serial: string | null } {
  const device = devices.find((each) => each.path === devicePath);
  if (device === undefined) return { model: null, serial: null };
  const disk = device.parent === null ? device : (devices.find((each) => each.name === device.parent) ?? device);
  return { model: device.model ?? disk.model, serial: device.serial ?? disk.serial };
}
