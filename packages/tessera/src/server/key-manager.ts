// Signing keys over their whole life: created, published in the JWKS before they sign (so every
// verifier's cached JWKS already has them), signing for one rotation interval, then kept for
// verification until every token they signed has expired, then deleted. Private keys rest in the store
// as compact JWEs (A256KW + A256GCM) under the operator's key; this process keeps decrypted Keys only
// in memory.
import { InvalidKeyError, StoreUnavailableError } from '../errors.js';
import { decryptJWE } from '../jwe/decrypt.js';
import { encryptJWE } from '../jwe/encrypt.js';
import { generateKeyPair } from '../jwk/generate.js';
import { importKey, type Key } from '../jwk/key.js';
import { JWKSet } from '../jwks/set.js';
import { prepareKey } from '../lib/keys.js';
import type { JWK, KeyInput } from '../types.js';
import type { StoredSigningKey, TokenStore } from './store.js';
import { storeCall } from './store-call.js';

export interface KeyManagerSettings {
  readonly store: TokenStore;
  /** 32-byte secret that encrypts private keys at rest (A256KW). */
  readonly encryptionKey: KeyInput;
  readonly algorithm: string;
  /** Seconds a key signs before the next one takes over. */
  readonly rotationInterval: number;
  /** Seconds a key is published before it signs (longer than any verifier caches the JWKS). */
  readonly publishAhead: number;
  /** Seconds a retired key stays for verification (the longest lifetime of a token it signed). */
  readonly verifyAfterRetire: number;
  readonly now: () => number;
}

const KEY_MANAGEMENT = { keyManagementAlgorithms: ['A256KW'], contentEncryptionAlgorithms: ['A256GCM'] };

/** What the token service needs from its keys. */
export interface KeyManager {
  /** The key that signs now (rotating first when it is due). */
  signingKey(): Promise<Key>;
  /** Every key that may verify: pending, active and retired-but-not-expired ones. */
  verificationKeys(): Promise<JWKSet>;
  /** The public JWK Set to publish. */
  publicJWKS(): Promise<{ keys: JWK[] }>;
  /** Rotation and clean-up now: creates the next key when due, deletes expired ones. */
  maintain(): Promise<void>;
}

/** The key that signs at `t`: the most recently activated one not yet retired. */
function activeKey(keys: readonly StoredSigningKey[], t: number): StoredSigningKey | undefined {
  let active: StoredSigningKey | undefined;
  for (const k of keys)
    if (k.activatesAt <= t && t < k.retiresAt && (!active || k.activatesAt > active.activatesAt)) active = k;
  return active;
}

