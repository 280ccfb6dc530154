// Keys for the web entry: a secret, a JWK, a CryptoKey, PEM text (SPKI, PKCS#8, PKCS#1, SEC1, X.509
// certificate, encrypted PKCS#8 with { key, passphrase }), an OpenSSH public key or JWK JSON text, imported through
// crypto.subtle and bound to one JWS algorithm with the Node entry's rules: the key type and curve must
// match the algorithm, a JWK "alg" must agree, HMAC secrets are at least the hash output long and RSA
// moduli at least 2048 bits (unless allowWeakKeys), and a PEM or a JWK is never taken as an HMAC secret.
import { InvalidAlgorithmError, InvalidKeyError, JWKError } from '../errors.js';
import type { AlgorithmInfo } from '../lib/algorithms.js';
import type { JWK } from '../types.js';
import { assertSecretFits, looksLikeKeyText, type PassphraseKeyInput, readKeyText } from './key-secret.js';
import { isOnCurve } from './ec-point.js';
import type { ParsedKey } from './pem.js';

export type { PassphraseKeyInput } from './key-secret.js';

/**
 * A Web Crypto `CryptoKey`, structurally (so that these declarations need neither the DOM nor Node's types).
 * @example
 * ```ts
 * const { privateKey } = await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify']);
 * ```
 */
export interface CryptoKeyLike {
  readonly type: string;
  readonly extractable: boolean;
  readonly algorithm: { readonly name: string };
  readonly usages: readonly string[];
}

/**
 * A key the web entry accepts: an HMAC secret (text or bytes), a JWK (object or JSON text), a `CryptoKey`,
 * PEM text (`PUBLIC KEY`, `PRIVATE KEY`, `RSA PUBLIC KEY`, `RSA PRIVATE KEY`, `EC PRIVATE KEY`,
 * `CERTIFICATE`), an OpenSSH public key line, `{ key, passphrase }` for an `ENCRYPTED PRIVATE KEY`, or a web `Key`.
 */
export type WebKeyInput = string | Uint8Array | JWK | CryptoKeyLike | PassphraseKeyInput | KeyLike;

/**
 * A web `Key` (from importKey, generateKeyPair, generateSecret), structurally: where a key is accepted,
 * it stands for its JWK with its `alg`, `use`, `kid` and `key_ops`.
 * @example
 * ```ts
 * const key: KeyLike = await importKey(pem);
 * ```
 */
export interface KeyLike {
  readonly type: 'public' | 'private' | 'secret';
  readonly kty: string;
  toJWK(options?: { private?: boolean }): JWK;
}

type CryptoKey = CryptoKeyLike;
type Params = { name: string; hash?: string; namedCurve?: string; saltLength?: number };
type JsonWebKey = Record<string, unknown>;
/** Internal: the part of crypto.subtle used here, typed locally (no DOM lib in this build). */
export interface Subtle {
  importKey(format: string, data: unknown, params: Params, extractable: boolean, usages: string[]): Promise<CryptoKey>;
  exportKey(format: 'jwk', key: CryptoKey): Promise<JsonWebKey>;
  sign(params: Params, key: CryptoKey, data: Uint8Array): Promise<ArrayBuffer>;
  verify(params: Params, key: CryptoKey, signature: Uint8Array, data: Uint8Array): Promise<boolean>;
}
/** Internal: crypto.subtle of this runtime. */
export const subtle = (): Subtle => (globalThis.crypto as unknown as { subtle: Subtle }).subtle;

/** Internal: a key ready for crypto.subtle.sign/verify. */
export interface WebKey {
  readonly key: CryptoKey;
  readonly params: Params;
  readonly kid?: string;
}

/** Internal: base64url (web/base64url.ts, the web build's twin of lib/base64url.ts) under the names used here. */
import { decodeBase64url as decodeB64u } from './base64url.js';
export { decodeBase64url as decodeB64u, encodeBase64url as encodeB64u } from './base64url.js';

/** Internal: the runtime's name, for the messages of missing primitives. */
export function runtimeName(): string {
  const g = globalThis as {
    Deno?: unknown;
    Bun?: unknown;
    navigator?: { userAgent?: string };
    process?: { versions?: { node?: string } };
  };
  if (g.Deno !== undefined) return 'Deno';
  if (g.Bun !== undefined) return 'Bun';
  if (g.process?.versions?.node !== undefined) return `Node.js ${g.process.versions.node}`;
  const agent = g.navigator?.userAgent ?? '';
  if (agent === 'Cloudflare-Workers') return 'Cloudflare Workers';
  if (agent.startsWith('Node.js')) return 'Node.js';
  const browser = /(Firefox|Edg|Chrome)\/(\d+)/.exec(agent);
  if (browser) return `${browser[1] === 'Edg' ? 'Edge' : browser[1]} ${browser[2]}`;
  const safari = /Version\/(\d+).*Safari/.exec(agent);
  if (safari) return `Safari ${safari[1]}`;
  return agent || 'this runtime';
}

