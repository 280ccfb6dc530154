// A start-up check the token service does only lazily: that the key encryption key opens the signing
// keys already in the store. With the wrong key, every login would fail with a 500; this fails the
// start instead, with a message that says which setting to look at.
import { decryptJWE } from 'tessera-jwt';
import type { TokenStore } from 'tessera-jwt/server';

export async function checkSigningKeys(store: TokenStore, keyEncryptionKey: Buffer): Promise<number> {
  const keys = await store.listSigningKeys();
  for (const key of keys) {
    try {
      decryptJWE(key.encryptedPrivateKey, keyEncryptionKey, {
        keyManagementAlgorithms: ['A256KW'],
        contentEncryptionAlgorithms: ['A256GCM'],
      });
    } catch {
      throw new Error(
        `signing key "${key.kid}" in the store cannot be decrypted with this key encryption key: ` +
          'TESSERA_KEY_ENCRYPTION_KEY (or DATA_DIR/secrets.json) must be the one the store was created with',
      );
    }
  }
  return keys.length;
}
