// The public face of an imported key. A Key is immutable, knows what it is (type, kty, crv) and what it
// is for (alg, use, key_ops), and never hands out private material unless asked with { private: true }.
// Every API that takes a KeyInput takes a Key, through the prepared-key registry of lib/keys.ts.
import { Buffer } from 'node:buffer';
import type { KeyObject } from 'node:crypto';
import { nodeCrypto } from '../lib/node-crypto.js';
import { InvalidKeyError, JWKError } from '../errors.js';
import { CURVE_NAMES, fromKeyObject, type PreparedKey, prepareKey, registerPreparedKey } from '../lib/keys.js';
import { type KeyKind, keyTypeMismatch } from '../lib/key-types.js';
import { keyObjectToJWK } from '../lib/jwk-export.js';
import { thumbprintOf, type ThumbprintDigest } from '../lib/thumbprint.js';
import { checkExportOptions, checkImportKeyOptions } from '../lib/option-names.js';
import type { ImportedKey, JWK, KeyInput } from '../types.js';

const KEY_OPS = new Set(['sign', 'verify', 'encrypt', 'decrypt', 'wrapKey', 'unwrapKey', 'deriveKey', 'deriveBits']);
// RFC 7517 §4.3: when both are present, "use" and "key_ops" must agree.
const OPS_FOR_USE: Record<'sig' | 'enc', ReadonlySet<string>> = {
  sig: new Set(['sign', 'verify']),
  enc: new Set(['encrypt', 'decrypt', 'wrapKey', 'unwrapKey', 'deriveKey', 'deriveBits']),
};

/**
 * Options of {@link importKey}.
 * @example
 * ```ts
 * const options: ImportKeyOptions = { alg: 'ES256', use: 'sig', kid: '2026-12' };
 * ```
 */
export interface ImportKeyOptions {
  /** Bind the key to one algorithm (it is then refused for any other). Must agree with a JWK's own `alg`. */
  alg?: string;
  /** `'sig'` or `'enc'`. Must agree with a JWK's own `use`. */
  use?: 'sig' | 'enc';
  /** The key ID; overrides nothing — a JWK's own `kid` must agree. */
  kid?: string;
}

/**
 * Options of {@link Key.toJWK} and `exportJWK`.
 * @example
 * ```ts
 * const options: ExportJWKOptions = { private: true };
 * ```
 */
export interface ExportJWKOptions {
  /** Include private members (`d`, `p`, … or a secret's `k`). Required for secrets and private keys. */
  private?: boolean;
}

let constructing = false;

function kindOf(prepared: PreparedKey): { kty: KeyKind; crv?: string } {
  if (prepared.kind === 'secret') return { kty: 'oct' };
  if (prepared.kind === 'opaque')
    throw new TypeError('key must be a string, a Uint8Array, a KeyObject, a JWK object or { key, passphrase }');
  switch (prepared.asymmetricKeyType) {
    case 'rsa':
    case 'rsa-pss':
      return { kty: 'RSA' };
    case 'ec': {
      const crv = CURVE_NAMES[prepared.namedCurve ?? ''];
      if (!crv) throw new InvalidKeyError('EC keys must be on P-256, P-384, P-521 or secp256k1');
      return { kty: 'EC', crv };
    }
    case 'ed25519':
      return { kty: 'OKP', crv: 'Ed25519' };
    case 'ed448':
      return { kty: 'OKP', crv: 'Ed448' };
    case 'x25519':
      return { kty: 'OKP', crv: 'X25519' };
    case 'x448':
      return { kty: 'OKP', crv: 'X448' };
  }
  throw new InvalidKeyError(`unsupported key type "${String(prepared.asymmetricKeyType)}"`);
}

/**
 * An imported key: what `importKey`, `generateKeyPair`, `generateSecret` and `JWKSet` hand out.
 * Accepted everywhere a key is (signJWT, verifyJWT, createSigner, …); its `alg`, `use` and
 * `key_ops` bind it (a Key for ES256 is refused for ES384), and signing puts its `kid` in the header.
 * @example
 * ```ts
 * import { importKey, signJWT } from 'tessera-jwt';
 * const key = importKey(readFileSync('private.pem', 'utf8'), { alg: 'ES256', kid: '2026-12' });
 * const token = signJWT({ sub: 'user-42' }, key); // header: { alg: 'ES256', typ: 'JWT', kid: '2026-12' }
 * console.log(key.type, key.kty, key.crv, key.thumbprint());
 * ```
 */
export class Key implements ImportedKey {
  /** `'public'`, `'private'` or `'secret'`. */
  readonly type: 'public' | 'private' | 'secret';
  /** The JWK key type: `'RSA'`, `'EC'`, `'OKP'` or `'oct'`. */
  readonly kty: KeyKind;
  /** The curve of EC and OKP keys (`'P-256'`, `'Ed25519'`, `'X25519'`, …). */
  readonly crv: string | undefined;
  /** The one algorithm this key may be used with, when bound. */
  readonly alg: string | undefined;
  /** The key ID. */
  readonly kid: string | undefined;
  /** `'sig'` or `'enc'`, when restricted. */
  readonly use: 'sig' | 'enc' | undefined;
  /** The operations this key may perform (JWK `key_ops`), when restricted. */
  readonly keyOps: readonly string[] | undefined;
  /** The `node:crypto` key. */
  readonly keyObject: KeyObject;

