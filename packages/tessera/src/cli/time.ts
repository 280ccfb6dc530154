// The clock and how instants are shown: `--now` / TESSERA_NOW fix the clock (tests, reproducing an
// incident); NumericDates are shown as ISO 8601 dates plus a relative phrase ("expires in 14 minutes",
// "expired 3 hours ago"). Relative amounts are truncated, never rounded up: a token with 14 min 59 s
// left "expires in 14 minutes". (Duration flags are parsed in duration.ts, which decode does not load.)
import { UsageError } from './args.js';

/** The environment variable that fixes the clock when `--now` is not given. */
export const NOW_ENV = 'TESSERA_NOW';

/** Parses an instant: NumericDate seconds (`1767225600`) or an ISO 8601 date (`2026-01-01T00:00:00Z`). */
export function parseInstant(text: string): Date | undefined {
  const t = text.trim();
  let ms: number;
  if (/^-?\d+(\.\d+)?$/.test(t)) ms = Number(t) * 1000;
  else if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.test(t)) ms = Date.parse(t);
  else return undefined;
  const date = new Date(ms);
  return Number.isFinite(date.getTime()) ? date : undefined;
}

/** The current time: `--now`, else $TESSERA_NOW, else the system clock. */
export function resolveNow(flag: string | undefined, command: string, env: NodeJS.ProcessEnv = process.env): Date {
  if (flag !== undefined) {
    const date = parseInstant(flag);
    if (!date)
      throw new UsageError('--now must be an ISO 8601 date (2026-01-01T00:00:00Z) or NumericDate seconds', command);
    return date;
  }
  const fromEnv = env[NOW_ENV];
  if (fromEnv !== undefined && fromEnv !== '') {
    const date = parseInstant(fromEnv);
    if (!date)
      throw new UsageError(
        `${NOW_ENV} must be an ISO 8601 date (2026-01-01T00:00:00Z) or NumericDate seconds`,
        command,
      );
    return date;
  }
  return new Date();
}

// Instants a Date can hold (±8.64e15 ms); NumericDates beyond are shown as "out of range".
const MAX_SECONDS = 8.64e12;

/** True for a number that can be shown as a date. */
export function isShowableInstant(seconds: unknown): seconds is number {
  return typeof seconds === 'number' && Number.isFinite(seconds) && Math.abs(seconds) <= MAX_SECONDS;
}

/** `2026-01-01T00:15:00Z` (milliseconds only when there are any). */
export function isoDate(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

const UNITS: ReadonlyArray<readonly [string, number]> = [
  ['year', 31_557_600],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];

/**
 * A positive duration in words, truncated: `45 seconds`, `14 minutes`, `3 hours`, `12 days`, `2 years`.
 * A unit is used from two of it upwards (90 minutes, not "1 hour"), so the figure keeps its precision.
 */
export function spanInWords(seconds: number): string {
  const s = Math.abs(seconds);
  for (const [unit, size] of UNITS) {
    if (s >= 2 * size) return `${Math.floor(s / size)} ${unit}s`;
  }
  const whole = Math.floor(s);
  return whole === 1 ? '1 second' : whole === 0 ? 'less than a second' : `${whole} seconds`;
}

/** What an instant means for the claim it came from, relative to `now` (seconds). */
export function describeInstant(claim: string, value: number, now: number): string {
  const delta = value - now;
  const span = spanInWords(delta);
  const future = delta > 0;
  switch (claim) {
    case 'exp':
      return future ? `expires in ${span}` : delta === 0 ? 'expires now' : `expired ${span} ago`;
    case 'nbf':
      return future ? `not valid for another ${span}` : `valid since ${span} ago`;
    case 'iat':
      return future
        ? `issued in the future (${span} from now)`
        : delta === 0
          ? 'issued just now'
          : `issued ${span} ago`;
    default:
      return future ? `in ${span}` : delta === 0 ? 'now' : `${span} ago`;
  }
}