export function createKeyManager(settings: KeyManagerSettings): KeyManager {
  const { store, algorithm, rotationInterval, publishAhead, verifyAfterRetire, now } = settings;
  const kek = prepareKey(settings.encryptionKey);
  if (kek.kind !== 'secret' || kek.secret!.length !== 32)
    throw new TypeError(
      '"keys.encryptionKey" must be a 32-byte secret (e.g. crypto.randomBytes(32), kept in your secret manager)',
    );
  const kekInput = settings.encryptionKey;
  const decrypted = new Map<string, Key>();
  let records: StoredSigningKey[] | undefined;
  let loadedAt = -Infinity;
  let maintaining: Promise<void> | undefined;
  let verification: { set: JWKSet; kids: string } | undefined;
  // Other processes share the store: re-read the key list at most this often.
  const REFRESH = Math.min(60, publishAhead / 4);

  const privateKeyOf = (record: StoredSigningKey): Key => {
    let key = decrypted.get(record.kid);
    if (!key) {
      let plaintext: Uint8Array;
      try {
        ({ plaintext } = decryptJWE(record.encryptedPrivateKey, kekInput, KEY_MANAGEMENT));
      } catch (err) {
        throw new InvalidKeyError(
          `signing key "${record.kid}" in the store cannot be decrypted with keys.encryptionKey (was the encryption key changed?)`,
          { cause: err },
        );
      }
      key = importKey(JSON.parse(Buffer.from(plaintext).toString('utf8')) as JWK, {
        alg: record.alg,
        kid: record.kid,
        use: 'sig',
      });
      decrypted.set(record.kid, key);
    }
    return key;
  };

  const create = async (activatesAt: number): Promise<void> => {
    const { privateKey, publicKey } = generateKeyPair(algorithm);
    const retiresAt = activatesAt + rotationInterval;
    const record: StoredSigningKey = {
      kid: privateKey.kid!,
      alg: algorithm,
      encryptedPrivateKey: encryptJWE(JSON.stringify(privateKey.toJWK({ private: true })), kekInput, {
        alg: 'A256KW',
        enc: 'A256GCM',
        cty: 'jwk+json',
      }),
      publicJwk: publicKey.toJWK(),
      createdAt: now(),
      activatesAt,
      retiresAt,
      expiresAt: retiresAt + verifyAfterRetire,
    };
    await storeCall('saving a signing key', () => store.saveSigningKey(record));
    decrypted.set(record.kid, privateKey);
  };

  const load = async (force = false): Promise<StoredSigningKey[]> => {
    if (!force && records && now() - loadedAt < REFRESH) return records;
    records = await storeCall('listing signing keys', () => store.listSigningKeys());
    loadedAt = now();
    return records;
  };

  const maintainNow = async (): Promise<void> => {
    const t = now();
    let keys = await load(true);
    for (const k of keys.filter((k) => k.expiresAt <= t)) {
      await storeCall('deleting an expired signing key', () => store.deleteSigningKey(k.kid));
      decrypted.delete(k.kid);
    }
    keys = keys.filter((k) => k.expiresAt > t);
    const active = activeKey(keys, t);
    if (!active) {
      // First start, or the service was down through a whole rotation: a key that signs at once.
      await create(t);
    } else if (active.retiresAt - publishAhead <= t && !keys.some((k) => k.activatesAt > active.activatesAt)) {
      // The successor is published now and signs once the active key retires — but never sooner than
      // publishAhead from now (rotation runs on use: a quiet service may notice late), so the active
      // key signs a little longer instead.
      const activatesAt = Math.max(active.retiresAt, t + publishAhead);
      if (activatesAt > active.retiresAt) {
        await storeCall('extending a signing key', () =>
          store.saveSigningKey({ ...active, retiresAt: activatesAt, expiresAt: activatesAt + verifyAfterRetire }),
        );
      }
      await create(activatesAt);
    }
    await load(true);
  };

  const maintain = (): Promise<void> => {
    // One maintenance at a time per process (concurrent requests share it).
    maintaining ??= maintainNow().finally(() => {
      maintaining = undefined;
    });
    return maintaining;
  };

  const due = (keys: StoredSigningKey[], t: number): boolean => {
    const active = activeKey(keys, t);
    return (
      !active ||
      keys.some((k) => k.expiresAt <= t) ||
      (active.retiresAt - publishAhead <= t && !keys.some((k) => k.activatesAt > active.activatesAt))
    );
  };

  return {
    async signingKey() {
      let keys = await load();
      let t = now();
      if (due(keys, t)) {
        await maintain();
        keys = await load();
        t = now(); // maintenance took time: a key it created activates at its own, later, clock reading
      }
      const active = activeKey(keys, t);
      if (!active) throw new StoreUnavailableError('no signing key is active');
      return privateKeyOf(active);
    },
    async verificationKeys() {
      const t = now();
      if ((await load()).length === 0) await maintain(); // a fresh store: create the first key
      const keys = (await load()).filter((k) => k.expiresAt > t);
      const kids = keys.map((k) => k.kid).join(',');
      if (verification?.kids !== kids) {
        if (keys.length === 0) throw new StoreUnavailableError('no signing key exists yet');
        verification = {
          set: JWKSet.from(
            { keys: keys.map((k) => ({ ...k.publicJwk, kid: k.kid, alg: k.alg, use: 'sig' }) as JWK) },
            { publicOnly: true },
          ),
          kids,
        };
      }
      return verification.set;
    },
    async publicJWKS() {
      const t = now();
      if (due(await load(), t)) await maintain();
      return (await this.verificationKeys()).toJSON();
    },
    maintain,
  };
}
