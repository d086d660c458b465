// Stored token dates: which calendar times count as real, checked against a Date round trip.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { displayStoredDate, parseStoredDate } from '../../../domain/token-dates.js';

const pad = (value: number, width: number): string => String(value).padStart(width, '0');

/** The reference: a time is real when Date.UTC does not roll any field over. */
function isRealTime(year: number, month: number, day: number, hour: number, minute: number, second: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
    && date.getUTCHours() === hour && date.getUTCMinutes() === minute && date.getUTCSeconds() === second;
}

const fields = fc.tuple(
  fc.integer({ min: 0, max: 9999 }),
  fc.integer({ min: 0, max: 13 }),
  fc.integer({ min: 0, max: 32 }),
  fc.integer({ min: 0, max: 25 }),
  fc.integer({ min: 0, max: 61 }),
  fc.integer({ min: 0, max: 61 }),
);

describe('stored token dates', () => {
  it('accepts exactly the real calendar times, leap days included', () => {
    fc.assert(
      fc.property(fields, ([year, month, day, hour, minute, second]) => {
        const text = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)} ${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}.250000`;
        const real = isRealTime(year, month, day, hour, minute, second);
        expect(parseStoredDate(text)?.getTime() ?? null).toBe(real ? Date.UTC(year, month - 1, day, hour, minute, second, 250) : null);
        const documented = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}.250000Z`;
        expect(displayStoredDate(text)).toBe(real ? documented : text);
      }),
      { numRuns: 2000 },
    );
  });

  it('knows February 29th only in leap years', () => {
    expect(displayStoredDate('2024-02-29 10:00:00')).toBe('2024-02-29T10:00:00.000000Z');
    expect(displayStoredDate('2000-02-29 10:00:00')).toBe('2000-02-29T10:00:00.000000Z');
    expect(displayStoredDate('1900-02-29 10:00:00')).toBe('1900-02-29 10:00:00');
    expect(displayStoredDate('2023-02-29 10:00:00')).toBe('2023-02-29 10:00:00');
  });
});
