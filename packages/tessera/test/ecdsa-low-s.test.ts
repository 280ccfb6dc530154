// ES256K signatures with a high S (src/lib/low-s.ts): RFC 7518 allows either S, OpenSSL makes a high one
// half of the time, and Deno's node:crypto refuses those; Tessera hands such a runtime the low-S form.
// Here (Node, which accepts both) both forms of one signature must verify, and the form given to the
// runtime must be a valid signature too; the Deno run of the Node build checks the real case.
import assert from 'node:assert/strict';
import { generateKeyPairSync, verify } from 'node:crypto';
import { test } from 'node:test';
import { signJWT, verifyJWT } from 'tessera-jwt';
import { secp256k1VerifiableForm } from '../src/lib/low-s.js';

const N = BigInt('0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141');
const sOf = (sig: Buffer) => BigInt(`0x${sig.subarray(32).toString('hex')}`);

test('an ES256K token verifies with its signature in the high-S and the low-S form', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
  let seen = 0;
  for (let i = 0; i < 16; i++) {
    const token = signJWT({ sub: 'a', i }, privateKey, { algorithm: 'ES256K' });
    const [h, p, s] = token.split('.') as [string, string, string];
    const sig = Buffer.from(s, 'base64url');
    const other = Buffer.concat([
      sig.subarray(0, 32),
      Buffer.from((N - sOf(sig)).toString(16).padStart(64, '0'), 'hex'),
    ]);
    for (const form of [sig, other]) {
      assert.equal(
        verifyJWT(`${h}.${p}.${form.toString('base64url')}`, publicKey, { algorithms: ['ES256K'] }).sub,
        'a',
      );
      const given = Buffer.from(secp256k1VerifiableForm(form));
      assert.ok(verify('sha256', Buffer.from(`${h}.${p}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, given));
    }
    if (sOf(sig) > N >> 1n) seen++;
  }
  assert.ok(seen > 0, 'at least one of 16 signatures had a high S');
});
