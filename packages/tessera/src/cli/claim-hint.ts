// The hint printed under a failed verify or decrypt: a sentence naming what in the token failed and which
// flag would change the outcome. Shared by the verify and decrypt commands.
import type { JWTError } from '../errors.js';
import { decodeJWT } from '../jwt/decode.js';
import { jsonString } from './output.js';
import { isoDate, isShowableInstant, spanInWords } from './time.js';

/** What a hint may mention: the token, the key's flag and the claim checks that were asked for. */
export interface HintContext {
  readonly token: string;
  /** The header and payload to explain, when `token` is not a JWS (decrypt: the decrypted claims). */
  readonly decoded?: { readonly header: Record<string, unknown>; readonly payload: Record<string, unknown> };
  /** The flag naming the key (`--key`, `--jwks`, `--verify-key`). */
  readonly flag: string;
  /** The flag naming the accepted algorithms (default `--alg`; decrypt: `--verify-alg`). */
  readonly algFlag?: string;
  readonly algorithms: readonly string[];
  readonly audiences: readonly string[];
  readonly issuers: readonly string[];
  readonly subject: string | undefined;
  readonly now: Date;
  readonly leeway: number | undefined;
}

/** A value from the token, JSON-quoted and cut to 80 characters. */
export const excerpt = (value: unknown): string => {
  const text = typeof value === 'string' ? jsonString(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
};

/** A sentence naming what in the token failed and which flag would change the outcome. */
export function hintFor(err: JWTError, c: HintContext): string | undefined {
  let header: Record<string, unknown> = {};
  let payload: Record<string, unknown> = {};
  try {
    ({ header, payload } = c.decoded ?? decodeJWT(c.token));
  } catch {
    // A token that does not decode gets no hint beyond the error itself.
  }
  const algFlag = c.algFlag ?? '--alg';
  const now = c.now.getTime() / 1000;
  const skew = c.leeway ? ` (with --leeway ${c.leeway}s)` : '';
  const list = (values: readonly string[]) => values.map((v) => jsonString(v)).join(', ');
  const e = err as JWTError & { claim?: string; reason?: string; expiredAt?: Date };
  switch (err.code) {
    case 'ERR_JWT_EXPIRED': {
      const exp = e.expiredAt!.getTime() / 1000;
      return `it expired ${spanInWords(now - exp)} ago, at ${isoDate(exp)}, checked at ${isoDate(now)}${skew}; --leeway tolerates clock skew, --now sets the clock`;
    }
    case 'ERR_JWT_NOT_YET_VALID': {
      const at = payload[e.claim ?? 'nbf'];
      if (!isShowableInstant(at)) return undefined;
      return e.claim === 'iat'
        ? `it was issued ${spanInWords(at - now)} in the future, at ${isoDate(at)}${skew}; --leeway tolerates clock skew`
        : `it is not valid until ${isoDate(at)}, ${spanInWords(at - now)} from ${isoDate(now)}${skew}; --leeway tolerates clock skew, --now sets the clock`;
    }
    case 'ERR_JWT_AUDIENCE_INVALID':
      if (c.audiences.length === 0)
        return `the token is for the audience ${excerpt(payload.aud)}; name the audience you accept with --aud`;
      return `the token is for the audience ${excerpt(payload.aud)}; --aud accepts ${list(c.audiences)}`;
    case 'ERR_JWT_ISSUER_INVALID':
      return `the token's issuer is ${excerpt(payload.iss)}; --iss accepts ${list(c.issuers)}`;
    case 'ERR_JWT_SUBJECT_INVALID':
      return `the token's subject is ${excerpt(payload.sub)}${c.subject !== undefined ? `; --sub expects ${jsonString(c.subject)}` : ''}`;
    case 'ERR_JWT_CLAIM_MISSING': {
      const flagOf: Record<string, string> = { aud: '--aud', iss: '--iss', sub: '--sub', iat: '--max-age' };
      const byFlag = e.claim !== undefined && Object.hasOwn(flagOf, e.claim) ? flagOf[e.claim] : undefined;
      const a = /^[aeiou]/.test(e.claim ?? '') ? 'an' : 'a';
      return byFlag
        ? `${byFlag} expects ${a} "${e.claim}" claim, and the token has none`
        : `--require lists "${e.claim}", and the token has no such claim`;
    }
    case 'ERR_JWT_CLAIM_INVALID':
      if (e.claim === 'typ') return `the token's "typ" is ${excerpt(header.typ)}; --typ expects another`;
      if (e.claim === 'iat' && e.reason === 'too_old' && isShowableInstant(payload.iat)) {
        return `it was issued ${spanInWords(now - payload.iat)} ago, at ${isoDate(payload.iat)}; --max-age sets the limit`;
      }
      return undefined;
    case 'ERR_JWT_ALG_NOT_ALLOWED':
      return `the token is signed with ${excerpt(header.alg)}; ${c.algorithms.length > 0 ? `${algFlag} allows ${c.algorithms.join(', ')}` : `name the algorithms you accept with ${algFlag}`}`;
    case 'ERR_JWS_SIGNATURE_INVALID':
      return `the signature does not match the key given with ${c.flag}: the token was signed with another key, or altered`;
    case 'ERR_KEY_INVALID':
    case 'ERR_JWK_INVALID':
      if (/allowWeakKeys/.test(err.message))
        return `the key given with ${c.flag} is too weak for ${excerpt(header.alg)}; --allow-weak-keys accepts it (for tests only)`;
      return `the key given with ${c.flag} cannot verify this ${excerpt(header.alg)} token`;
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return `no key in --jwks has ${typeof header.kid === 'string' ? `kid ${excerpt(header.kid)}` : 'a kid (the token has none)'} for ${excerpt(header.alg)}`;
    case 'ERR_JWKS_FETCH_FAILED':
    case 'ERR_JWKS_TIMEOUT':
      return 'the --jwks URL could not be fetched; check the URL, or save the set to a file and pass --jwks @FILE';
    default:
      return undefined;
  }
}
