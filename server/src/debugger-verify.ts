// POST /debugger/verify: server-side verification for API users and scripts (the debugger page no longer
// calls it: it verifies and signs in the browser with tessera-jwt/web). It verifies a JWS (or decrypts a
// JWE) with a given secret, PEM, JWK or JWK Set, or with this server's own JWKS, and reports exactly
// which check failed as the library's typed error (name, code, message, claim). Neither the token nor
// the key is logged or kept.
import {
  decodeJWT,
  decodeProtectedHeader,
  decryptJWE,
  decryptJWT,
  isJWTError,
  JWKSet,
  JWS_ALGORITHMS,
  verifyJWT,
  type JWK,
  type KeyInput,
  type VerifyOptions,
} from 'tessera-jwt';
import { parseJSON, type TokenService } from 'tessera-jwt/server';
import { BODY_LIMITS } from './body-limit.js';
import { json, oauthError, parseJSONObject, readBody, RequestProblem } from './http.js';

const MAX_BODY = BODY_LIMITS['/debugger/verify']!; // a 32 KiB token (the library's maxTokenLength) plus a large RSA JWK Set

export interface VerifyError {
  name: string;
  code: string;
  message: string;
  claim?: string;
  reason?: string;
  expiredAt?: string;
}

export interface VerifyResult {
  valid: boolean;
  kind: 'JWS' | 'JWE';
  header?: Record<string, unknown>;
  payload?: unknown;
  /** For a nested JWE (cty: JWT): the inner JWS, to verify in turn. */
  innerToken?: string;
  algorithms?: string[];
  /** What was checked, and what was not (and why). */
  notes: string[];
  error?: VerifyError;
}

/** The library's error, as the page shows it; a TypeError (e.g. a bad algorithm name) becomes ERR_INVALID_ARGUMENT. */
export function describeError(err: unknown): VerifyError {
  if (isJWTError(err)) {
    const e = err as unknown as { claim?: unknown; reason?: unknown; expiredAt?: unknown };
    return {
      name: err.name,
      code: err.code,
      message: err.message,
      ...(typeof e.claim === 'string' ? { claim: e.claim } : {}),
      ...(typeof e.reason === 'string' ? { reason: e.reason } : {}),
      ...(e.expiredAt instanceof Date ? { expiredAt: e.expiredAt.toISOString() } : {}),
    };
  }
  if (err instanceof TypeError) return { name: 'TypeError', code: 'ERR_INVALID_ARGUMENT', message: err.message };
  throw err;
}

class KeyTextError extends Error {}

/**
 * A pasted key: a JWK or JWK Set (JSON), a PEM or OpenSSH public key, `b64:` + base64(url) bytes, or
 * else the text itself as an HMAC secret (UTF-8), as jwt.io and PyJWT take it.
 */
export function parseKeyText(text: string): { key: KeyInput | JWKSet; description: string } {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    const parsed = parseJSON(trimmed);
    if (!parsed.ok) {
      throw new KeyTextError(
        parsed.problem === 'syntax'
          ? 'The key starts with "{" but is not valid JSON (a JWK or JWK Set was expected)'
          : `The key's JSON ${parsed.problem === 'depth' ? 'nests too deeply' : 'repeats a member name'} (a JWK or JWK Set was expected)`,
      );
    }
    const { value } = parsed;
    if (value !== null && typeof value === 'object' && Array.isArray((value as { keys?: unknown }).keys))
      return { key: JWKSet.from(value as { keys: JWK[] }), description: 'a JWK Set' };
    return { key: value as JWK, description: 'a JWK' };
  }
  if (trimmed.startsWith('-----BEGIN')) return { key: trimmed, description: 'a PEM key' };
  if (/^(ssh-|ecdsa-sha2-)/.test(trimmed)) return { key: trimmed, description: 'an OpenSSH public key' };
  if (trimmed.startsWith('b64:')) {
    const b64 = trimmed.slice(4).replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(b64))
      throw new KeyTextError('The key after "b64:" is not base64 or base64url');
    return {
      key: Buffer.from(b64, b64.includes('-') || b64.includes('_') ? 'base64url' : 'base64'),
      description: 'a secret (base64-decoded bytes)',
    };
  }
  // Not trimmed: the spaces of a secret are part of it.
  return { key: text, description: 'a secret (UTF-8 text)' };
}

function stringList(value: unknown, name: string): string[] | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const list = typeof value === 'string' ? value.split(/[\s,]+/).filter(Boolean) : value;
  if (!Array.isArray(list) || !list.every((s) => typeof s === 'string'))
    throw new RequestProblem(oauthError(400, 'invalid_request', `"${name}" must be a string or an array of strings`));
  return list.length ? list : undefined;
}

