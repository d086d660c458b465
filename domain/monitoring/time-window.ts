// The time range a chart covers: upstream's defaults for a missing start or end, and bounds on its cost.

/** Without a start a chart covers the last 20 minutes, as upstream's API does. */
export const DEFAULT_SPAN_MS = 20 * 60_000;

/**
 * Points per series at most. The app asks for 120; Prometheus itself stops at 11,000. A lower
 * bound keeps one request from making Prometheus and the API build and send millions of values.
 */
export const MAX_POINTS = 2_000;

/** The longest range a chart may cover: beyond Prometheus's retention there is nothing to read. */
export const MAX_SPAN_MS = 400 * 24 * 3_600_000;

/** A range the caller asked for that cannot be answered; the message says what to change. */
export class MonitoringInputError extends Error {}

/** What the GraphQL fields take: dates may be missing, the step is in seconds. */
export interface RangeRequest {
  start: Date | null;
  end: Date | null;
  step: number;
}

export interface TimeWindow {
  start: Date;
  end: Date;
  stepSeconds: number;
}

/** The window of a request at time `now`, or a MonitoringInputError for a range no chart should draw. */
export function timeWindow({ start, end, step }: RangeRequest, now: Date): TimeWindow {
  if (!Number.isInteger(step) || step < 1) throw new MonitoringInputError(`step must be a whole number of seconds, at least 1 (got ${step})`);
  const endAt = end ?? now;
  const startAt = start ?? new Date(endAt.getTime() - DEFAULT_SPAN_MS);
  const spanMs = endAt.getTime() - startAt.getTime();
  if (spanMs < 0) throw new MonitoringInputError(`start (${startAt.toISOString()}) is after end (${endAt.toISOString()})`);
  if (spanMs > MAX_SPAN_MS) throw new MonitoringInputError(`a chart covers at most ${MAX_SPAN_MS / 86_400_000} days`);
  const points = Math.floor(spanMs / 1000 / step) + 1;
  if (points > MAX_POINTS) {
    const smallestStep = Math.ceil(spanMs / 1000 / (MAX_POINTS - 1));
    throw new MonitoringInputError(`step ${step} s makes ${points} points per series over this range; at most ${MAX_POINTS}: use a step of at least ${smallestStep} s`);
  }
  return { start: startAt, end: endAt, stepSeconds: step };
}
