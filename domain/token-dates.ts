// Dates in tokens.json: written as UTC `%Y-%m-%dT%H:%M:%S.%fZ`; the original's older
// `%Y-%m-%d %H:%M:%S.%f` (Python's str(datetime), fraction optional) is read as UTC too.

const DOCUMENTED = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{1,6})Z$/;
const PYTHON_STR = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/;

/** `2022-05-31T10:02:45.123000Z`: six fraction digits, as the documented schema requires. */
export function formatTokenDate(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

type CalendarFields = [year: number, month: number, day: number, hour: number, minute: number, second: number];

/**
 * The six numbers of a match, or null when they are no real time (2022-02-31, 24:00, :60).
 * Arithmetic, not a Date round trip: GET /auth/tokens checks every device's date on every call.
 * Years below 100 are refused, as they always were (Date.UTC reads them as 19xx).
 */
function calendarFields(match: RegExpExecArray): CalendarFields | null {
  const fields = [Number(match[1]), Number(match[2]), Number(match[3]), Number(match[4]), Number(match[5]), Number(match[6])] as CalendarFields;
  const [year, month, day, hour, minute, second] = fields;
  if (year < 100 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const monthDays = month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] as number);
  return day <= monthDays ? fields : null;
}

function fromParts(match: RegExpExecArray): Date | null {
  const fields = calendarFields(match);
  if (fields === null) return null;
  const [year, month, day, hour, minute, second] = fields;
  const millis = Number(((match[7] ?? '0') + '000000').slice(0, 6)) / 1000;
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, Math.floor(millis)));
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

function displayDate(text: unknown): string | null {
  if (text === null || text === undefined) return null;
  const match = typeof text === 'string' ? (DOCUMENTED.exec(text) ?? PYTHON_STR.exec(text)) : null;
  if (match === null || calendarFields(match) === null) return String(text);
  const [year, month, day, hour, minute, second] = match.slice(1, 7);
  return `${year}-${month}-${day}T${hour}:${minute}:${second}.${(match[7] ?? '').padEnd(6, '0')}Z`;
}

// GET /auth/tokens shows every device's date on every call and the stored dates rarely change:
// the answers are remembered (a bounded number, forgotten all at once when full).
const displayed = new Map<string, string>();
const MAX_REMEMBERED_DATES = 512;

/** A stored date as the API shows it: the documented format (microseconds kept) when readable, else as stored. */
export function displayStoredDate(text: unknown): string | null {
  if (typeof text !== 'string') return displayDate(text);
  let shown = displayed.get(text);
  if (shown === undefined) {
    if (displayed.size >= MAX_REMEMBERED_DATES) displayed.clear();
    shown = displayDate(text) as string;
    displayed.set(text, shown);
  }
  return shown;
}