function hashName(info: AlgorithmInfo): string {
  return `SHA-${info.hash!.slice(3)}`;
}

function importParams(info: AlgorithmInfo): Params {
  switch (info.family) {
    case 'HS':
      return { name: 'HMAC', hash: hashName(info) };
    case 'RS':
      return { name: 'RSASSA-PKCS1-v1_5', hash: hashName(info) };
    case 'PS':
      return { name: 'RSA-PSS', hash: hashName(info) };
    case 'ES':
      return { name: 'ECDSA', namedCurve: info.crv! };
    default:
      return { name: info.okpTypes!.length === 1 && info.okpTypes![0] === 'ed448' ? 'Ed448' : 'Ed25519' };
  }
}

function operationParams(info: AlgorithmInfo): WebKey['params'] {
  switch (info.family) {
    case 'PS':
      return { name: 'RSA-PSS', saltLength: Number(info.hash!.slice(3)) / 8 }; // RFC 7518 §3.5
    case 'ES':
      return { name: 'ECDSA', hash: hashName(info) };
    default:
      return { name: importParams(info).name };
  }
}

function unsupported(info: AlgorithmInfo, what: string): InvalidAlgorithmError {
  return new InvalidAlgorithmError(
    `${info.name} is not available on ${runtimeName()}: its crypto.subtle has no ${what}`,
  );
}

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

function checkJWKBinding(jwk: JWK, info: AlgorithmInfo, usage: 'sign' | 'verify'): void {
  const j = jwk as Record<string, unknown>;
  // As on Node: a JWK restricted to encryption, or to other operations, is not used to sign or verify.
  if (j.use !== undefined && j.use !== 'sig') throw new JWKError(`the JWK's "use" is "${String(j.use)}", not "sig"`);
  if (j.key_ops !== undefined && (!Array.isArray(j.key_ops) || !j.key_ops.includes(usage)))
    throw new JWKError(`the JWK's "key_ops" do not allow "${usage}"`);
  const want = { HS: 'oct', RS: 'RSA', PS: 'RSA', ES: 'EC', EdDSA: 'OKP', custom: '' }[info.family];
  if (j.kty !== want) throw new InvalidKeyError(`${info.name} needs a "${want}" JWK, not "${String(j.kty)}"`);
  if (j.alg !== undefined && j.alg !== info.name)
    throw new InvalidKeyError(`the JWK is for "${String(j.alg)}" and may not be used with ${info.name}`);
  if (info.family === 'ES' && j.crv !== info.crv)
    throw new InvalidKeyError(`${info.name} needs a ${info.crv} key, not ${String(j.crv)}`);
  if (info.family === 'EdDSA') {
    const crv = String(j.crv).toLowerCase();
    if (!info.okpTypes!.includes(crv))
      throw new InvalidKeyError(`${info.name} cannot use an OKP key on ${String(j.crv)}`);
  }
}

async function importChecked(
  format: 'raw' | 'jwk' | 'spki' | 'pkcs8',
  data: Uint8Array | JsonWebKey,
  info: AlgorithmInfo,
  usage: 'sign' | 'verify',
  params: ReturnType<typeof importParams>,
  extractable = false,
): Promise<CryptoKey> {
  try {
    return await subtle().importKey(format, data, params, extractable, [usage]);
  } catch (err) {
    const name = (err as { name?: string }).name;
    // No web runtime standardizes secp256k1: whatever the runtime throws for the curve, it is a missing
    // primitive. Ed25519/Ed448 are missing where the runtime says NotSupportedError.
    if (info.name === 'ES256K') throw unsupported(info, 'secp256k1');
    if (name === 'NotSupportedError' && (params.name === 'Ed448' || params.name === 'Ed25519'))
      throw unsupported(info, params.name);
    throw new InvalidKeyError(`the key cannot be imported for ${info.name} (${format})`);
  }
}

