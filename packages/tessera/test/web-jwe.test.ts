// The web entry's JWE (src/web/jwe*.ts, over crypto.subtle) on Node's WebCrypto: the same options, allowlists,
// limits and errors as the Node entry, one indistinguishable DecryptionError, and the typed error for a
// primitive a runtime lacks (simulated here the way Chromium refuses 192-bit AES). The cross-runtime
// conformance (vectors, Node-made tokens, every runtime) is in runtime-test/.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decryptJWE as nodeDecryptJWE,
  encryptJWE as nodeEncryptJWE,
  generateKeyPair,
  generateSecret,
} from 'tessera-jwt';
import { decryptJWE, decryptJWT, encryptJWE, encryptJWT, InvalidAlgorithmError } from '../src/web/index.js';
import { WEB_DECRYPT_JWE_NAMES, WEB_ENCRYPT_JWE_NAMES } from '../src/web/jwe-options.js';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

async function rejects(promise: Promise<unknown>, code: string, message?: RegExp): Promise<Error> {
  let caught: unknown;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof Error, 'expected a rejection');
  assert.equal((caught as { code?: string }).code, code, `${(caught as Error).name}: ${(caught as Error).message}`);
  if (message) assert.match((caught as Error).message, message);
  return caught as Error;
}

describe('web JWE: the options of the Node entry', () => {
  test('every web option name is one the Node entry accepts, and a misspelt one is a TypeError on both', async () => {
    const key = generateSecret('A256KW').toJWK({ private: true });
    for (const name of WEB_ENCRYPT_JWE_NAMES) nodeEncryptJWE('x', key, { alg: 'A256KW', [name]: undefined });
    const jwe = nodeEncryptJWE('x', key, { alg: 'A256KW' });
    for (const name of WEB_DECRYPT_JWE_NAMES)
      nodeDecryptJWE(jwe, key, { keyManagementAlgorithms: ['A256KW'], [name]: undefined });
    assert.throws(() => nodeEncryptJWE('x', key, { alg: 'A256KW', serialisation: 'compact' } as never), TypeError);
    await assert.rejects(encryptJWE('x', key, { alg: 'A256KW', serialisation: 'compact' } as never), TypeError);
    await assert.rejects(
      decryptJWE(jwe, key, { keyManagementAlgorithms: ['A256KW'], maxPbes2count: 1 } as never),
      TypeError,
    );
  });

  test('keyManagementAlgorithms is required unless the JWK names its alg; RSA1_5 and none are TypeErrors', async () => {
    const bare = { kty: 'oct', k: generateSecret('A256KW').toJWK({ private: true }).k! };
    const jwe = await encryptJWE('x', bare, { alg: 'A256KW' });
    await assert.rejects(decryptJWE(jwe, bare, {}), /keyManagementAlgorithms/);
    assert.equal(text((await decryptJWE(jwe, { ...bare, alg: 'A256KW' }, {})).plaintext), 'x');
    await assert.rejects(decryptJWE(jwe, bare, { keyManagementAlgorithms: ['RSA1_5'] }), /RSA1_5/);
    await assert.rejects(decryptJWE(jwe, bare, { keyManagementAlgorithms: ['none'] }), TypeError);
    await assert.rejects(encryptJWE('x', bare, { alg: 'RSA1_5' }), TypeError);
  });

  test('PBES2 only when listed; p2c above maxPbes2Count is refused before any PBKDF2 work', async () => {
    const jwe = await encryptJWE('x', 'correct horse battery staple', { alg: 'PBES2-HS256+A128KW', p2c: 20_000 });
    await rejects(
      decryptJWE(jwe, 'correct horse battery staple', { keyManagementAlgorithms: ['A128KW'] }),
      'ERR_JWT_ALG_NOT_ALLOWED',
    );
    await rejects(
      decryptJWE(jwe, 'correct horse battery staple', { keyManagementAlgorithms: ['PBES2-HS256+A128KW'] }),
      'ERR_JWE_DECRYPTION_FAILED',
      /maxPbes2Count/,
    );
    await assert.rejects(encryptJWE('x', 'short', { alg: 'PBES2-HS256+A128KW' }), /at least 8 bytes/);
  });
});

