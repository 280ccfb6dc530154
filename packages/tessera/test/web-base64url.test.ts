// The web build's base64url twin (src/web/base64url.ts) against the Node build's (src/lib/base64url.ts, over
// Buffer): the same encodings, and the same verdict on every string, canonical or not.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import * as node from '../src/lib/base64url.js';
import * as web from '../src/web/base64url.js';

const DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

test("web encodeBase64url gives Buffer's base64url for every length 0-300, bytes and UTF-8 text", () => {
  for (let n = 0; n <= 300; n++) {
    const bytes = new Uint8Array(randomBytes(n));
    assert.equal(web.encodeBase64url(bytes), Buffer.from(bytes).toString('base64url'));
    assert.deepEqual(web.decodeBase64url(web.encodeBase64url(bytes)), bytes);
  }
  assert.equal(web.encodeBase64url('ž€😀'), Buffer.from('ž€😀', 'utf8').toString('base64url'));
});

test('web decodeBase64url accepts and refuses exactly what the Node build does (stray bits, padding, alphabet)', () => {
  const samples: string[] = ['', '=', 'AA==', 'A+', 'A/', 'ń', 'A A', 'AB', 'AC', 'AAB', 'AAC', 'AAAAA'];
  for (let i = 0; i < 20_000; i++) {
    const length = 1 + (i % 9);
    let s = '';
    for (let j = 0; j < length; j++) s += DIGITS[Math.floor(Math.random() * 64)];
    samples.push(s);
  }
  for (const s of samples) {
    const expected = node.decodeBase64url(s);
    const actual = web.decodeBase64url(s);
    assert.deepEqual(
      actual === undefined ? undefined : [...actual],
      expected === undefined ? undefined : [...expected],
      s,
    );
    assert.equal(web.isCanonicalBase64url(s), node.isCanonicalBase64url(s), s);
  }
});
