// Regression (issue 12 item 1): JSON key material given where a shared secret is expected. A JWKS kept
// in an environment variable is a string; if a string that parses as a JWK, an array of JWKs or a JWK
// Set were used as an HMAC secret, anyone holding the public keys could forge HS256 tokens (RS/HS
// confusion, RFC 8725 §2.1). Every such string is refused exactly like a public PEM given as a secret.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { createHmac } from 'node:crypto';
import { generateKeyPairSync } from './helpers/keygen.js';
import {
  createSigner,
  createVerifier,
  decryptJWE,
  encryptJWE,
  importKey,
  InvalidKeyError,
  signJWS,
  signJWT,
  verifyJWS,
  verifyJWT,
} from 'tessera-jwt';
import type { JWK } from 'tessera-jwt';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const rsaJwk = { ...(rsa.publicKey.export({ format: 'jwk' }) as JWK), kid: 'rsa-1', alg: 'RS256', use: 'sig' };
const ecJwk = { ...(ec.publicKey.export({ format: 'jwk' }) as JWK), kid: 'ec-1' };
const PEM = rsa.publicKey.export({ format: 'pem', type: 'spki' }).toString();

const b64u = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

/** An HS256 token whose MAC is computed over `secret`: what an attacker holding the public keys can make. */
function forge(secret: string): string {
  const input = `${b64u('{"alg":"HS256","typ":"JWT"}')}.${b64u('{"sub":"admin","admin":true}')}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

// Every shape of JSON key material, as an operator may store it (pretty-printed, with a BOM, escaped).
const KEY_TEXTS: Record<string, string> = {
  'an array of public JWKs': JSON.stringify([rsaJwk]),
  'an array of two public JWKs, pretty-printed': JSON.stringify([rsaJwk, ecJwk], null, 2),
  'an array of public JWKs after whitespace and a BOM': `\uFEFF \n${JSON.stringify([ecJwk])}\n`,
  'a JWK Set': JSON.stringify({ keys: [rsaJwk] }),
  'a JWK Set with two keys': JSON.stringify({ keys: [rsaJwk, ecJwk] }),
  'an empty JWK Set': JSON.stringify({ keys: [] }),
  'a JWK whose "kty" is written with a JSON escape': JSON.stringify(ecJwk).replace('"kty"', '"\\u006bty"'),
  'a JWK Set whose "keys" is written with a JSON escape': JSON.stringify({ keys: [ecJwk] }).replace(
    '"keys"',
    '"\\u006beys"',
  ),
  'an array of JWK Sets': JSON.stringify([{ keys: [rsaJwk] }]),
};

/** The error a public PEM gets as a secret: the reference every JSON form must match. */
function pemError(): InvalidKeyError {
  try {
    verifyJWT(forge(PEM), PEM, { algorithms: ['HS256'] });
  } catch (err) {
    assert.ok(err instanceof InvalidKeyError);
    return err;
  }
  assert.fail('a public PEM was accepted as an HMAC secret');
}

function assertRefusedLikePEM(fn: () => unknown, text: string): void {
  const reference = pemError();
  assert.throws(fn, (err: unknown) => {
    assert.ok(
      err instanceof InvalidKeyError,
      `expected InvalidKeyError, got ${(err as Error)?.name}: ${(err as Error)?.message}`,
    );
    assert.equal(err.constructor, reference.constructor);
    assert.equal(err.code, reference.code);
    assert.ok(!err.message.includes(text.trim().slice(0, 40)), 'the message must not quote the key text');
    return true;
  });
}

describe('JSON key material is never an HMAC secret', () => {
  for (const [name, text] of Object.entries(KEY_TEXTS)) {
    test(`verifyJWT refuses ${name} as the HS256 secret (with the PEM's error)`, () => {
      const token = forge(text);
      assertRefusedLikePEM(() => verifyJWT(token, text, { algorithms: ['HS256'] }), text);
      assertRefusedLikePEM(() => verifyJWT(token, Buffer.from(text), { algorithms: ['HS256'] }), text);
      assertRefusedLikePEM(
        () => verifyJWT(token, new Uint8Array(Buffer.from(text)), { algorithms: ['HS256', 'RS256'] }),
        text,
      );
    });

    test(`signJWT, createSigner and createVerifier refuse ${name} as the secret`, () => {
      assertRefusedLikePEM(() => signJWT({ sub: 'x' }, text, { algorithm: 'HS256' }), text);
      assertRefusedLikePEM(() => signJWT({ sub: 'x' }, text), text);
      assertRefusedLikePEM(() => createSigner({ key: text, algorithm: 'HS256' })({ sub: 'x' }), text);
      assertRefusedLikePEM(() => createVerifier({ key: text, algorithms: ['HS256'] })(forge(text)), text);
    });

    test(`signJWS, verifyJWS and importKey refuse ${name} as the secret`, () => {
      assertRefusedLikePEM(() => signJWS('payload', text, { algorithm: 'HS256' }), text);
      const input = `${b64u('{"alg":"HS256"}')}.${b64u('payload')}`;
      const jws = `${input}.${createHmac('sha256', text).update(input).digest('base64url')}`;
      assertRefusedLikePEM(() => verifyJWS(jws, text, { algorithms: ['HS256'] }), text);
      assertRefusedLikePEM(
        () =>
          verifyJWS(
            { protected: b64u('{"alg":"HS256"}'), payload: b64u('payload'), signature: jws.split('.')[2]! },
            text,
            { algorithms: ['HS256'] },
          ),
        text,
      );
      // One JWK is a key (never a secret); several are refused outright.
      if (name.startsWith('a JWK whose')) assert.equal(importKey(text).type, 'public');
      else assertRefusedLikePEM(() => importKey(text), text);
      assertRefusedLikePEM(() => importKey(text, { alg: 'HS256' }), text);
    });

    test(`JWE "dir", AES key wrap and PBES2 refuse ${name} as the secret`, () => {
      assertRefusedLikePEM(() => encryptJWE('hi', text, { alg: 'dir', enc: 'A256GCM' }), text);
      assertRefusedLikePEM(() => encryptJWE('hi', text, { alg: 'A256KW', enc: 'A256GCM' }), text);
      assertRefusedLikePEM(() => encryptJWE('hi', text, { alg: 'PBES2-HS256+A128KW', enc: 'A128GCM' }), text);
      const jwe = encryptJWE('hi', Buffer.alloc(32, 7), { alg: 'dir', enc: 'A256GCM' });
      assertRefusedLikePEM(
        () => decryptJWE(jwe, text, { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] }),
        text,
      );
    });
  }

  test('a single public JWK as JSON text is still a key: it verifies its own algorithm and is refused for HS256', () => {
    const text = JSON.stringify(rsaJwk);
    const token = signJWT({ sub: 'user-42' }, rsa.privateKey, { algorithm: 'RS256' });
    assert.equal(verifyJWT(token, text, { algorithms: ['RS256'] }).sub, 'user-42');
    assertRefusedLikePEM(() => verifyJWT(forge(text), text, { algorithms: ['HS256'] }), text);
  });

  test('secrets that merely start like JSON stay secrets (control)', () => {
    for (const secret of [
      '{this is not json but a long enough secret}',
      '[0123456789abcdef0123456789abcdef]',
      '{"purpose":"a JSON secret without key members!!"}',
      '["not", "keys", "just", "words", "in", "an", "array"]',
    ]) {
      const token = signJWT({ sub: 'user-42' }, secret, { algorithm: 'HS256' });
      assert.equal(verifyJWT(token, secret, { algorithms: ['HS256'] }).sub, 'user-42');
      assert.equal(verifyJWT(token, Buffer.from(secret), { algorithms: ['HS256'] }).sub, 'user-42');
    }
  });

  test('a byte secret starting with "{" keeps its exact bytes (not re-encoded as UTF-8)', () => {
    const secret = Buffer.concat([Buffer.from('{'), Buffer.alloc(40, 0xff)]);
    const token = signJWT({ sub: 'user-42' }, secret, { algorithm: 'HS256' });
    const [h, p, s] = token.split('.');
    assert.equal(createHmac('sha256', secret).update(`${h}.${p}`).digest('base64url'), s);
    assert.equal(verifyJWT(token, secret, { algorithms: ['HS256'] }).sub, 'user-42');
  });
});