export function createDebuggerVerify(options: {
  service: TokenService;
  audience: string;
  algorithm: string;
}): (request: Request) => Promise<Response> {
  const { service } = options;

  const verify = async (body: Record<string, unknown>): Promise<VerifyResult> => {
    if (typeof body.token !== 'string' || body.token.trim() === '')
      throw new RequestProblem(oauthError(400, 'invalid_request', '"token" must be a non-empty string'));
    const token = body.token.trim().replace(/^Bearer\s+/i, '');
    const useServerKeys = body.useServerKeys === true;
    if (body.key !== undefined && typeof body.key !== 'string')
      throw new RequestProblem(
        oauthError(400, 'invalid_request', '"key" must be a string (a secret, PEM, JWK or JWK Set)'),
      );
    const keyText = typeof body.key === 'string' && body.key.trim() !== '' ? body.key : undefined;
    if (!useServerKeys && keyText === undefined)
      throw new RequestProblem(
        oauthError(400, 'invalid_request', 'Give a "key" (secret, PEM, JWK or JWK Set) or set "useServerKeys": true'),
      );
    const algorithmsAsked = stringList(body.algorithms, 'algorithms');
    let audience = stringList(body.audience, 'audience');
    let issuer = stringList(body.issuer, 'issuer');
    const notes: string[] = [];
    const parts = token.split('.').length;

    if (parts !== 3 && parts !== 5) {
      return {
        valid: false,
        kind: 'JWS',
        notes,
        error: {
          name: 'DecodeError',
          code: 'ERR_JWT_MALFORMED',
          message: `A JWS has 3 dot-separated parts and a JWE 5; this has ${parts}`,
        },
      };
    }

    let key: KeyInput | JWKSet;
    if (useServerKeys) {
      key = JWKSet.from(await service.jwks());
      notes.push("key: this server's JWKS");
      audience ??= [options.audience];
      issuer ??= [service.issuer];
    } else {
      try {
        const parsed = parseKeyText(keyText!);
        key = parsed.key;
        notes.push(`key: ${parsed.description}`);
      } catch (err) {
        if (err instanceof KeyTextError)
          return {
            valid: false,
            kind: parts === 3 ? 'JWS' : 'JWE',
            notes,
            error: { name: 'KeyInputError', code: 'ERR_KEY_INPUT', message: err.message },
          };
        return { valid: false, kind: parts === 3 ? 'JWS' : 'JWE', notes, error: describeError(err) };
      }
    }
    const claimOptions: Partial<VerifyOptions> = {};
    if (audience) claimOptions.audience = audience;
    else claimOptions.checks = { aud: false };
    if (issuer) claimOptions.issuer = issuer;
    notes.push(
      audience ? `aud: must be one of ${audience.join(', ')}` : 'aud: not checked (no expected audience given)',
    );
    notes.push(issuer ? `iss: must be ${issuer.join(' or ')}` : 'iss: not checked (no expected issuer given)');
    notes.push('exp, nbf, iat: checked against the server clock, no leeway');

    if (parts === 5) return decrypt(token, key, claimOptions, notes);

    let header: Record<string, unknown>;
    let payload: unknown;
    try {
      ({ header, payload } = decodeJWT(token) as { header: Record<string, unknown>; payload: unknown });
    } catch (err) {
      return { valid: false, kind: 'JWS', notes, error: describeError(err) };
    }
    // Without a pinned list the token's own alg is allowed, if it is a real algorithm; the key still
    // decides the family (no RS256 → HS256 confusion), and `none` is refused by the library.
    const algorithms =
      algorithmsAsked ??
      (typeof header.alg === 'string' && JWS_ALGORITHMS.includes(header.alg) ? [header.alg] : [...JWS_ALGORITHMS]);
    if (useServerKeys && !algorithmsAsked) algorithms.splice(0, algorithms.length, options.algorithm);
    notes.push(
      algorithmsAsked || useServerKeys
        ? `algorithms: ${algorithms.join(', ')}`
        : `algorithms: ${algorithms.join(', ')} (taken from the token; pin the list in production)`,
    );
    try {
      verifyJWT(token, key, { ...claimOptions, algorithms, clockTolerance: 0 } as VerifyOptions);
      return { valid: true, kind: 'JWS', header, payload, algorithms, notes };
    } catch (err) {
      return { valid: false, kind: 'JWS', header, payload, algorithms, notes, error: describeError(err) };
    }
  };

  const decrypt = (
    token: string,
    key: KeyInput | JWKSet,
    claimOptions: Partial<VerifyOptions>,
    notes: string[],
  ): VerifyResult => {
    let header: Record<string, unknown>;
    try {
      header = decodeProtectedHeader(token) as Record<string, unknown>;
    } catch (err) {
      return { valid: false, kind: 'JWE', notes, error: describeError(err) };
    }
    const allow = {
      keyManagementAlgorithms: typeof header.alg === 'string' ? [header.alg] : [],
      contentEncryptionAlgorithms: typeof header.enc === 'string' ? [header.enc] : [],
    };
    notes.push(
      `algorithms: ${allow.keyManagementAlgorithms.join('')} + ${allow.contentEncryptionAlgorithms.join('')} (taken from the token; pin them in production)`,
    );
    try {
      if (typeof header.cty === 'string' && header.cty.toUpperCase() === 'JWT') {
        // Nested: decrypt here; the inner JWS needs its own (signing) key, so it is handed back to verify.
        const { plaintext } = decryptJWE(token, key as KeyInput, allow);
        const innerToken = new TextDecoder().decode(plaintext);
        notes.push('nested JWT: decrypted; the inner JWS is not verified here — verify it with its signing key');
        let payload: unknown;
        try {
          payload = decodeJWT(innerToken).payload;
        } catch (err) {
          return { valid: false, kind: 'JWE', header, innerToken, notes, error: describeError(err) };
        }
        return { valid: true, kind: 'JWE', header, payload, innerToken, notes };
      }
      const payload = decryptJWT(
        token,
        key as KeyInput,
        { ...allow, ...claimOptions, clockTolerance: 0 } as Parameters<typeof decryptJWT>[2],
      );
      return { valid: true, kind: 'JWE', header, payload, notes };
    } catch (err) {
      return { valid: false, kind: 'JWE', header, notes, error: describeError(err) };
    }
  };

  return async (request) => {
    try {
      const body = await readBody(request, { types: ['application/json'], maxBytes: MAX_BODY, unsupportedStatus: 415 });
      return json(200, await verify(parseJSONObject(body.text)));
    } catch (err) {
      if (err instanceof RequestProblem) return err.response;
      throw err;
    }
  };
}
