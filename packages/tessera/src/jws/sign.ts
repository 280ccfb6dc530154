import { Buffer } from 'node:buffer';
import { encodeBase64url } from '../lib/base64url.js';
import { customAlgorithmInfo, customSign, isCustomAlgorithm } from '../lib/custom-algorithm.js';
import { createSignature, encodeProtectedHeader, signingAlgorithm } from '../lib/jws.js';
import { inferAlgorithm, prepareKey } from '../lib/keys.js';
import { checkSignJWSOptions } from '../lib/option-names.js';
import type { AsyncCustomAlgorithm, CustomAlgorithm, FlattenedJWS, GeneralJWS, KeyInput } from '../types.js';

/**
 * One signer of a general-serialization JWS.
 * @example
 * ```ts
 * const signer: JWSSigner = { key: rsaPrivateKey, algorithm: 'RS256', kid: 'rsa-1' };
 * ```
 */
export interface JWSSigner {
  key: KeyInput;
  algorithm?: string;
  kid?: string;
  /** Extra protected header members. */
  header?: Record<string, unknown>;
  /** Unprotected header members of this signature (JSON serializations). */
  unprotectedHeader?: Record<string, unknown>;
}

/**
 * Options of {@link signJWS}.
 * @example
 * ```ts
 * const options: SignJWSOptions = { algorithm: 'ES256', kid: 'k1', serialization: 'flattened', detached: true };
 * ```
 */
export interface SignJWSOptions {
  /** The JWS algorithm (default: inferred from the key), or a custom algorithm (compact only). */
  algorithm?: string | CustomAlgorithm;
  /** The `kid` header parameter. */
  kid?: string;
  /** The `typ` header parameter (default: none). */
  typ?: string | null;
  /** Extra protected header members. */
  header?: Record<string, unknown>;
  /** Unprotected header members (JSON serializations; RFC 7515 §7.2.1 "header"). */
  unprotectedHeader?: Record<string, unknown>;
  /** `'compact'` (default), `'flattened'` or `'general'` (RFC 7515 §7). */
  serialization?: 'compact' | 'flattened' | 'general';
  /** Several signatures over one payload (general serialization; the `key` argument is then ignored). */
  signers?: JWSSigner[];
  /** Leave the payload out of the output (RFC 7515 Appendix F); the verifier supplies it as `detachedPayload`. */
  detached?: boolean;
  /**
   * `false`: the RFC 7797 unencoded payload; adds `b64: false` and `crit: ["b64"]` to every protected
   * header. A `b64` given in `header` (or a signer's `header`) means the same and must agree with it.
   */
  b64?: boolean;
  /** Accept weak keys (see SignOptions). */
  allowWeakKeys?: boolean;
}

/**
 * The payload encoding (RFC 7797 "b64") from the `b64` option and any `b64` in a protected header:
 * they are one setting (the payload is shared by every signature, RFC 7797 §3), so they must agree.
 * `undefined` when none is given. A `b64` in an unprotected header is refused: it must be protected.
 */
function payloadEncoding(options: SignJWSOptions): boolean | undefined {
  let b64 = options.b64;
  if (b64 !== undefined && typeof b64 !== 'boolean') throw new TypeError('"b64" option must be a boolean');
  const signers = Array.isArray(options.signers) ? options.signers : [options];
  const sources: Array<[unknown, string]> = [];
  signers.forEach((signer, i) => {
    if (signer === null || typeof signer !== 'object') return;
    sources.push([signer.header, signer === options ? 'header' : `signers[${i}].header`]);
    const unprotected = signer.unprotectedHeader as Record<string, unknown> | undefined;
    if (unprotected !== null && typeof unprotected === 'object' && Object.hasOwn(unprotected, 'b64')) {
      throw new TypeError(
        `"${signer === options ? '' : `signers[${i}].`}unprotectedHeader.b64" must be protected (RFC 7797 §3); use the "b64" option`,
      );
    }
  });
  for (const [header, where] of sources) {
    if (header === null || typeof header !== 'object' || (header as Record<string, unknown>).b64 === undefined)
      continue;
    const value = (header as Record<string, unknown>).b64;
    if (typeof value !== 'boolean') throw new TypeError(`"${where}.b64" must be a boolean; use the "b64" option`);
    if (b64 !== undefined && value !== b64)
      throw new TypeError(
        `"${where}.b64" conflicts with the "b64" option or another header (one payload, one encoding: RFC 7797 §3)`,
      );
    b64 = value;
  }
  return b64;
}

