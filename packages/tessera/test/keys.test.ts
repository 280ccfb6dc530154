// Every KeyInput form, and the rules that bind a key to the algorithms it may be used with.
import assert from 'node:assert/strict';
import { createPublicKey, type KeyObject, randomBytes } from 'node:crypto';
import { generateKeyPairSync } from './helpers/keygen.js';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createSigner, InvalidKeyError, JWKError, type JWK, type KeyInput, signJWT, verifyJWT } from 'tessera-jwt';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../../test/fixtures');
const fixture = (name: string) => readFileSync(join(fixtures, name), 'utf8');
const currentDate = new Date(1_700_000_000_000);

function roundTrip(privateKey: KeyInput, publicKey: KeyInput, alg: string) {
  const token = signJWT({ sub: 'k' }, privateKey, { algorithm: alg, currentDate });
  return verifyJWT(token, publicKey, { algorithms: [alg], currentDate }).sub;
}
const isKeyError = (err: unknown) => err instanceof InvalidKeyError && err.code === 'ERR_KEY_INVALID';

describe('key formats', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });

  test('SPKI and PKCS#8 PEM', () => {
    const priv = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const pub = rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string;
    assert.equal(roundTrip(priv, pub, 'RS256'), 'k');
  });
  test('PKCS#1 RSA PEM, private and public', () => {
    const priv = rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
    const pub = rsa.publicKey.export({ type: 'pkcs1', format: 'pem' }) as string;
    assert.match(pub, /BEGIN RSA PUBLIC KEY/);
    assert.equal(roundTrip(priv, pub, 'PS256'), 'k');
  });
  test('SEC1 EC private key PEM', () => {
    const priv = ec.privateKey.export({ type: 'sec1', format: 'pem' }) as string;
    assert.match(priv, /BEGIN EC PRIVATE KEY/);
    assert.equal(roundTrip(priv, ec.publicKey, 'ES256'), 'k');
  });
  test('encrypted PKCS#8 with a passphrase', () => {
    const key = ec.privateKey.export({
      type: 'pkcs8',
      format: 'pem',
      cipher: 'aes-256-cbc',
      passphrase: 'correct horse',
    }) as string;
    assert.equal(roundTrip({ key, passphrase: 'correct horse' }, ec.publicKey, 'ES256'), 'k');
  });
  test('encrypted PKCS#8 without a passphrase says one is needed', () => {
    const key = ec.privateKey.export({
      type: 'pkcs8',
      format: 'pem',
      cipher: 'aes-256-cbc',
      passphrase: 'pw',
    }) as string;
    assert.throws(
      () => signJWT({}, key, { algorithm: 'ES256' }),
      (err: unknown) => isKeyError(err) && /passphrase/.test((err as Error).message),
    );
  });
  test('encrypted PKCS#8 with the wrong passphrase is an InvalidKeyError', () => {
    const key = ec.privateKey.export({
      type: 'pkcs8',
      format: 'pem',
      cipher: 'aes-256-cbc',
      passphrase: 'pw',
    }) as string;
    assert.throws(() => signJWT({}, { key, passphrase: 'wrong' }, { algorithm: 'ES256' }), isKeyError);
  });
  test('an X.509 certificate verifies tokens of its key', () => {
    assert.equal(roundTrip(fixture('cert-p256.key.pem'), fixture('cert-p256.pem'), 'ES256'), 'k');
  });
  test('OpenSSH public key lines from ssh-keygen (RSA, ECDSA P-384) and Ed25519', () => {
    assert.equal(roundTrip(fixture('ssh-rsa'), fixture('ssh-rsa.pub'), 'RS256'), 'k');
    assert.equal(roundTrip(fixture('ssh-ecdsa'), fixture('ssh-ecdsa.pub'), 'ES384'), 'k');
    assert.equal(roundTrip(fixture('ssh-ed25519'), fixture('ssh-ed25519.pub'), 'EdDSA'), 'k');
  });
  test('a PEM given as bytes (readFileSync without an encoding) is a PEM, not a secret', () => {
    const pub = readFileSync(join(fixtures, 'cert-p256.pem'));
    assert.equal(roundTrip(fixture('cert-p256.key.pem'), pub, 'ES256'), 'k');
  });
  test('JWK objects, private and public', () => {
    const priv = ec.privateKey.export({ format: 'jwk' }) as JWK;
    const pub = ec.publicKey.export({ format: 'jwk' }) as JWK;
    assert.equal(roundTrip(priv, pub, 'ES256'), 'k');
  });
  test('a JWK carrying alg makes the algorithms option optional', () => {
    const pub = { ...(ec.publicKey.export({ format: 'jwk' }) as JWK), alg: 'ES256' };
    const token = signJWT({}, ec.privateKey, { algorithm: 'ES256' });
    assert.ok(verifyJWT(token, pub, {}));
  });
  test('a JWK whose alg is not a JWS algorithm cannot stand in for the algorithms option', () => {
    const jwk = { kty: 'oct', k: randomBytes(32).toString('base64url'), alg: 'A256GCM' };
    assert.throws(() => verifyJWT('a.b.c', jwk, {}), isKeyError);
  });
  test('an oct JWK is a secret', () => {
    const k = randomBytes(32);
    assert.equal(roundTrip({ kty: 'oct', k: k.toString('base64url') }, k, 'HS256'), 'k');
  });
  test('KeyObjects, and a private KeyObject can verify', () => {
    assert.equal(roundTrip(ec.privateKey, ec.privateKey, 'ES256'), 'k');
  });
  test('an OpenSSH private key file is refused with a conversion hint', () => {
    const text = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n';
    assert.throws(
      () => signJWT({}, text, { algorithm: 'EdDSA' }),
      (err: unknown) => isKeyError(err) && /ssh-keygen -p -m PKCS8/.test((err as Error).message),
    );
  });
  test('a corrupt PEM is an InvalidKeyError, not a crash', () => {
    assert.throws(
      () => verifyJWT('a.b.c', '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----', { algorithms: ['RS256'] }),
      isKeyError,
    );
  });
});

