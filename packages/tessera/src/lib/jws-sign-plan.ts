// Everything signJWS does that is not cryptography, shared by the Node and web entries: option checks,
// the payload encoding (RFC 7797 "b64"), each signer's protected and unprotected headers, the signing
// input, and the compact, flattened or general output (RFC 7515 §7). Platform-neutral.
import type { FlattenedJWS, GeneralJWS } from '../types.js';
import { encodeBase64url } from './base64url.js';
import { encodeProtectedHeader } from './jws-header.js';
import { latin1Text, utf8Bytes } from './latin1.js';
import { checkSignJWSOptions } from './option-names.js';

/** The options of signJWS that this plan reads (the Node and web option types both fit it). */
export interface JWSPlanOptions {
  algorithm?: unknown;
  kid?: string;
  typ?: string | null;
  header?: Record<string, unknown>;
  unprotectedHeader?: Record<string, unknown>;
  serialization?: 'compact' | 'flattened' | 'general';
  signers?: JWSPlanSigner[];
  detached?: boolean;
  b64?: boolean;
  allowWeakKeys?: boolean;
}

/** One signer as the plan sees it. */
export interface JWSPlanSigner {
  key: unknown;
  algorithm?: unknown;
  kid?: string;
  header?: Record<string, unknown>;
  unprotectedHeader?: Record<string, unknown>;
}

/**
 * The payload encoding (RFC 7797 "b64") from the `b64` option and any `b64` in a protected header:
 * they are one setting (the payload is shared by every signature, RFC 7797 §3), so they must agree.
 * `undefined` when none is given. A `b64` in an unprotected header is refused: it must be protected.
 */