describe('web JWE: failures', () => {
  test('a wrong key and an altered tag are the same DecryptionError with the same message', async () => {
    const { publicKey, privateKey } = generateKeyPair('RSA-OAEP-256');
    const other = generateKeyPair('RSA-OAEP-256').privateKey.toJWK({ private: true });
    const jwe = await encryptJWE('secret', publicKey.toJWK(), { alg: 'RSA-OAEP-256' });
    const parts = jwe.split('.');
    const tag = Buffer.from(parts[4]!, 'base64url');
    tag[0]! ^= 1;
    const altered = [...parts.slice(0, 4), tag.toString('base64url')].join('.');
    const options = { keyManagementAlgorithms: ['RSA-OAEP-256'] };
    const a = await rejects(decryptJWE(jwe, other, options), 'ERR_JWE_DECRYPTION_FAILED');
    const b = await rejects(
      decryptJWE(altered, privateKey.toJWK({ private: true }), options),
      'ERR_JWE_DECRYPTION_FAILED',
    );
    assert.equal(a.message, b.message);
    assert.equal(a.message, 'JWE decryption failed');
  });

  test('zip DEF: the inflate cap holds while streaming (default 256 KiB), a raised cap reads it', async () => {
    const key = generateSecret('A128GCM').toJWK({ private: true });
    const big = 'a'.repeat(300 * 1024);
    const jwe = await encryptJWE(big, key, { enc: 'A128GCM', zip: 'DEF' });
    assert.ok(jwe.length < 4096, 'the plaintext was compressed');
    await rejects(decryptJWE(jwe, key, {}), 'ERR_JWE_DECRYPTION_FAILED');
    assert.equal(text((await decryptJWE(jwe, key, { maxDecompressedBytes: 300 * 1024 })).plaintext), big);
    assert.equal(Buffer.from(nodeDecryptJWE(jwe, key, { maxDecompressedBytes: 300 * 1024 }).plaintext).toString(), big);
  });

  test('key binding: use "sig", key_ops, alg confusion, RSA under 2048 bits, a secret for RSA-OAEP', async () => {
    const { publicKey, privateKey } = generateKeyPair('RSA-OAEP-256');
    const jwe = await encryptJWE('x', publicKey.toJWK(), { alg: 'RSA-OAEP-256' });
    const priv = privateKey.toJWK({ private: true });
    const options = { keyManagementAlgorithms: ['RSA-OAEP-256', 'RSA-OAEP'] };
    await rejects(decryptJWE(jwe, { ...priv, use: 'sig' }, options), 'ERR_JWK_INVALID');
    await rejects(decryptJWE(jwe, { ...priv, key_ops: ['sign'] }, options), 'ERR_JWK_INVALID');
    await rejects(decryptJWE(jwe, { ...priv, alg: 'RSA-OAEP' }, options), 'ERR_KEY_INVALID');
    await rejects(decryptJWE(jwe, 'a-shared-secret-of-thirty-two-b!', options), 'ERR_KEY_INVALID');
    const { generateKeyPairSync } = await import('node:crypto');
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' });
    await rejects(encryptJWE('x', weak as never, { alg: 'RSA-OAEP-256' }), 'ERR_KEY_INVALID', /2048/);
  });

  test('a runtime without 192-bit AES: a typed InvalidAlgorithmError naming the algorithm and the runtime', async () => {
    const subtle = globalThis.crypto.subtle as unknown as { importKey: (...args: unknown[]) => Promise<unknown> };
    const original = subtle.importKey;
    // What Chromium does: AES keys of 192 bits are refused (OperationError).
    subtle.importKey = function (this: unknown, format: unknown, data: unknown, params: unknown, ...rest: unknown[]) {
      const name = (params as { name?: string }).name ?? '';
      if (name.startsWith('AES-') && (data as Uint8Array).length === 24)
        return Promise.reject(new DOMException('AES key data must be 128 or 256 bits', 'OperationError'));
      return original.call(this, format, data, params, ...rest);
    };
    try {
      const kw = generateSecret('A192KW').toJWK({ private: true });
      const err = await rejects(encryptJWE('x', kw, { alg: 'A192KW' }), 'ERR_JWT_ALG_NOT_ALLOWED');
      assert.ok(err instanceof InvalidAlgorithmError);
      assert.match(err.message, /^A192KW is not available on Node\.js [\d.]+: its crypto\.subtle has no 192-bit AES$/);
      const jwe = nodeEncryptJWE('x', generateSecret('A256KW').toJWK({ private: true }), {
        alg: 'A256KW',
        enc: 'A192GCM',
      });
      await rejects(
        decryptJWE(jwe, generateSecret('A256KW').toJWK({ private: true }), { keyManagementAlgorithms: ['A256KW'] }),
        'ERR_JWT_ALG_NOT_ALLOWED',
        /^A192GCM is not available/,
      );
    } finally {
      subtle.importKey = original;
    }
  });
});

describe('web JWT encryption', () => {
  test('nested: signed on the web, encrypted, then decrypted and verified with claim checks', async () => {
    const recipient = generateKeyPair('ECDH-ES+A256KW');
    const issuer = generateKeyPair('ES256');
    const token = await encryptJWT({ sub: 'user-42', iss: 'https://issuer.example' }, recipient.publicKey.toJWK(), {
      enc: 'A256GCM',
      expiresIn: '5m',
      sign: { key: issuer.privateKey.toJWK({ private: true }), algorithm: 'ES256' },
    });
    const options = {
      nested: { key: issuer.publicKey.toJWK(), algorithms: ['ES256'] },
      issuer: 'https://issuer.example',
    };
    const claims = await decryptJWT(token, recipient.privateKey.toJWK({ private: true }), options);
    assert.equal(claims.sub, 'user-42');
    await rejects(
      decryptJWT(token, recipient.privateKey.toJWK({ private: true }), { ...options, issuer: 'https://other.example' }),
      'ERR_JWT_ISSUER_INVALID',
    );
    await rejects(decryptJWT(token, recipient.privateKey.toJWK({ private: true }), {}), 'ERR_JWT_MALFORMED', /nested/);
    await assert.rejects(
      encryptJWT({}, recipient.publicKey.toJWK(), { sign: { key: 'x', algorithm: 'HS256', header: {} } } as never),
      TypeError,
    );
  });
});
