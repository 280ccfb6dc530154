// Durations are seconds or a short string ('30s', '15m', '2h', '7d'); never milliseconds.
// A ten-line parser instead of a dependency such as `ms`.
import type { Duration } from '../types.js';

const UNITS: Record<string, number> = Object.assign(Object.create(null) as Record<string, number>, {
  s: 1,
  sec: 1,
  secs: 1,
  second: 1,
  seconds: 1,
  m: 60,
  min: 60,
  mins: 60,
  minute: 60,
  minutes: 60,
  h: 3600,
  hr: 3600,
  hrs: 3600,
  hour: 3600,
  hours: 3600,
  d: 86400,
  day: 86400,
  days: 86400,
  w: 604800,
  week: 604800,
  weeks: 604800,
  y: 31557600,
  yr: 31557600,
  yrs: 31557600,
  year: 31557600,
  years: 31557600,
});
const PATTERN = /^(-?\d+(?:\.\d+)?) ?([a-z]+)$/i;

/**
 * Converts a duration to seconds. Throws a TypeError that quotes `name` for anything else.
 * Fractions are kept; `allowNegative` admits values such as `'-5m'` (a `notBefore` in the past).
 */
export function toSeconds(value: Duration, name: string, allowNegative = false): number {
  let seconds: number | undefined;
  if (typeof value === 'number') {
    seconds = value;
  } else if (typeof value === 'string') {
    const m = PATTERN.exec(value.trim());
    const unit = m && UNITS[m[2]!.toLowerCase()];
    if (m && unit) seconds = Number(m[1]) * unit;
  }
  if (seconds === undefined || !Number.isFinite(seconds) || (!allowNegative && seconds < 0)) {
    throw new TypeError(
      `"${name}" option must be a ${allowNegative ? '' : 'non-negative '}number of seconds or a duration string such as '30s', '15m', '2h' or '7d'`,
    );
  }
  return seconds;
}
