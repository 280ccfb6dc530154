// A plain JWK Set document ({ keys: [...] }) as the key of the Node build's verifiers and decrypters, as the
// web entry takes it (lib/key-set.ts asKeySet): read like JWKSet.from(document), once per document object.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  decryptJWE,
  encryptJWE,
  exportJWK,
  generateKeyPair,
  JWKSetError,
  NoMatchingKeyError,
  signJWT,
  verifyJWS,
  verifyJWT,
} from 'tessera-jwt';

const es = generateKeyPair('ES256', { kid: 'es-1' });
const rs = generateKeyPair('RS256', { kid: 'rs-1' });
const doc = { keys: [exportJWK(es.publicKey), exportJWK(rs.publicKey)] };

test('verifyJWT and verifyJWS pick the key of a document by kid, and the alg list can come from the keys', () => {
  const token = signJWT({ sub: 'a' }, es.privateKey, { algorithm: 'ES256' });
  assert.equal(verifyJWT(token, doc, { algorithms: ['ES256', 'RS256'] }).sub, 'a');
  assert.equal(verifyJWT(signJWT({ sub: 'b' }, rs.privateKey, { algorithm: 'RS256' }), doc).sub, 'b');
  assert.equal(JSON.parse(Buffer.from(verifyJWS(token, doc, { algorithms: ['ES256'] }).payload).toString()).sub, 'a');
  const other = generateKeyPair('ES256', { kid: 'elsewhere' });
  assert.throws(
    () => verifyJWT(signJWT({}, other.privateKey, { algorithm: 'ES256' }), doc, { algorithms: ['ES256'] }),
    NoMatchingKeyError,
  );
});

test('a resolver may answer with a document; an ambiguous kid in it is a JWKSetError, as with a JWKSet', async () => {
  const token = signJWT({ sub: 'a' }, es.privateKey, { algorithm: 'ES256' });
  assert.equal((await verifyJWT(token, () => doc, { algorithms: ['ES256'] })).sub, 'a');
  const twice = { keys: [exportJWK(es.publicKey), { ...exportJWK(generateKeyPair('ES256').publicKey), kid: 'es-1' }] };
  assert.throws(() => verifyJWT(token, twice, { algorithms: ['ES256'] }), JWKSetError);
});

test('decryptJWE takes a document of private keys, and a JWK object is still one key', () => {
  const ec = generateKeyPair('ECDH-ES+A256KW', { kid: 'enc-1' });
  const jwe = encryptJWE('hello', ec.publicKey, { alg: 'ECDH-ES+A256KW', enc: 'A256GCM', kid: 'enc-1' });
  const keys = { keys: [exportJWK(ec.privateKey, { private: true })] };
  const options = { keyManagementAlgorithms: ['ECDH-ES+A256KW'], contentEncryptionAlgorithms: ['A256GCM'] };
  assert.equal(Buffer.from(decryptJWE(jwe, keys, options).plaintext).toString(), 'hello');
  assert.equal(
    Buffer.from(decryptJWE(jwe, exportJWK(ec.privateKey, { private: true }), options).plaintext).toString(),
    'hello',
  );
});