function payloadEncoding(options: JWSPlanOptions): boolean | undefined {
  let b64 = options.b64;
  if (b64 !== undefined && typeof b64 !== 'boolean') throw new TypeError('"b64" option must be a boolean');
  const signers: JWSPlanSigner[] = Array.isArray(options.signers) ? options.signers : [options as JWSPlanSigner];
  const sources: Array<[unknown, string]> = [];
  signers.forEach((signer, i) => {
    if (signer === null || typeof signer !== 'object') return;
    const own = signer === (options as JWSPlanSigner);
    sources.push([signer.header, own ? 'header' : `signers[${i}].header`]);
    const unprotected = signer.unprotectedHeader as Record<string, unknown> | undefined;
    if (unprotected !== null && typeof unprotected === 'object' && Object.hasOwn(unprotected, 'b64')) {
      throw new TypeError(
        `"${own ? '' : `signers[${i}].`}unprotectedHeader.b64" must be protected (RFC 7797 §3); use the "b64" option`,
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

/** What one signature needs: the protected segment to sign over, and its unprotected header. */
export interface SignerHeaders {
  readonly segment: string;
  readonly unprotected: Record<string, unknown> | undefined;
}

/** One computed signature, ready for the output. */
export interface SignedEntry {
  readonly protected: string;
  readonly header: Record<string, unknown> | undefined;
  readonly signature: string;
}

/** The checked options of one signJWS call. */
export interface JWSPlan {
  readonly serialization: 'compact' | 'flattened' | 'general';
  /** Whether the payload is base64url-encoded (false: RFC 7797 `b64: false`). */
  readonly encoded: boolean;
  readonly detached: boolean;
  /** The signers (one built from the top-level options unless `signers` is given). */
  readonly signers: JWSPlanSigner[];
  /** The signing input of a protected segment, the payload's bytes as latin1 characters (RFC 7797 §3). */
  signingInput(segment: string): string;
  /** A protected header with the `b64`/`crit` members the payload encoding needs. */
  b64Header(header: unknown): Record<string, unknown> | undefined;
  /** A signer's protected header (alg, typ, kid, members) and unprotected header, checked. */
  headersOf(signer: JWSPlanSigner, alg: string, keyKid: string | undefined): SignerHeaders;
  /** The payload as it appears in the output ('' when detached). */
  readonly payloadOut: string;
}

/** Checks the arguments of signJWS and plans the work that is the same on every platform. */
export function planJWS(payload: unknown, key: unknown, options: JWSPlanOptions): JWSPlan {
  if (typeof payload !== 'string' && !(payload instanceof Uint8Array))
    throw new TypeError('JWS payload must be a string or a Uint8Array');
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  checkSignJWSOptions(options);
  const serialization = options.serialization ?? (options.signers ? 'general' : 'compact');
  if (serialization !== 'compact' && serialization !== 'flattened' && serialization !== 'general') {
    throw new TypeError('"serialization" option must be "compact", "flattened" or "general"');
  }
  const encoded = payloadEncoding(options) !== false;
  const bytes = typeof payload === 'string' ? utf8Bytes(payload) : payload;
  const payloadB64 = encoded ? encodeBase64url(bytes) : '';
  const detached = Boolean(options.detached);
  if (!encoded && serialization === 'compact' && !detached && bytes.includes(0x2e)) {
    throw new TypeError(
      'an unencoded (b64: false) compact JWS payload may not contain "." unless it is detached (RFC 7797 §5.2)',
    );
  }
  const raw = encoded ? '' : latin1Text(bytes);
  // b64 given through a header behaves like the option; any protected "b64" must be listed in "crit"
  // (RFC 7797 §6), so it is added there, as the option does.
  const b64Header = (value: unknown): Record<string, unknown> | undefined => {
    const header = members(value, 'header');
    if (encoded && header?.b64 === undefined) return header;
    const crit = Array.isArray(header?.crit) ? (header.crit as unknown[]) : [];
    return { ...header, b64: encoded, crit: crit.includes('b64') ? crit : [...crit, 'b64'] };
  };
  const signers: JWSPlanSigner[] = options.signers ?? [
    {
      key,
      algorithm: options.algorithm,
      kid: options.kid,
      header: options.header,
      unprotectedHeader: options.unprotectedHeader,
    },
  ];
  if (!Array.isArray(signers) || signers.length === 0)
    throw new TypeError('"signers" option must be a non-empty array');
  if (serialization !== 'general' && signers.length > 1)
    throw new TypeError('several signers need the general serialization');
  signers.forEach((signer, index) => {
    if (signer === null || typeof signer !== 'object') throw new TypeError(`signers[${index}] must be an object`);
  });
  return {
    serialization,
    encoded,
    detached,
    signers,
    signingInput: (segment) => `${segment}.${encoded ? payloadB64 : raw}`,
    b64Header,
    headersOf(signer, alg, keyKid) {
      const extra = b64Header(signer.header);
      const unprotected = members(signer.unprotectedHeader, 'unprotectedHeader');
      if (serialization === 'compact' && unprotected)
        throw new TypeError('"unprotectedHeader" needs a JSON serialization (flattened or general)');
      // A kid given as an unprotected member stays there; otherwise the key's kid is protected.
      const kid = signer.kid ?? (unprotected && Object.hasOwn(unprotected, 'kid') ? undefined : keyKid);
      const { header, segment } = encodeProtectedHeader(alg, { header: extra, kid, typ: options.typ }, undefined);
      for (const name of Object.keys(unprotected ?? {})) {
        if (Object.hasOwn(header, name))
          throw new TypeError(`"unprotectedHeader.${name}" is also a protected header member`);
      }
      return { segment, unprotected };
    },
    payloadOut: detached ? '' : encoded ? payloadB64 : new TextDecoder().decode(bytes),
  };
}

/** The JWS in the planned serialization. */
export function assembleJWS(plan: JWSPlan, signatures: SignedEntry[]): string | FlattenedJWS | GeneralJWS {
  const first = signatures[0]!;
  if (plan.serialization === 'compact') return `${first.protected}.${plan.payloadOut}.${first.signature}`;
  const entry = (s: SignedEntry) => ({
    protected: s.protected,
    ...(s.header ? { header: s.header } : {}),
    signature: s.signature,
  });
  const body = plan.detached ? {} : { payload: plan.payloadOut };
  if (plan.serialization === 'flattened') return { ...body, ...entry(first) } as FlattenedJWS;
  return { ...body, signatures: signatures.map(entry) } as GeneralJWS;
}
