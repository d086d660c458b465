// The start-up check that userdata.json is in the layout this server manages (the 1.2 layout), before anything runs.
import type { Store } from '../store/store.js';
import type { Userdata } from '../store/userdata.js';

/** Where the docs say which NixOS configurations this server works with. */
export const LAYOUT_DOCS_SECTION = 'docs/deploy.md, section "Which NixOS configurations"';

/**
 * Newer SelfPrivacy configurations keep each service under `modules.<id>` (with users in their
 * identity server instead of `users[]`). This server reads and writes the 1.2 layout (services
 * as top-level sections, users in `users[]`): on such a file it would answer every service as off
 * and write switches NixOS never reads, so it refuses to start instead of misreporting.
 */
export function unmanagedLayout(data: Userdata): string | undefined {
  const modules = data.modules;
  if (typeof modules === 'object' && modules !== null && !Array.isArray(modules) && Object.keys(modules).length > 0) {
    return 'services under "modules.<id>" (the SelfPrivacy modules layout)';
  }
  return undefined;
}

export class UnmanagedLayoutError extends Error {
  constructor(layout: string, file: string) {
    super(`${file} is in a layout this server does not manage: ${layout}; it works with the userdata.json 1.2 layout only (see ${LAYOUT_DOCS_SECTION})`);
    this.name = 'UnmanagedLayoutError';
  }
}

/** Throws (the server does not start) when userdata.json exists in a layout this server does not manage. */
export function assertManagedLayout(store: Store): void {
  // A missing or unreadable file is the migrations' and the store's to report, as before.
  if (!store.userdata.exists()) return;
  let data: Userdata;
  try {
    data = store.userdata.read();
  } catch {
    return;
  }
  const layout = unmanagedLayout(data);
  if (layout !== undefined) throw new UnmanagedLayoutError(layout, store.paths.userdata);
}
