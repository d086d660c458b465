// Collecting the Nix store's garbage: old system generations deleted, then unreachable store paths.
import type { CommandRunner } from '../core/commands.js';

/** Deleting generations and walking the store takes minutes on a small server, long on a full one. */
const COLLECT_TIMEOUT_MS = 2 * 3600_000;

/**
 * `nix-collect-garbage --delete-old`: what upstream does in two steps (old generations of the
 * system profile, then `nix-store --gc`). Resolves when done; throws with the reason when it fails.
 */
export async function collectNixGarbage(system: CommandRunner): Promise<void> {
  const result = await system.run('nix-collect-garbage', ['--delete-old'], { timeoutMs: COLLECT_TIMEOUT_MS });
  if (result.exitCode === 0) return;
  if (result.exitCode === 127) throw new Error('nix-collect-garbage could not be started');
  const lastLine = result.stderr.trim().split('\n').at(-1) ?? '';
  throw new Error(`nix-collect-garbage exited with ${result.exitCode}${lastLine === '' ? '' : `: ${lastLine.slice(0, 300)}`}`);
}