  /** Keys come from importKey, generateKeyPair, generateSecret or a JWKSet; the constructor is internal. */
  constructor(
    prepared: PreparedKey,
    meta: { alg?: string; use?: 'sig' | 'enc'; kid?: string; keyOps?: readonly string[] },
  ) {
    if (!constructing) throw new TypeError('use importKey(), generateKeyPair() or generateSecret() to create a Key');
    constructing = false;
    const { kty, crv } = kindOf(prepared);
    this.type = prepared.kind as 'public' | 'private' | 'secret';
    this.kty = kty;
    this.crv = crv;
    this.alg = meta.alg;
    this.kid = meta.kid;
    this.use = meta.use;
    this.keyOps = meta.keyOps ? Object.freeze([...meta.keyOps]) : undefined;
    let secretKey = prepared.secretKey;
    if (prepared.kind === 'secret' && !(secretKey instanceof nodeCrypto().KeyObject)) {
      // A Key outlives the caller's buffer: copy the secret into a KeyObject (also HMAC's fastest form).
      if (prepared.secret!.length === 0) throw new InvalidKeyError('the secret is empty');
      secretKey = nodeCrypto().createSecretKey(Buffer.from(prepared.secret!));
    }
    this.keyObject = prepared.keyObject ?? (secretKey as KeyObject);
    registerPreparedKey(this, {
      ...prepared,
      secretKey,
      jwkAlg: meta.alg,
      jwkUse: meta.use,
      jwkKeyOps: this.keyOps,
      jwkKid: meta.kid,
    });
    Object.freeze(this);
  }

  /**
   * The key as a JWK (RFC 7517), with `kid`, `alg`, `use` and `key_ops` when set. Private members need
   * `{ private: true }`; a private key exported with `{ private: false }` gives its public half; a
   * secret or private key exported without the option is an InvalidKeyError (no accidental leaks).
   * @example
   * ```ts
   * const publicJwk = keyPair.publicKey.toJWK();
   * const backup = keyPair.privateKey.toJWK({ private: true });
   * ```
   */
  toJWK(options: ExportJWKOptions = {}): JWK {
    if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
    checkExportOptions(options, 'Key#toJWK');
    if (options.private !== undefined && typeof options.private !== 'boolean')
      throw new TypeError('"private" option must be a boolean');
    if (this.type !== 'public' && options.private === undefined) {
      throw new InvalidKeyError(
        `exporting a ${this.type} key needs an explicit { private: true }${this.type === 'private' ? ' (or { private: false } for its public half)' : ''}`,
      );
    }
    if (this.type === 'secret' && options.private === false)
      throw new InvalidKeyError('a secret key has no public half to export');
    const jwk = keyObjectToJWK(this.keyObject, options.private === true);
    if (this.kid !== undefined) jwk.kid = this.kid;
    if (this.alg !== undefined) jwk.alg = this.alg;
    if (this.use !== undefined) jwk.use = this.use;
    if (this.keyOps !== undefined) jwk.key_ops = [...this.keyOps];
    return jwk;
  }

  /**
   * The key as PEM: SPKI for public keys, PKCS#8 for private keys (which needs `{ private: true }`;
   * `{ private: false }` gives the public half). Secrets have no PEM form (InvalidKeyError).
   * @example
   * ```ts
   * writeFileSync('public.pem', keyPair.publicKey.toPEM());
   * writeFileSync('private.pem', keyPair.privateKey.toPEM({ private: true }), { mode: 0o600 });
   * ```
   */
  toPEM(options: ExportJWKOptions = {}): string {
    if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
    checkExportOptions(options, 'Key#toPEM');
    if (this.type === 'secret') throw new InvalidKeyError('a secret key has no PEM form; use toJWK({ private: true })');
    if (this.type === 'private') {
      if (options.private === undefined)
        throw new InvalidKeyError(
          'exporting a private key needs an explicit { private: true } (or { private: false } for its public half)',
        );
      if (options.private) return this.keyObject.export({ type: 'pkcs8', format: 'pem' }) as string;
      return nodeCrypto().createPublicKey(this.keyObject).export({ type: 'spki', format: 'pem' }) as string;
    }
    return this.keyObject.export({ type: 'spki', format: 'pem' }) as string;
  }

  /**
   * The RFC 7638 JWK thumbprint of the (public) key, base64url; a stable identifier, e.g. for `kid`.
   * @example
   * ```ts
   * const kid = key.thumbprint(); // 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs'
   * ```
   */
  thumbprint(digest: ThumbprintDigest = 'sha256'): string {
    return thumbprintOf(keyObjectToJWK(this.keyObject, this.type === 'secret'), digest);
  }

