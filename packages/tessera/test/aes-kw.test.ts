// AES Key Wrap (src/lib/aes-kw.ts): the form composed from AES-ECB, used where node:crypto has no
// id-aesN-wrap cipher (Deno, Bun), must agree with RFC 3394's own test vectors and with OpenSSL's cipher
// (which Node has) on every size, and refuse what OpenSSL refuses. The Deno and Bun runs of the Node build
// (runtime-test/test/node-build.test.mjs) use it for real.
import assert from 'node:assert/strict';
import { createCipheriv, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { aesKeyUnwrap, aesKeyWrap, canKeyWrap, unwrapOverECB, wrapOverECB } from '../src/lib/aes-kw.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// RFC 3394 §4.1–4.6: KEK, key data, ciphertext.
const VECTORS: Array<[string, string, string, string]> = [
  [
    '4.1 128-bit data, 128-bit KEK',
    '000102030405060708090A0B0C0D0E0F',
    '00112233445566778899AABBCCDDEEFF',
    '1FA68B0A8112B447 AEF34BD8FB5A7B82 9D3E862371D2CFE5',
  ],
  [
    '4.2 128-bit data, 192-bit KEK',
    '000102030405060708090A0B0C0D0E0F1011121314151617',
    '00112233445566778899AABBCCDDEEFF',
    '96778B25AE6CA435 F92B5B97C050AED2 468AB8A17AD84E5D',
  ],
  [
    '4.3 128-bit data, 256-bit KEK',
    '000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F',
    '00112233445566778899AABBCCDDEEFF',
    '64E8C3F9CE0F5BA2 63E9777905818A2A 93C8191E7D6E8AE7',
  ],
  [
    '4.4 192-bit data, 192-bit KEK',
    '000102030405060708090A0B0C0D0E0F1011121314151617',
    '00112233445566778899AABBCCDDEEFF0001020304050607',
    '031D33264E15D332 68F24EC260743EDC E1C6C7DDEE725A93 6BA814915C6762D2',
  ],
  [
    '4.5 192-bit data, 256-bit KEK',
    '000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F',
    '00112233445566778899AABBCCDDEEFF0001020304050607',
    'A8F9BC1612C68B3F F6E6F4FBE30E71E4 769C8B80A32CB895 8CD5D17D6B254DA1',
  ],
  [
    '4.6 256-bit data, 256-bit KEK',
    '000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F',
    '00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F',
    '28C9F404C4B810F4 CBCCB35CFB87F826 3F5786E2D80ED326 CBC7F0E71A99F43B FB988B9B7A02DD21',
  ],
];

for (const [name, kek, data, wrapped] of VECTORS) {
  test(`RFC 3394 ${name}: the composed wrap and unwrap, and the native ones, give the RFC's bytes`, () => {
    assert.equal(wrapOverECB(hex(kek), hex(data)).toString('hex'), hex(wrapped).toString('hex'));
    assert.equal(unwrapOverECB(hex(kek), hex(wrapped))?.toString('hex'), hex(data).toString('hex'));
    assert.equal(aesKeyWrap(hex(kek), hex(data)).toString('hex'), hex(wrapped).toString('hex'));
    assert.equal(aesKeyUnwrap(hex(kek), hex(wrapped))?.toString('hex'), hex(data).toString('hex'));
  });
}

test('the composed wrap agrees with OpenSSL id-aesN-wrap for every KEK size and CEK length JWE uses', () => {
  for (const bits of [128, 192, 256]) {
    assert.equal(canKeyWrap(bits), true);
    for (const length of [16, 24, 32, 48, 64]) {
      for (let round = 0; round < 20; round++) {
        const kek = randomBytes(bits / 8);
        const data = randomBytes(length);
        const cipher = createCipheriv(`id-aes${bits}-wrap`, kek, hex('a6a6a6a6a6a6a6a6'));
        const openssl = Buffer.concat([cipher.update(data), cipher.final()]);
        assert.deepEqual(wrapOverECB(kek, data), openssl);
        assert.deepEqual(unwrapOverECB(kek, openssl), data);
      }
    }
  }
});

test('the composed unwrap refuses a wrong KEK, any altered byte, and malformed lengths (undefined, no throw)', () => {
  const kek = randomBytes(32);
  const data = randomBytes(32);
  const wrapped = wrapOverECB(kek, data);
  assert.equal(unwrapOverECB(randomBytes(32), wrapped), undefined);
  for (let i = 0; i < wrapped.length; i++) {
    const altered = Buffer.from(wrapped);
    altered[i] = altered[i]! ^ 0x01;
    assert.equal(unwrapOverECB(kek, altered), undefined, `byte ${i} altered`);
    assert.equal(aesKeyUnwrap(kek, altered), undefined, `byte ${i} altered (native)`);
  }
  for (const length of [0, 8, 16, 23, 25, 39]) {
    assert.equal(unwrapOverECB(kek, randomBytes(length)), undefined, `${length} bytes`);
    assert.equal(aesKeyUnwrap(kek, randomBytes(length)), undefined, `${length} bytes (native)`);
  }
});
