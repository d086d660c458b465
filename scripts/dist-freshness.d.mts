// Types of dist-freshness.mjs, which is plain JavaScript because it runs before any build.
/** Why dist/ must be built again, or null when every output is newer than every source. */
export function staleBuildReason(projectRoot?: string): string | null;