function checkCryptoKey(key: CryptoKey, info: AlgorithmInfo, usage: 'sign' | 'verify'): void {
  const expected = importParams(info) as { name: string; hash?: string; namedCurve?: string };
  const a = key.algorithm as { name: string; hash?: { name: string }; namedCurve?: string };
  if (a.name !== expected.name)
    throw new InvalidKeyError(`${info.name} needs a ${expected.name} CryptoKey, not ${a.name}`);
  if (expected.hash !== undefined && a.hash?.name !== expected.hash)
    throw new InvalidKeyError(`${info.name} needs a CryptoKey bound to ${expected.hash}`);
  if (expected.namedCurve !== undefined && a.namedCurve !== expected.namedCurve)
    throw new InvalidKeyError(`${info.name} needs a ${expected.namedCurve} CryptoKey`);
  if (!key.usages.includes(usage)) throw new InvalidKeyError(`the CryptoKey is not usable to ${usage}`);
}

function checkStrength(key: CryptoKey, info: AlgorithmInfo, allowWeak: boolean): void {
  if (allowWeak) return;
  const a = key.algorithm as { modulusLength?: number; length?: number };
  if ((info.family === 'RS' || info.family === 'PS') && (a.modulusLength ?? 0) < 2048)
    throw new InvalidKeyError(`RSA keys must be at least 2048 bits for ${info.name}`);
  if (info.family === 'HS' && (a.length ?? 0) < info.minSecretBytes! * 8)
    throw new InvalidKeyError(`${info.name} needs a secret of at least ${info.minSecretBytes} bytes`);
}

function isCryptoKey(v: unknown): v is CryptoKey {
  const C = (globalThis as { CryptoKey?: new () => unknown }).CryptoKey;
  return C !== undefined && v instanceof C;
}

// CryptoKeys imported from a JWK object, per object and per (algorithm, usage, strength rule): a set
// or a JWK verified again and again is imported once. Keyed weakly, so a dropped set frees its keys.
const imported = new WeakMap<object, Map<string, Promise<WebKey>>>();
const registeredKeys = new WeakMap<object, JWK>();

/** Internal: makes `owner` (a web Key) usable wherever a key is accepted, as `jwk`. */
export function registerKey(owner: object, jwk: JWK): void {
  registeredKeys.set(owner, jwk);
}

const textImports = new Map<string, Map<string, Promise<WebKey>>>();
const TEXT_CACHE_MAX = 128;

/**
 * Internal: imports and binds `input` to `info` for one operation (a JWK object's import is cached;
 * treat a JWK as immutable once used).
 */
export function webKeyFor(
  input: WebKeyInput,
  info: AlgorithmInfo,
  usage: 'sign' | 'verify',
  allowWeak: boolean,
): Promise<WebKey> {
  // A web Key stands for the JWK it was made from (with its alg, use, kid and key_ops).
  input = (registeredKeys.get(input as object) as WebKeyInput | undefined) ?? input;
  let byUse: Map<string, Promise<WebKey>> | undefined;
  if (typeof input === 'string' && looksLikeKeyText(input)) {
    // Key text (never a secret: secrets are not kept by the library) is parsed and imported once.
    byUse = textImports.get(input);
    if (byUse === undefined) {
      if (textImports.size >= TEXT_CACHE_MAX) textImports.delete(textImports.keys().next().value!);
      byUse = new Map();
      textImports.set(input, byUse);
    }
  } else if (input === null || typeof input !== 'object' || input instanceof Uint8Array)
    return importFor(input, info, usage, allowWeak);
  else {
    byUse = imported.get(input);
    if (byUse === undefined) {
      byUse = new Map();
      imported.set(input, byUse);
    }
  }
  const cache = byUse;
  const id = `${info.name} ${usage} ${allowWeak}`;
  let pending = byUse.get(id);
  if (pending === undefined) {
    pending = importFor(input, info, usage, allowWeak);
    byUse.set(id, pending);
    // A failed import is not remembered: the error is thrown again, but the runtime is asked again.
    pending.catch(() => cache.delete(id));
  }
  return pending;
}

