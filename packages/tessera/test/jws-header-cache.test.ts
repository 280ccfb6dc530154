// The encoded-header cache of lib/jws-header.ts: a header of alg, typ and kid only is encoded once and
// reused. Every token must still carry exactly the header its call asked for, whatever the cache holds.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeProtectedHeader, generateSecret, signJWT } from 'tessera-jwt';

test('each token carries its own typ and kid, across more distinct headers than the cache keeps', () => {
  const secret = generateSecret('HS256');
  const asked: Array<{ typ?: string | null; kid?: string }> = [];
  for (let i = 0; i < 150; i++) asked.push({ kid: `k${i % 90}`, typ: i % 3 === 0 ? 'at+jwt' : undefined });
  // Strings that would collide if the cache joined its keys with a separator.
  asked.push({ typ: 'a\u0000b' }, { typ: 'a', kid: 'b' }, { typ: 'a\u0000', kid: '\u0000b' }, { typ: null, kid: 'x' });
  for (const options of [...asked, ...asked]) {
    const header = decodeProtectedHeader(signJWT({ sub: 's' }, secret, { algorithm: 'HS256', ...options }));
    const expected: Record<string, string> = { alg: 'HS256' };
    if (options.typ !== null) expected.typ = options.typ ?? 'JWT';
    if (options.kid !== undefined) expected.kid = options.kid;
    assert.deepEqual(header, expected);
  }
});
