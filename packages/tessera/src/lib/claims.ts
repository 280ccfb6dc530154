// Claims validation (RFC 7519 §4.1) with PyJWT's semantics where they are the safer choice:
// a token carrying "aud" is rejected when the caller expects none, a future "iat" is rejected, and
// "exp"/"nbf" must be numbers. Options are normalized once (createVerifier) so the hot path only compares.
import {
  ExpiredSignatureError,
  ImmatureSignatureError,
  InvalidAudienceError,
  InvalidClaimError,
  InvalidIssuedAtError,
  InvalidIssuerError,
  InvalidJTIError,
  InvalidSubjectError,
  JWTError,
  MissingRequiredClaimError,
  DecodeError,
} from '../errors.js';
import type { ClaimOptions, JWSHeader, JWTPayload } from '../types.js';
import { toSeconds } from './duration.js';

/** ClaimOptions after validation: every field in its final type. */
export interface NormalizedClaims {
  readonly audience: ReadonlyArray<string | RegExp> | undefined;
  readonly strictAudience: boolean;
  readonly issuer: ReadonlyArray<string> | undefined;
  readonly subject: string | undefined;
  readonly jwtId: string | undefined;
  readonly nonce: string | undefined;
  readonly tolerance: number;
  readonly maxTokenAge: number | undefined;
  readonly required: ReadonlyArray<string>;
  readonly typ: string | undefined;
  readonly currentDate: Date | undefined;
  readonly exp: boolean;
  readonly nbf: boolean;
  readonly iat: boolean;
  readonly aud: boolean;
  readonly iss: boolean;
  readonly sub: boolean;
  readonly jti: boolean;
  readonly validate: ClaimOptions['validate'];
}

function stringList(value: unknown, name: string, allowRegExp: boolean): Array<string | RegExp> {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) throw new TypeError(`"${name}" option must not be an empty list`);
  for (const item of list) {
    if (typeof item !== 'string' && !(allowRegExp && item instanceof RegExp)) {
      throw new TypeError(`"${name}" option must be a string${allowRegExp ? ', a RegExp' : ''} or an array of them`);
    }
  }
  return list;
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value !== undefined && typeof value !== 'string') throw new TypeError(`"${name}" option must be a string`);
  return value;
}

/** Normalizes `typ` values per RFC 7515 §4.1.9: case-insensitive, "application/" may be omitted. */
export function normalizeTyp(typ: string): string {
  const lower = typ.toLowerCase();
  return lower.startsWith('application/') && lower.indexOf('/', 12) === -1 ? lower.slice(12) : lower;
}

/** Validates and normalizes claim options; programmer mistakes are TypeErrors. */
export function normalizeClaimOptions(options: ClaimOptions): NormalizedClaims {
  const checks = options.checks ?? {};
  if (typeof checks !== 'object') throw new TypeError('"checks" option must be an object of booleans');
  const audience = options.audience === undefined ? undefined : stringList(options.audience, 'audience', true);
  const strictAudience = options.strictAudience === true;
  if (strictAudience && audience && audience.length !== 1) {
    throw new TypeError('"strictAudience" needs a single expected "audience"');
  }
  const toleranceInput = options.clockTolerance ?? options.leeway ?? 0;
  const required = options.requiredClaims ?? options.require ?? [];
  if (!Array.isArray(required) || !required.every((c) => typeof c === 'string')) {
    throw new TypeError('"requiredClaims" option must be an array of strings');
  }
  if (
    options.currentDate !== undefined &&
    !(options.currentDate instanceof Date && Number.isFinite(options.currentDate.getTime()))
  ) {
    throw new TypeError('"currentDate" option must be a valid Date');
  }
  if (options.validate !== undefined && typeof options.validate !== 'function') {
    throw new TypeError('"validate" option must be a function');
  }
  const typ = optionalString(options.typ, 'typ');
  return {
    audience,
    strictAudience,
    issuer: options.issuer === undefined ? undefined : (stringList(options.issuer, 'issuer', false) as string[]),
    subject: optionalString(options.subject, 'subject'),
    jwtId: optionalString(options.jwtId, 'jwtId'),
    nonce: optionalString(options.nonce, 'nonce'),
    tolerance: toSeconds(toleranceInput, options.clockTolerance !== undefined ? 'clockTolerance' : 'leeway'),
    maxTokenAge: options.maxTokenAge === undefined ? undefined : toSeconds(options.maxTokenAge, 'maxTokenAge'),
    required,
    typ: typ === undefined ? undefined : normalizeTyp(typ),
    currentDate: options.currentDate,
    exp: checks.exp !== false,
    nbf: checks.nbf !== false,
    iat: checks.iat !== false,
    aud: checks.aud !== false,
    iss: checks.iss !== false,
    sub: checks.sub !== false,
    jti: checks.jti !== false,
    validate: options.validate,
  };
}

