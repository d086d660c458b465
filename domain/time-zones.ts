// Which time zone names the API accepts: IANA names the runtime's tz database knows, spelled exactly.

export const DEFAULT_TIME_ZONE = 'Europe/Uzhgorod';

/** Longest IANA name is 32 characters ("America/Argentina/ComodRivadavia"); anything far longer is not one. */
export const MAX_TIME_ZONE_LENGTH = 64;

// Built on the first check rather than at start-up: listing ICU's zones takes a millisecond or two.
let canonicalNames: Set<string> | undefined;
const isCanonicalName = (name: string): boolean => (canonicalNames ??= new Set(Intl.supportedValuesOf('timeZone'))).has(name);

/** The shape of an IANA name: path segments of letters, digits, `_`, `-`, `+`, each starting with a capital. */
const IANA_SHAPE = /^[A-Z][A-Za-z0-9_+-]*(?:\/[A-Z][A-Za-z0-9_+-]*)*$/;

function runtimeCanonicalName(name: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/**
 * True for a name NixOS can use as `time.timeZone`: a canonical zone, or a link the runtime
 * resolves (e.g. "Europe/Uzhgorod", "US/Pacific"). ICU matches names case-insensitively but the
 * zoneinfo files NixOS looks up do not, so a different spelling of a known name ("europe/moscow")
 * is refused rather than stored.
 */
export function isTimeZoneName(name: string): boolean {
  if (name.length > MAX_TIME_ZONE_LENGTH || !IANA_SHAPE.test(name)) return false;
  if (isCanonicalName(name)) return true;
  const canonical = runtimeCanonicalName(name);
  if (canonical === undefined) return false;
  if (canonical === name) return true;
  // A link: refuse it when it is only another spelling of its own target.
  return canonical.toLowerCase() !== name.toLowerCase();
}
