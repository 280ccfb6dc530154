// The web verifyJWS: the Node entry's verifyJWS (same options, results and errors) over crypto.subtle. A
// compact JWS without extensions takes the compact path verifyJWT takes, with no extra work; JSON
// serializations (RFC 7515 §7.2), detached payloads (Appendix F), unencoded payloads (RFC 7797) and "crit"
// extensions go through the core's JWS parser (lib/jws-parse.ts), the one the Node entry uses.
import { DecodeError, InvalidSignatureError } from '../errors.js';
import { DEFAULT_MAX_TOKEN_LENGTH, decodeSignature } from '../lib/compact.js';
import { normalizeMaxJSONDepth } from '../lib/json.js';
import type { NormalizedJWS } from '../lib/jws.js';
import { allowedSignatures } from '../lib/jws-allowlist.js';
import { detachedBytes, type Parsed, parseCompact, parseJSON, type Signature } from '../lib/jws-parse.js';
import { latin1Bytes } from '../lib/latin1.js';
import { checkVerifyJWSOptions } from '../lib/option-names.js';
import type { FlattenedJWS, GeneralJWS } from '../types.js';
import {
  checkWithSource,
  resolveKey,
  verifyCompact,
  type WebCompactVerifyOptions,
  type WebVerifiedJWS,
  type WebVerifyJWSOptions,
} from './jws-verify.js';
import type { WebKeyResolver, WebKeySource } from './jwks.js';
import { decodeB64u } from './keys.js';
import { checkAlgorithms } from './options.js';

function checkedCrit(crit: unknown): readonly string[] {
  if (crit === undefined) return [];
  if (!Array.isArray(crit) || !crit.every((c) => typeof c === 'string'))
    throw new TypeError('"crit" option must be an array of strings');
  return crit;
}

function checkedMaxLength(value: unknown): number {
  const max = value ?? DEFAULT_MAX_TOKEN_LENGTH;
  if (typeof max !== 'number' || !(max > 0)) throw new TypeError('"maxTokenLength" option must be a positive number');
  return max;
}

function result(signature: Signature, payload: Uint8Array): WebVerifiedJWS {
  const out = {
    payload: new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength),
    protectedHeader: signature.protectedHeader as WebVerifiedJWS['protectedHeader'],
    header: signature.header,
  };
  return signature.unprotectedHeader ? { ...out, unprotectedHeader: signature.unprotectedHeader } : out;
}

async function verifyParsed(
  jws: string | FlattenedJWS | GeneralJWS,
  parsed: Parsed,
  key: WebKeySource,
  opts: NormalizedJWS,
): Promise<WebVerifiedJWS> {
  const candidates = allowedSignatures(parsed.signatures, opts);
  // As on Node: every allowed signature's key is resolved first; a resolver's refusal is the answer.
  const sources = new Map<Signature, unknown>();
  if (typeof key === 'function') {
    const text = typeof jws === 'string' ? jws : JSON.stringify(jws);
    for (const { signature } of candidates)
      sources.set(signature, await resolveKey(key as WebKeyResolver, signature.header, text));
  }
  let failure: unknown;
  for (const { signature, info } of candidates) {
    try {
      const bytes = decodeSignature(signature.text.slice(signature.d2 + 1));
      const data = latin1Bytes(signature.text.slice(0, signature.d2));
      const source = sources.get(signature) ?? key;
      await checkWithSource(source, signature.header, info, opts.allowWeakKeys, bytes, data);
    } catch (err) {
      if (candidates.length === 1) throw err;
      // Keep the most telling failure: a signature that did not verify beats a key that did not fit.
      if (failure === undefined || err instanceof InvalidSignatureError) failure = err;
      continue;
    }
    return result(signature, parsed.payload());
  }
  throw failure;
}

/**
 * Verifies a JWS over arbitrary bytes (RFC 7515) over `crypto.subtle` — compact, flattened or general
 * JSON — exactly like the Node entry's `verifyJWS`, and resolves to the payload bytes of the first
 * signature that verifies with the key and an allowed algorithm. Detached payloads come as
 * `detachedPayload`; RFC 7797 unencoded payloads (`b64: false`, listed in `crit`) are understood; other
 * `crit` extensions only when named in the `crit` option. For JWTs use `verifyJWT`, which also validates
 * claims.
 * @example
 * ```ts
 * const { payload } = await verifyJWS(jws, publicJwk, { algorithms: ['PS256'] });
 * const general = await verifyJWS(generalJws, ecPublicJwk, { algorithms: ['ES256', 'RS256'] });
 * await verifyJWS(detachedJws, hmacSecret, { algorithms: ['HS256'], detachedPayload: document });
 * ```
 */
export async function verifyJWS(
  jws: string | FlattenedJWS | GeneralJWS,
  key: WebKeySource,
  options: WebVerifyJWSOptions,
): Promise<WebVerifiedJWS> {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  checkVerifyJWSOptions(options);
  const algorithms = checkAlgorithms(options.algorithms);
  const crit = checkedCrit(options.crit);
  const maxTokenLength = checkedMaxLength(options.maxTokenLength);
  const maxJSONDepth = normalizeMaxJSONDepth(options.maxJSONDepth);
  if (options.allowWeakKeys !== undefined && typeof options.allowWeakKeys !== 'boolean')
    throw new TypeError('"allowWeakKeys" option must be a boolean');
  if (typeof jws === 'string' && options.detachedPayload === undefined) {
    const compact = await verifyCompact(jws, key, options as WebCompactVerifyOptions, algorithms, true);
    if (compact !== undefined) {
      const { header, payload } = compact;
      return { payload, protectedHeader: header, header };
    }
  }
  const detached = options.detachedPayload === undefined ? undefined : detachedBytes(options.detachedPayload);
  const opts: NormalizedJWS = {
    algorithms: new Set(algorithms),
    crit: new Set(crit),
    maxTokenLength,
    maxJSONDepth,
    allowWeakKeys: options.allowWeakKeys === true,
    custom: new Map(),
  };
  let parsed: Parsed;
  if (typeof jws === 'string') parsed = parseCompact(jws, opts, detached);
  else if (jws === null || typeof jws !== 'object' || Array.isArray(jws))
    throw new DecodeError('JWS must be a compact string or a JSON serialization object');
  else parsed = parseJSON(jws as unknown as Record<string, unknown>, opts, detached);
  return verifyParsed(jws, parsed, key, opts);
}