const hasOwn = Object.hasOwn;

/** The current time in NumericDate seconds (floored, like PyJWT and jose). */
export function nowSeconds(opts: NormalizedClaims): number {
  return Math.floor((opts.currentDate ? opts.currentDate.getTime() : Date.now()) / 1000);
}

function audienceMatches(expected: ReadonlyArray<string | RegExp>, actual: string): boolean {
  for (const e of expected) {
    if (typeof e === 'string') {
      if (e === actual) return true;
    } else {
      e.lastIndex = 0; // a /g or /y RegExp is stateful; every test starts from the beginning
      if (e.test(actual)) return true;
    }
  }
  return false;
}

function checkAudience(payload: JWTPayload, opts: NormalizedClaims): void {
  const has = hasOwn(payload, 'aud');
  if (opts.audience === undefined) {
    // PyJWT: a token meant for someone must not be accepted by a verifier that did not say who it is.
    if (has) throw new InvalidAudienceError('"aud" claim present but no "audience" option was given');
    return;
  }
  if (!has) throw new MissingRequiredClaimError('"aud" claim is missing', 'aud');
  const aud = payload.aud;
  if (opts.strictAudience) {
    if (typeof aud !== 'string') throw new InvalidAudienceError('"aud" claim must be a single string (strictAudience)');
    if (!audienceMatches(opts.audience, aud)) throw new InvalidAudienceError('"aud" claim check failed');
    return;
  }
  if (typeof aud === 'string') {
    if (!audienceMatches(opts.audience, aud)) throw new InvalidAudienceError('"aud" claim check failed');
    return;
  }
  if (!Array.isArray(aud) || !aud.every((a) => typeof a === 'string')) {
    throw new InvalidAudienceError('"aud" claim must be a string or an array of strings');
  }
  for (const a of aud) if (audienceMatches(opts.audience, a)) return;
  throw new InvalidAudienceError('"aud" claim check failed');
}

function numericDate(payload: JWTPayload, claim: 'exp' | 'nbf'): number | undefined {
  const value = payload[claim];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new DecodeError(`"${claim}" claim must be a NumericDate (a finite number)`);
  }
  return value;
}