async function importFor(
  input: WebKeyInput,
  info: AlgorithmInfo,
  usage: 'sign' | 'verify',
  allowWeak: boolean,
): Promise<WebKey> {
  if (info.family === 'custom') throw new InvalidAlgorithmError('custom algorithms are not supported here');
  if (info.name === 'ES256K' && typeof input !== 'object') throw unsupported(info, 'secp256k1');
  const params = importParams(info);
  const params2 = operationParams(info);
  let key: CryptoKey;
  let kid: string | undefined;
  if (isCryptoKey(input)) {
    checkCryptoKey(input, info, usage);
    key = input;
  } else if (typeof input === 'string' || input instanceof Uint8Array || isPassphraseInput(input)) {
    const text = await readKeyText(input);
    if (text.kind === 'jwk') return importFor(text.jwk, info, usage, allowWeak);
    if (text.kind === 'secret') {
      assertSecretFits(text.bytes, info, allowWeak);
      key = await importChecked('raw', text.bytes, info, usage, params);
    } else {
      // Key text was parsed by key-text.ts, so this import() only returns the module already loaded.
      const { assertParsedFits } = await import('./key-text.js');
      assertParsedFits(text.key, info, usage, allowWeak);
      key = await importParsed(text.key, info, usage, params);
    }
  } else if (input !== null && typeof input === 'object') {
    const jwk = input as Record<string, unknown>;
    checkJWKBinding(input as JWK, info, usage);
    if (info.family === 'ES' && !jwkOnCurve(jwk)) throw new JWKError(`EC JWK is not a point on ${String(jwk.crv)}`);
    if (typeof jwk.kid === 'string') kid = jwk.kid;
    const { alg: _a, key_ops: _o, use: _u, ext: _e, ...rest } = jwk;
    if (info.family !== 'HS') {
      if (usage === 'sign' && rest.d === undefined) throw new InvalidKeyError('signing needs a private JWK (with "d")');
      if (usage === 'verify') for (const name of PRIVATE_MEMBERS) delete rest[name];
    }
    key = await importChecked('jwk', rest as JsonWebKey, info, usage, params);
  } else {
    throw new InvalidKeyError('the key must be a secret, a JWK, a CryptoKey or PEM text');
  }
  checkStrength(key, info, allowWeak);
  return kid === undefined ? { key, params: params2 } : { key, params: params2, kid };
}

function isPassphraseInput(input: unknown): input is PassphraseKeyInput {
  return input !== null && typeof input === 'object' && 'passphrase' in input && 'key' in input && !('kty' in input);
}

// A parsed key into crypto.subtle; a private key given to verify gives its public half (as on Node).
async function importParsed(
  parsed: ParsedKey,
  info: AlgorithmInfo,
  usage: 'sign' | 'verify',
  params: ReturnType<typeof importParams>,
): Promise<CryptoKey> {
  if (parsed.format === 'jwk') return importChecked('jwk', parsed.jwk as JsonWebKey, info, usage, params);
  if (parsed.format === 'spki' || usage === 'sign')
    return importChecked(parsed.format, parsed.der!, info, usage, params);
  const privateKey = await importChecked('pkcs8', parsed.der!, info, 'sign', params, true);
  const { kty, crv, x, y, n, e } = await subtle().exportKey('jwk', privateKey);
  const publicJWK = Object.fromEntries(Object.entries({ kty, crv, x, y, n, e }).filter(([, v]) => v !== undefined));
  return importChecked('jwk', publicJWK, info, 'verify', params);
}

/**
 * Internal: the typed error for a primitive this runtime's crypto lacks: an InvalidAlgorithmError whose
 * message names the algorithm and the runtime (e.g. "A192KW is not available on Chrome 142: its
 * crypto.subtle has no 192-bit AES").
 */
export function unavailable(algorithm: string, what: string): InvalidAlgorithmError {
  return new InvalidAlgorithmError(
    `${algorithm} is not available on ${runtimeName()}: its crypto.subtle has no ${what}`,
  );
}

/**
 * Internal: the DER of a PEM key text in a form crypto.subtle imports (every PEM form the web entry reads:
 * SPKI, PKCS#8, PKCS#1, SEC1, a certificate's key), for the JWE keys.
 */
export async function pemKeyData(text: string): Promise<{ format: 'spki' | 'pkcs8'; der: Uint8Array } | undefined> {
  const parsed = await (await import('./pem.js')).parsePEM(text);
  return parsed.format === 'jwk' ? undefined : { format: parsed.format, der: parsed.der! };
}

/** Internal: a JWK's EC point is on its curve (true for other key types; malformed members are left to the import). */
export function jwkOnCurve(jwk: Record<string, unknown>): boolean {
  if (jwk.kty !== 'EC' || typeof jwk.x !== 'string' || typeof jwk.y !== 'string') return true;
  const x = decodeB64u(jwk.x);
  const y = decodeB64u(jwk.y);
  return x === undefined || y === undefined || isOnCurve(String(jwk.crv), x, y);
}