  /**
   * The public half of a private key (with the same kid, alg, use), or the key itself if public.
   * @example
   * ```ts
   * const verifierKey = signingKey.publicKey();
   * ```
   */
  publicKey(): Key {
    if (this.type === 'public') return this;
    if (this.type === 'secret') throw new InvalidKeyError('a secret key has no public half');
    const keyOps = this.keyOps?.filter((op) => op !== 'sign' && op !== 'decrypt' && op !== 'unwrapKey');
    return newKey(fromKeyObject(nodeCrypto().createPublicKey(this.keyObject), 'keyobject'), {
      alg: this.alg,
      use: this.use,
      kid: this.kid,
      keyOps: keyOps && keyOps.length > 0 ? keyOps : undefined,
    });
  }

  /** The public JWK (what `JSON.stringify` of a Key gives — never private members). */
  toJSON(): JWK {
    return this.type === 'public'
      ? this.toJWK()
      : this.type === 'private'
        ? this.toJWK({ private: false })
        : { kty: 'oct', kid: this.kid, alg: this.alg };
  }
}

/** Internal: creates a Key. */
export function newKey(
  prepared: PreparedKey,
  meta: { alg?: string; use?: 'sig' | 'enc'; kid?: string; keyOps?: readonly string[] },
): Key {
  constructing = true;
  try {
    return new Key(prepared, meta);
  } finally {
    constructing = false;
  }
}

function checkMeta(
  jwk: JWK | undefined,
  options: ImportKeyOptions,
  kty: KeyKind,
  crv: string | undefined,
  Err: typeof JWKError | typeof InvalidKeyError,
): { alg?: string; use?: 'sig' | 'enc'; kid?: string; keyOps?: string[] } {
  for (const name of ['alg', 'use', 'kid'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'string')
      throw new TypeError(`"${name}" option must be a string`);
    if (jwk?.[name] !== undefined && options[name] !== undefined && jwk[name] !== options[name]) {
      throw new JWKError(`the JWK's "${name}" disagrees with the "${name}" option`);
    }
  }
  const alg = options.alg ?? jwk?.alg;
  const use = options.use ?? (jwk?.use as string | undefined);
  const kid = options.kid ?? jwk?.kid;
  const keyOps = jwk?.key_ops;
  if (use !== undefined && use !== 'sig' && use !== 'enc') throw new Err('"use" must be "sig" or "enc"');
  if (alg !== undefined) {
    const problem = keyTypeMismatch(alg, kty, crv);
    if (problem) throw new Err(`the key does not fit its "alg": ${problem}`);
  }
  if (keyOps !== undefined) {
    const seen = new Set<string>();
    for (const op of keyOps) {
      if (!KEY_OPS.has(op)) throw new Err(`"key_ops" contains an unknown operation "${op.slice(0, 40)}"`);
      if (seen.has(op)) throw new Err('"key_ops" lists an operation twice');
      seen.add(op);
      if (use !== undefined && !OPS_FOR_USE[use].has(op))
        throw new Err(`"key_ops" ("${op}") contradicts "use" ("${use}")`);
    }
  }
  return { alg, use: use as 'sig' | 'enc' | undefined, kid, keyOps };
}

/** Internal: a Key from an already-prepared key and its JWK (JWKSet entries). */
export function keyFromPrepared(prepared: PreparedKey, jwk: JWK | undefined, options: ImportKeyOptions = {}): Key {
  const { kty, crv } = kindOf(prepared);
  const Err = jwk ? JWKError : InvalidKeyError;
  return newKey(prepared, checkMeta(jwk, options, kty, crv, Err));
}

/**
 * Imports any KeyInput — a secret, PEM (SPKI, PKCS#8, PKCS#1, SEC1, certificate, encrypted PKCS#8 as
 * `{ key, passphrase }`), an OpenSSH public key, a JWK or a KeyObject — as a {@link Key}. A JWK is
 * validated (RFC 7517): its `alg` must fit its `kty`/`crv`, `use` and `key_ops` must agree, and
 * dangerous keys (RSA public exponent 1, points off the curve) are a JWKError.
 * @example
 * ```ts
 * import { importKey } from 'tessera-jwt';
 * const key = importKey({ kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo', kid: 'k1' });
 * console.log(key.type, key.kty, key.crv); // 'public' 'OKP' 'Ed25519'
 * const bound = importKey(pem, { alg: 'RS256' }); // refused for PS256 and everything else
 * ```
 */
export function importKey(input: KeyInput, options: ImportKeyOptions = {}): Key {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  checkImportKeyOptions(options);
  if (input instanceof Key) {
    if (options.alg === undefined && options.use === undefined && options.kid === undefined) return input;
    // Re-binding an existing Key: its own metadata must agree with the options, like a JWK's.
    const meta: JWK = {
      kty: input.kty,
      alg: input.alg,
      use: input.use,
      kid: input.kid,
      key_ops: input.keyOps ? [...input.keyOps] : undefined,
    };
    return keyFromPrepared(prepareKey(input), meta, options);
  }
  const prepared = prepareKey(input);
  const jwk =
    input !== null &&
    typeof input === 'object' &&
    !(input instanceof nodeCrypto().KeyObject) &&
    typeof (input as JWK).kty === 'string'
      ? (input as JWK)
      : undefined;
  return keyFromPrepared(prepared, jwk, options);
}
