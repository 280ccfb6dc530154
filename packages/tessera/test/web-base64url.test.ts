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
  const long = new Uint8Array(randomBytes(7000)); // 9,334 characters: longer than the reused buffer
  assert.deepEqual(web.decodeBase64url(web.encodeBase64url(long)), long);
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

test('web decodeBase64url refuses a code outside the alphabet at any position, even one that is a digit modulo 128', () => {
  // 'Á' (0xC1) and 'Ł' (0x141) are 'A' modulo 128; '\u{1F600}' is a surrogate pair; NUL and '.' are ASCII.
  const strangers = ['\u00c1', '\u0141', '\u{1F600}', '\u0000', '.', '=', '+', '/', '\uffff'];
  const valid = Buffer.from(randomBytes(33)).toString('base64url');
  // 9,000+ characters take the path for text longer than the reused scratch buffer.
  for (const tail of ['', 'AA', 'AAA', `${'A'.repeat(9000)}AAA`]) {
    const base = valid + tail;
    assert.notEqual(web.decodeBase64url(base), undefined);
    const n = base.length;
    for (const i of n > 100 ? [0, 1, 2, 3, 4321, n - 3, n - 2, n - 1] : [...base].keys())
      for (const c of strangers) {
        const s = base.slice(0, i) + c + base.slice(i + 1);
        assert.equal(web.decodeBase64url(s), undefined, JSON.stringify(s));
        assert.equal(node.decodeBase64url(s), undefined, JSON.stringify(s));
      }
  }
});