describe('algorithm inference when signing', () => {
  const cases: Array<[string, () => KeyObject | Uint8Array]> = [
    ['HS256', () => randomBytes(32)],
    ['RS256', () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey],
    ['PS256', () => generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).privateKey],
    ['ES256', () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey],
    ['ES384', () => generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey],
    ['ES512', () => generateKeyPairSync('ec', { namedCurve: 'P-521' }).privateKey],
    ['ES256K', () => generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey],
    ['EdDSA', () => generateKeyPairSync('ed25519').privateKey],
  ];
  for (const [alg, make] of cases) {
    test(`a ${alg} key signs with ${alg} by default`, () => {
      const key = make();
      const token = signJWT({}, key);
      assert.equal(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).alg, alg);
      assert.ok(verifyJWT(token, key instanceof Uint8Array ? key : createPublicKey(key), { algorithms: [alg] }));
    });
  }
});

describe('key and algorithm binding', () => {
  const ec384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  test('ES256 refuses a P-384 key when signing and says which curve it needs', () => {
    assert.throws(
      () => signJWT({}, ec384.privateKey, { algorithm: 'ES256' }),
      (err: unknown) => isKeyError(err) && /P-256/.test((err as Error).message),
    );
  });
  test('ES256 refuses a P-384 key when verifying', () => {
    const token = signJWT({}, ec384.privateKey, { algorithm: 'ES384' });
    const forged = `${Buffer.from('{"alg":"ES256"}').toString('base64url')}.${token.split('.').slice(1).join('.')}`;
    assert.throws(() => verifyJWT(forged, ec384.publicKey, { algorithms: ['ES256'] }), isKeyError);
  });
  test('signing needs a private key', () => {
    assert.throws(() => signJWT({}, ec384.publicKey, { algorithm: 'ES384' }), isKeyError);
  });
  test('an RSA key cannot be used with EdDSA, nor an Ed25519 key with RS256', () => {
    const ed = generateKeyPairSync('ed25519');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    assert.throws(() => signJWT({}, rsa.privateKey, { algorithm: 'EdDSA' }), isKeyError);
    assert.throws(() => signJWT({}, ed.privateKey, { algorithm: 'RS256' }), isKeyError);
  });
  test('the Ed25519 algorithm name (RFC 9864) refuses an Ed448 key', () => {
    const ed448 = generateKeyPairSync('ed448');
    assert.throws(() => signJWT({}, ed448.privateKey, { algorithm: 'Ed25519' }), isKeyError);
    assert.ok(roundTrip(ed448.privateKey, ed448.publicKey, 'Ed448'));
  });
  test('RSA keys under 2048 bits are refused with a hint, and allowed with allowWeakKeys', () => {
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 });
    assert.throws(
      () => signJWT({}, weak.privateKey, { algorithm: 'RS256' }),
      (err: unknown) => isKeyError(err) && /modulusLength: 2048/.test((err as Error).message),
    );
    const token = signJWT({}, weak.privateKey, { algorithm: 'RS256', allowWeakKeys: true });
    assert.throws(() => verifyJWT(token, weak.publicKey, { algorithms: ['RS256'] }), isKeyError);
    assert.ok(verifyJWT(token, weak.publicKey, { algorithms: ['RS256'], allowWeakKeys: true }));
  });
  test('HMAC secrets shorter than the hash output are refused with a hint', () => {
    assert.throws(
      () => signJWT({}, 'short secret', { algorithm: 'HS256' }),
      (err: unknown) => isKeyError(err) && /randomBytes\(32\)/.test((err as Error).message),
    );
    assert.throws(
      () => signJWT({}, randomBytes(32), { algorithm: 'HS512' }),
      (err: unknown) => isKeyError(err) && /64 bytes/.test((err as Error).message),
    );
    assert.ok(signJWT({}, 'short secret', { algorithm: 'HS256', allowWeakKeys: true }));
  });
  test('an empty HMAC secret is refused even with allowWeakKeys', () => {
    assert.throws(() => signJWT({}, '', { algorithm: 'HS256', allowWeakKeys: true }), isKeyError);
  });
  test('a JWK whose alg differs from the token alg is refused', () => {
    const k = { kty: 'oct', k: randomBytes(32).toString('base64url'), alg: 'HS512' };
    assert.throws(() => signJWT({}, k, { algorithm: 'HS256' }), isKeyError);
  });
  test('a JWK with use "enc" or key_ops without the operation is a JWKError', () => {
    const k = randomBytes(32).toString('base64url');
    assert.throws(() => signJWT({}, { kty: 'oct', k, use: 'enc' }, { algorithm: 'HS256' }), JWKError);
    assert.throws(() => signJWT({}, { kty: 'oct', k, key_ops: ['verify'] }, { algorithm: 'HS256' }), JWKError);
  });
  test('an RSA JWK with public exponent 1 is a JWKError', () => {
    const jwk = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' }) as JWK;
    assert.throws(() => verifyJWT('a.b.c', { ...jwk, e: 'AQ' }, { algorithms: ['RS256'] }), JWKError);
  });
  test('a JWK with a non-base64url member is a JWKError', () => {
    assert.throws(
      () => verifyJWT('a.b.c', { kty: 'EC', crv: 'P-256', x: 'a+b', y: 'AA' }, { algorithms: ['ES256'] }),
      JWKError,
    );
  });
  test('an RSA-PSS key restricted to SHA-256 cannot sign PS384', () => {
    const pss = generateKeyPairSync('rsa-pss', {
      modulusLength: 2048,
      hashAlgorithm: 'sha256',
      mgf1HashAlgorithm: 'sha256',
      saltLength: 32,
    } as Parameters<typeof generateKeyPairSync>[1] as { modulusLength: number });
    assert.throws(() => signJWT({}, pss.privateKey, { algorithm: 'PS384' }), isKeyError);
    assert.ok(roundTrip(pss.privateKey, pss.publicKey, 'PS256'));
  });
  test('an RSA-PSS key cannot sign RS256', () => {
    const pss = generateKeyPairSync('rsa-pss', { modulusLength: 2048 });
    assert.throws(() => signJWT({}, pss.privateKey, { algorithm: 'RS256' }), isKeyError);
  });
  test('a byte secret reused after createSigner does not change the signer (it is copied)', () => {
    const secret = randomBytes(32);
    const copy = Buffer.from(secret);
    const sign = createSigner({ key: secret, currentDate });
    secret.fill(0);
    assert.ok(verifyJWT(sign({ a: 1 }), copy, { algorithms: ['HS256'], currentDate }));
  });
});