/** Validates the registered claims of a verified payload; throws the matching InvalidTokenError. */
export function validateClaims(payload: JWTPayload, header: JWSHeader, opts: NormalizedClaims): void {
  const now = nowSeconds(opts);
  const tolerance = opts.tolerance;

  for (const claim of opts.required) {
    if (!hasOwn(payload, claim) || payload[claim] === null) {
      throw new MissingRequiredClaimError(`"${claim}" claim is missing`, claim);
    }
  }

  if (opts.typ !== undefined) {
    const typ = header.typ;
    if (typeof typ !== 'string') throw new InvalidClaimError('"typ" header parameter is missing', 'typ', 'missing');
    if (normalizeTyp(typ) !== opts.typ)
      throw new InvalidClaimError('"typ" header parameter check failed', 'typ', 'mismatch');
  }

  if (opts.exp) {
    const exp = numericDate(payload, 'exp');
    // RFC 7519 §4.1.4: reject "on or after" exp.
    if (exp !== undefined && now - tolerance >= exp) {
      throw new ExpiredSignatureError(
        '"exp" claim timestamp check failed: the token has expired',
        new Date(exp * 1000),
      );
    }
  }
  if (opts.nbf) {
    const nbf = numericDate(payload, 'nbf');
    if (nbf !== undefined && nbf > now + tolerance) {
      throw new ImmatureSignatureError('"nbf" claim timestamp check failed: the token is not yet valid', 'nbf');
    }
  }
  const iat = payload.iat;
  if (opts.iat && iat !== undefined) {
    if (typeof iat !== 'number' || !Number.isFinite(iat)) {
      throw new InvalidIssuedAtError('"iat" claim must be a NumericDate (a finite number)');
    }
    if (iat > now + tolerance) {
      throw new ImmatureSignatureError('"iat" claim timestamp check failed: the token was issued in the future', 'iat');
    }
  }
  if (opts.maxTokenAge !== undefined) {
    if (iat === undefined)
      throw new MissingRequiredClaimError('"iat" claim is missing (needed by "maxTokenAge")', 'iat');
    if (typeof iat !== 'number' || !Number.isFinite(iat)) {
      throw new InvalidIssuedAtError('"iat" claim must be a NumericDate (a finite number)');
    }
    if (now - iat > opts.maxTokenAge + tolerance) {
      throw new InvalidClaimError(
        '"iat" claim timestamp check failed: the token is too old (maxTokenAge)',
        'iat',
        'too_old',
      );
    }
  }

  if (opts.aud) checkAudience(payload, opts);

  if (opts.iss && opts.issuer !== undefined) {
    if (!hasOwn(payload, 'iss')) throw new MissingRequiredClaimError('"iss" claim is missing', 'iss');
    const iss = payload.iss;
    if (typeof iss !== 'string') throw new InvalidIssuerError('"iss" claim must be a string');
    if (!opts.issuer.includes(iss)) throw new InvalidIssuerError('"iss" claim check failed');
  }

  if (opts.sub) {
    const has = hasOwn(payload, 'sub');
    if (has && typeof payload.sub !== 'string') throw new InvalidSubjectError('"sub" claim must be a string');
    if (opts.subject !== undefined) {
      if (!has) throw new MissingRequiredClaimError('"sub" claim is missing', 'sub');
      if (payload.sub !== opts.subject) throw new InvalidSubjectError('"sub" claim check failed');
    }
  }

  if (opts.jti) {
    const has = hasOwn(payload, 'jti');
    if (has && typeof payload.jti !== 'string') throw new InvalidJTIError('"jti" claim must be a string');
    if (opts.jwtId !== undefined) {
      if (!has) throw new MissingRequiredClaimError('"jti" claim is missing', 'jti');
      if (payload.jti !== opts.jwtId) throw new InvalidJTIError('"jti" claim check failed');
    }
  }

  if (opts.nonce !== undefined) {
    if (!hasOwn(payload, 'nonce')) throw new MissingRequiredClaimError('"nonce" claim is missing', 'nonce');
    if (payload.nonce !== opts.nonce) throw new InvalidClaimError('"nonce" claim check failed', 'nonce', 'mismatch');
  }

  if (opts.validate !== undefined) runValidate(opts.validate, payload, header);
}

function runValidate(validate: NonNullable<ClaimOptions['validate']>, payload: JWTPayload, header: JWSHeader): void {
  let result: unknown;
  try {
    result = validate(payload, header);
  } catch (err) {
    if (err instanceof JWTError) throw err;
    throw new InvalidClaimError('custom validation failed', 'validate', 'validate', { cause: err });
  }
  if (result !== null && typeof result === 'object' && typeof (result as { then?: unknown }).then === 'function') {
    // A Promise cannot be awaited by a synchronous verifier; ignoring it would fail open.
    (result as Promise<unknown>).then(undefined, () => {});
    throw new TypeError('"validate" returned a Promise; it must be synchronous');
  }
  if (result === false) throw new InvalidClaimError('custom validation returned false', 'validate', 'validate');
}
