// Building a claims set for signing: Dates become NumericDates, and the registered-claim options
// (expiresIn, issuer, …) fill in claims. Options are normalized once so createSigner's hot path
// only copies the payload when it has something to add.
import type { Duration, JWTPayloadInput, SignOptions } from '../types.js';
import { toSeconds } from './duration.js';

export interface NormalizedClaimBuild {
  readonly expiresIn: number | undefined;
  readonly notBefore: number | undefined;
  readonly issuer: string | undefined;
  readonly subject: string | undefined;
  readonly audience: string | string[] | undefined;
  readonly jwtId: string | true | undefined;
  readonly issuedAt: boolean;
  readonly currentDate: Date | undefined;
}

function optionalDuration(value: Duration | undefined, name: string): number | undefined {
  return value === undefined ? undefined : toSeconds(value, name, true);
}

/** Validates the claim-building part of SignOptions. */
export function normalizeClaimBuild(options: SignOptions): NormalizedClaimBuild {
  const str = (v: unknown, name: string) => {
    if (v !== undefined && typeof v !== 'string') throw new TypeError(`"${name}" option must be a string`);
    return v as string | undefined;
  };
  const audience = options.audience;
  if (
    audience !== undefined &&
    typeof audience !== 'string' &&
    !(Array.isArray(audience) && audience.every((a) => typeof a === 'string'))
  ) {
    throw new TypeError('"audience" option must be a string or an array of strings');
  }
  if (options.jwtId !== undefined && options.jwtId !== true && typeof options.jwtId !== 'string') {
    throw new TypeError('"jwtId" option must be a string or true');
  }
  if (
    options.currentDate !== undefined &&
    !(options.currentDate instanceof Date && Number.isFinite(options.currentDate.getTime()))
  ) {
    throw new TypeError('"currentDate" option must be a valid Date');
  }
  return {
    expiresIn: optionalDuration(options.expiresIn, 'expiresIn'),
    notBefore: optionalDuration(options.notBefore, 'notBefore'),
    issuer: str(options.issuer, 'issuer'),
    subject: str(options.subject, 'subject'),
    audience,
    jwtId: options.jwtId,
    issuedAt: options.issuedAt !== false,
    currentDate: options.currentDate,
  };
}

const TIME_CLAIMS = ['exp', 'nbf', 'iat'] as const;
const STRING_CLAIMS = ['iss', 'sub', 'jti'] as const;
const OPTION_CLAIMS = [
  ['issuer', 'iss'],
  ['subject', 'sub'],
  ['audience', 'aud'],
] as const;

/** Returns the claims set to serialize (the payload itself when nothing needs to change). */
export function buildClaims(payload: JWTPayloadInput, o: NormalizedClaimBuild): Record<string, unknown> {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new TypeError('JWT payload must be a plain object (JSON claims set)');
  }
  let out = payload as Record<string, unknown>;
  let copied = false;
  const set = (name: string, value: unknown) => {
    if (!copied) {
      out = { ...payload };
      copied = true;
    }
    out[name] = value;
  };
  for (const claim of TIME_CLAIMS) {
    const value = payload[claim];
    if (value === undefined) continue;
    if (value instanceof Date) {
      const ms = value.getTime();
      if (!Number.isFinite(ms)) throw new TypeError(`"${claim}" claim is an invalid Date`);
      set(claim, Math.floor(ms / 1000));
    } else if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new TypeError(`"${claim}" claim must be a NumericDate (a finite number) or a Date`);
    }
  }
  // Registered claims of the wrong type would make a token Tessera itself rejects (RFC 7519 §4.1).
  for (const claim of STRING_CLAIMS) {
    const value = payload[claim];
    if (value !== undefined && typeof value !== 'string') throw new TypeError(`"${claim}" claim must be a string`);
  }
  const aud = payload.aud;
  if (
    aud !== undefined &&
    typeof aud !== 'string' &&
    !(Array.isArray(aud) && aud.every((a) => typeof a === 'string'))
  ) {
    throw new TypeError('"aud" claim must be a string or an array of strings');
  }
  let now = -1;
  const nowSeconds = () => {
    if (now === -1) now = Math.floor((o.currentDate ? o.currentDate.getTime() : Date.now()) / 1000);
    return now;
  };
  if (o.issuedAt && payload.iat === undefined) set('iat', nowSeconds());
  if (o.expiresIn !== undefined) {
    if (payload.exp !== undefined) throw new TypeError('"expiresIn" option conflicts with the payload\'s "exp" claim');
    set('exp', Math.floor(nowSeconds() + o.expiresIn));
  }
  if (o.notBefore !== undefined) {
    if (payload.nbf !== undefined) throw new TypeError('"notBefore" option conflicts with the payload\'s "nbf" claim');
    set('nbf', Math.floor(nowSeconds() + o.notBefore));
  }
  for (const [option, claim] of OPTION_CLAIMS) {
    const value = o[option];
    if (value === undefined) continue;
    if (payload[claim] !== undefined)
      throw new TypeError(`"${option}" option conflicts with the payload's "${claim}" claim`);
    set(claim, value);
  }
  if (o.jwtId !== undefined) {
    if (payload.jti !== undefined) throw new TypeError('"jwtId" option conflicts with the payload\'s "jti" claim');
    set('jti', o.jwtId === true ? globalThis.crypto.randomUUID() /* Node ≥ 19 and every web runtime */ : o.jwtId);
  }
  return out;
}

/** JSON.stringify with a TypeError (not a crash deep inside) for cycles and BigInts. */
export function serializeClaims(claims: Record<string, unknown>): string {
  try {
    return JSON.stringify(claims);
  } catch (err) {
    throw new TypeError('JWT payload cannot be serialized as JSON (a cycle or a BigInt?)', { cause: err });
  }
}
