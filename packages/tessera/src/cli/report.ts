// What `decode`, `verify` and `decrypt` show about a token: its header and claims, its NumericDates as
// ISO dates with relative phrases, and warnings about dangerous properties. Shared so the commands agree.
import { isoDate, describeInstant, isShowableInstant, spanInWords } from './time.js';
import { type Output, paletteOf, renderJSON, safeText } from './output.js';

/** A token longer-lived than this gets a `long_lifetime` warning (access tokens live minutes to hours). */
export const LONG_LIFETIME_SECONDS = 24 * 3600;

export interface TimeInfo {
  readonly claim: string;
  readonly value: unknown;
  /** ISO 8601, when the value is a usable NumericDate. */
  readonly date?: string;
  /** "expires in 14 minutes", "expired 3 hours ago", … */
  readonly relative?: string;
  /** value − now, in seconds. */
  readonly inSeconds?: number;
}

export interface Warning {
  /** Stable identifier for `--json` consumers. */
  readonly code: string;
  readonly message: string;
}

const TIME_CLAIMS = ['iat', 'nbf', 'exp', 'auth_time'] as const;

/** The time claims of a payload, relative to `now` (seconds). */
export function analyseTimes(payload: Record<string, unknown>, now: number): TimeInfo[] {
  const times: TimeInfo[] = [];
  for (const claim of TIME_CLAIMS) {
    if (!Object.hasOwn(payload, claim)) continue;
    const value = payload[claim];
    if (!isShowableInstant(value)) {
      times.push({ claim, value });
      continue;
    }
    times.push({
      claim,
      value,
      date: isoDate(value),
      relative: describeInstant(claim, value, now),
      inSeconds: value - now,
    });
  }
  return times;
}

/** Warnings about a header (JWS or JWE) and, for a JWS, its payload. */
export function analyseWarnings(
  header: Record<string, unknown>,
  payload: Record<string, unknown> | undefined,
  now: number,
): Warning[] {
  const warnings: Warning[] = [];
  if (typeof header.alg === 'string' && header.alg.toLowerCase() === 'none') {
    warnings.push({
      code: 'alg_none',
      message: '"alg" is "none": the token is not signed, and no verifier should accept it',
    });
  }
  for (const name of ['jku', 'x5u'] as const) {
    if (Object.hasOwn(header, name)) {
      warnings.push({
        code: `header_${name}`,
        message: `the header has "${name}" (a URL to fetch keys from): a verifier must never fetch or trust keys the token points to`,
      });
    }
  }
  for (const name of ['jwk', 'x5c'] as const) {
    if (Object.hasOwn(header, name)) {
      warnings.push({
        code: `header_${name}`,
        message: `the header has "${name}" (an embedded key): a verifier must never trust a key the token brings`,
      });
    }
  }
  if (payload === undefined) return warnings;
  for (const claim of ['exp', 'nbf', 'iat'] as const) {
    if (Object.hasOwn(payload, claim) && (typeof payload[claim] !== 'number' || !Number.isFinite(payload[claim]))) {
      warnings.push({
        code: `${claim}_invalid`,
        message: `"${claim}" is not a NumericDate (a number of seconds); verifiers reject the token`,
      });
    }
  }
  if (!Object.hasOwn(payload, 'exp')) {
    warnings.push({ code: 'no_exp', message: 'no "exp" claim: the token never expires' });
  } else if (typeof payload.exp === 'number' && Number.isFinite(payload.exp)) {
    const start =
      [payload.iat, payload.nbf].find((v): v is number => typeof v === 'number' && Number.isFinite(v)) ?? now;
    const lifetime = payload.exp - start;
    if (lifetime > LONG_LIFETIME_SECONDS) {
      const from = start === payload.iat ? 'from "iat"' : start === payload.nbf ? 'from "nbf"' : 'from now';
      warnings.push({
        code: 'long_lifetime',
        message: `very long lifetime: ${spanInWords(lifetime)} ${from} to "exp" (more than ${spanInWords(LONG_LIFETIME_SECONDS)}); a stolen token stays useful that long`,
      });
    }
  }
  return warnings;
}

export interface ReportParts {
  readonly title?: string;
  readonly headerTitle: string;
  readonly header: Record<string, unknown>;
  /** Further headers after the first (decrypt: the inner JWS header of a nested JWT). */
  readonly moreHeaders?: ReadonlyArray<{ readonly title: string; readonly header: Record<string, unknown> }>;
  readonly payload?: unknown;
  readonly payloadNote?: string;
  readonly times: readonly TimeInfo[];
  readonly warnings: readonly Warning[];
  readonly footer?: string;
}

/** The human-readable report (coloured when `out` is a colour terminal). */
export function renderReport(out: Output, r: ReportParts): string {
  const palette = paletteOf(out);
  const heading = (s: string) => out.paint('bold', s);
  const lines: string[] = [];
  if (r.title) lines.push(r.title, '');
  lines.push(heading(r.headerTitle), renderJSON(r.header, 2, palette));
  for (const h of r.moreHeaders ?? []) lines.push('', heading(h.title), renderJSON(h.header, 2, palette));
  if (r.payload !== undefined) lines.push('', heading('Payload'), renderJSON(r.payload, 2, palette));
  if (r.payloadNote) lines.push('', r.payloadNote);
  if (r.times.length > 0) {
    lines.push('', heading('Times'));
    const width = Math.max(...r.times.map((t) => t.claim.length));
    for (const t of r.times) {
      const name = t.claim.padEnd(width);
      if (t.date === undefined) {
        lines.push(`  ${name}  ${out.paint('red', `not a NumericDate: ${safeText(renderJSON(t.value, 0))}`)}`);
        continue;
      }
      const past = (t.inSeconds ?? 0) <= 0;
      const style =
        t.claim === 'exp'
          ? past
            ? 'red'
            : 'green'
          : t.claim === 'nbf' && !past
            ? 'red'
            : t.claim === 'iat' && !past
              ? 'yellow'
              : 'dim';
      lines.push(`  ${name}  ${t.date}  ${out.paint(style, t.relative!)}`);
    }
  }
  if (r.warnings.length > 0) {
    lines.push('', heading('Warnings'));
    for (const w of r.warnings) lines.push(`  ${out.paint('yellow', '!')} ${w.message}`);
  }
  if (r.footer) lines.push('', r.footer);
  return lines.join('\n');
}

/** `--json` form of the times: `{ exp: { value, date, relative, inSeconds } }`. */
export function timesObject(times: readonly TimeInfo[]): Record<string, Omit<TimeInfo, 'claim'>> {
  const result: Record<string, Omit<TimeInfo, 'claim'>> = {};
  for (const { claim, ...rest } of times) result[claim] = rest;
  return result;
}