function members(value: unknown, name: string): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new TypeError(`"${name}" option must be an object`);
  return value as Record<string, unknown>;
}

/**
 * Signs arbitrary bytes (or a UTF-8 string) as a JWS (RFC 7515): compact by default, or the flattened
 * or general JSON serialization (several `signers`, unprotected headers), with a detached payload
 * (`detached`) or an unencoded one (`b64: false`, RFC 7797). For JWT claims use `signJWT`.
 *
 * @example
 * ```ts
 * import { signJWS } from 'tessera-jwt';
 * const jws = signJWS('hello', privateKey, { algorithm: 'EdDSA', kid: 'k1' });
 * const general = signJWS('hello', null, {
 *   serialization: 'general',
 *   signers: [{ key: rsaKey, algorithm: 'RS256' }, { key: ecKey, algorithm: 'ES256', unprotectedHeader: { kid: 'ec-1' } }],
 * });
 * const detached = signJWS(bigDocument, hmacKey, { algorithm: 'HS256', detached: true, b64: false });
 * ```
 */
export function signJWS(
  payload: string | Uint8Array,
  key: unknown,
  options: SignJWSOptions & { algorithm: AsyncCustomAlgorithm },
): Promise<string>;
export function signJWS(
  payload: string | Uint8Array,
  key: unknown,
  options: SignJWSOptions & { algorithm: CustomAlgorithm },
): string;
export function signJWS(
  payload: string | Uint8Array,
  key: KeyInput | null,
  options: SignJWSOptions & { serialization: 'general' },
): GeneralJWS;
export function signJWS(
  payload: string | Uint8Array,
  key: KeyInput,
  options: SignJWSOptions & { serialization: 'flattened' },
): FlattenedJWS;
export function signJWS(
  payload: string | Uint8Array,
  key: KeyInput,
  options?: SignJWSOptions & { serialization?: 'compact' },
): string;
export function signJWS(
  payload: string | Uint8Array,
  key: unknown,
  options?: SignJWSOptions,
): string | FlattenedJWS | GeneralJWS | Promise<string>;
export function signJWS(
  payload: string | Uint8Array,
  key: unknown,
  options: SignJWSOptions = {},
): string | FlattenedJWS | GeneralJWS | Promise<string> {
  if (typeof payload !== 'string' && !(payload instanceof Uint8Array))
    throw new TypeError('JWS payload must be a string or a Uint8Array');
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  checkSignJWSOptions(options);
  const serialization = options.serialization ?? (options.signers ? 'general' : 'compact');
  if (serialization !== 'compact' && serialization !== 'flattened' && serialization !== 'general') {
    throw new TypeError('"serialization" option must be "compact", "flattened" or "general"');
  }
  const encoded = payloadEncoding(options) !== false;
  const bytes =
    typeof payload === 'string'
      ? Buffer.from(payload, 'utf8')
      : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  const payloadB64 = encoded ? encodeBase64url(bytes) : '';
  if (!encoded && serialization === 'compact' && !options.detached && bytes.includes(0x2e)) {
    throw new TypeError(
      'an unencoded (b64: false) compact JWS payload may not contain "." unless it is detached (RFC 7797 §5.2)',
    );
  }
  // The signing input: ASCII(BASE64URL(protected)) "." payload, where the payload is its base64url
  // text, or the raw bytes with b64: false (RFC 7797 §3), carried as a latin1 string (byte = char).
  const signingInput = (segment: string) =>
    encoded ? `${segment}.${payloadB64}` : `${segment}.${bytes.toString('latin1')}`;
  // b64 given through a header behaves like the option; any protected "b64" must be listed in "crit"
  // (RFC 7797 §6), so it is added there, as the option does.
  const b64Header = (header: Record<string, unknown> | undefined): Record<string, unknown> | undefined => {
    if (encoded && header?.b64 === undefined) return header;
    const crit = Array.isArray(header?.crit) ? (header.crit as unknown[]) : [];
    return { ...header, b64: encoded ? true : false, crit: crit.includes('b64') ? crit : [...crit, 'b64'] };
  };

  if (isCustomAlgorithm(options.algorithm)) {
    if (serialization !== 'compact' || options.signers) throw new TypeError('custom algorithms sign compact JWSs only');
    const info = customAlgorithmInfo(options.algorithm, 'sign');
    const { segment } = encodeProtectedHeader(
      info.name,
      { ...options, header: b64Header(members(options.header, 'header')) },
      undefined,
    );
    const input = signingInput(segment);
    const out = encoded ? payloadB64 : bytes.toString('utf8');
    const signature = customSign(info, key, input);
    const compact = (sig: string) => `${segment}.${options.detached ? '' : out}.${sig}`;
    return typeof signature === 'string' ? compact(signature) : signature.then(compact);
  }

  const signers: JWSSigner[] = options.signers ?? [
    {
      key: key as KeyInput,
      algorithm: options.algorithm as string | undefined,
      kid: options.kid,
      header: options.header,
      unprotectedHeader: options.unprotectedHeader,
    },
  ];
  if (!Array.isArray(signers) || signers.length === 0)
    throw new TypeError('"signers" option must be a non-empty array');
  if (serialization !== 'general' && signers.length > 1)
    throw new TypeError('several signers need the general serialization');
  const signatures = signers.map((signer, index) => {
    if (signer === null || typeof signer !== 'object') throw new TypeError(`signers[${index}] must be an object`);
    const prepared = prepareKey(signer.key);
    const info = signingAlgorithm(signer.algorithm, prepared, options.allowWeakKeys === true, () =>
      inferAlgorithm(prepared),
    );
    const extra = b64Header(members(signer.header, 'header'));
    const unprotected = members(signer.unprotectedHeader, 'unprotectedHeader');
    if (serialization === 'compact' && unprotected)
      throw new TypeError('"unprotectedHeader" needs a JSON serialization (flattened or general)');
    // A kid given as an unprotected member stays there; otherwise the key's kid is protected.
    const kid = signer.kid ?? (unprotected && Object.hasOwn(unprotected, 'kid') ? undefined : prepared.jwkKid);
    const { header, segment } = encodeProtectedHeader(info.name, { header: extra, kid, typ: options.typ }, undefined);
    for (const name of Object.keys(unprotected ?? {})) {
      if (Object.hasOwn(header, name))
        throw new TypeError(`"unprotectedHeader.${name}" is also a protected header member`);
    }
    return {
      protected: segment,
      header: unprotected,
      signature: createSignature(info, prepared, signingInput(segment)),
    };
  });

  const payloadOut = encoded ? payloadB64 : bytes.toString('utf8');
  if (serialization === 'compact')
    return `${signatures[0]!.protected}.${options.detached ? '' : payloadOut}.${signatures[0]!.signature}`;
  const entry = (s: (typeof signatures)[number]) => ({
    protected: s.protected,
    ...(s.header ? { header: s.header } : {}),
    signature: s.signature,
  });
  const body = options.detached ? {} : { payload: payloadOut };
  if (serialization === 'flattened') return { ...body, ...entry(signatures[0]!) } as FlattenedJWS;
  return { ...body, signatures: signatures.map(entry) } as GeneralJWS;
}
