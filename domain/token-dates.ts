// Dates in tokens.json: written as UTC `%Y-%m-%dT%H:%M:%S.%fZ`; the original's older
// `%Y-%m-%d %H:%M:%S.%f` (Python's str(datetime), fraction optional) is read as UTC too.

const DOCUMENTED = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{1,6})Z$/;
const PYTHON_STR = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/;

/** `2022-05-31T10:02:45.123000Z`: six fraction digits, as the documented schema requires. */
export function formatTokenDate(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

function fromParts(match: RegExpExecArray): Date | null {
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const millis = Number(((match[7] ?? '0') + '000000').slice(0, 6)) / 1000;
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second, Math.floor(millis)));
  // Reject impossible calendar values (Date.UTC would roll 2022-02-31 over into March).
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day
    || date.getUTCHours() !== hour || date.getUTCMinutes() !== minute || date.getUTCSeconds() !== second) {
    return null;
  }
  return date;
}

/** Parses a date a client sends (contract: the documented format only), or null. */
export function parseDocumentedDate(text: string): Date | null {
  const match = DOCUMENTED.exec(text);
  return match === null ? null : fromParts(match);
}

/** Parses a date stored in tokens.json in either format, or null when unreadable. */
export function parseStoredDate(text: unknown): Date | null {
  if (typeof text !== 'string') return null;
  const match = DOCUMENTED.exec(text) ?? PYTHON_STR.exec(text);
  return match === null ? null : fromParts(match);
}

/** A stored date as the API shows it: the documented format (microseconds kept) when readable, else as stored. */
export function displayStoredDate(text: unknown): string | null {
  if (text === null || text === undefined) return null;
  const match = typeof text === 'string' ? (DOCUMENTED.exec(text) ?? PYTHON_STR.exec(text)) : null;
  if (match === null || fromParts(match) === null) return String(text);
  const [year, month, day, hour, minute, second] = match.slice(1, 7);
  return `${year}-${month}-${day}T${hour}:${minute}:${second}.${(match[7] ?? '').padEnd(6, '0')}Z`;
}
