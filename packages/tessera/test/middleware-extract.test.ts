// The Authorization header parse (middleware/extract.ts) against its definition: RFC 9110 §11.6.2
// credentials = auth-scheme [ 1*SP token68 ], with RFC 6750 §2.1's b64token for Bearer. The parser splits by
// hand for speed; this checks, over hand-picked and generated header values, that it gives the verdict the
// grammar written as one regular expression gives.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { type Extracted, extractToken } from '../src/middleware/extract.js';

const GRAMMAR = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)(?: +(.*))?$/s;
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/** The verdict kind the grammar gives one Authorization line. */
function byGrammar(line: string): Extracted['kind'] {
  const m = GRAMMAR.exec(line.trim());
  if (!m) return 'malformed';
  if (m[1]!.toLowerCase() !== 'bearer') return 'other-scheme';
  const credentials = m[2]?.trim() ?? '';
  return credentials !== '' && B64TOKEN.test(credentials) ? 'token' : 'malformed';
}

const SETTINGS = { cookie: undefined, query: undefined };
function parse(line: string): Extracted {
  return extractToken({ header: (name) => (name === 'authorization' ? [line] : []), url: () => '/' }, SETTINGS);
}

describe('Authorization header parse', () => {
  const cases: Array<[string, Extracted]> = [
    ['Bearer abc.def-ghi', { kind: 'token', token: 'abc.def-ghi' }],
    ['bearer abc', { kind: 'token', token: 'abc' }],
    ['BEARER   abc  ', { kind: 'token', token: 'abc' }],
    ['  Bearer abc==', { kind: 'token', token: 'abc==' }],
    ['Basic dXNlcjpwYXNz', { kind: 'other-scheme' }],
    ['Bearers abc', { kind: 'other-scheme' }],
    ['Bear abc', { kind: 'other-scheme' }],
  ];
  for (const [line, expected] of cases) {
    test(JSON.stringify(line), () => assert.deepEqual(parse(line), expected));
  }
  for (const line of [
    'Bearer',
    'Bearer ',
    'Bearer\tabc',
    'Bearer a b',
    'Bearer a, Bearer b',
    'Bearer a=b',
    '',
    'Bé abc',
    '(x) abc',
  ]) {
    test(`${JSON.stringify(line)} is malformed`, () => assert.equal(parse(line).kind, 'malformed'));
  }

  test("gives the grammar's verdict on generated values", () => {
    const piece = fc.constantFrom(
      'Bearer',
      'bearer',
      'BeArEr',
      'Basic',
      'Bearerx',
      ' ',
      '  ',
      '\t',
      '\n',
      ',',
      '=',
      'a',
      'Z9',
      '.-_~+/',
      'é',
      '"',
      '\u00a0',
    );
    const line = fc.array(piece, { maxLength: 8 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(line, fc.string({ maxLength: 20 })), (value) => {
        const got = parse(value);
        assert.equal(got.kind, byGrammar(value), JSON.stringify(value));
        if (got.kind === 'token') assert.equal(got.token, GRAMMAR.exec(value.trim())![2]!.trim());
      }),
      { numRuns: 5000 },
    );
  });
});

// RFC 6750 §2: a token in the Authorization header and in the query is refused even where the route does not
// read the query. The check skips URL parsing when the name cannot be in the URL; it must agree with parsing.
describe('a Bearer header beside an access_token query parameter', () => {
  const withUrl = (url: string) =>
    extractToken({ header: (name) => (name === 'authorization' ? ['Bearer abc'] : []), url: () => url }, SETTINGS);
  const cases: Array<[string, Extracted['kind']]> = [
    ['/orders', 'token'],
    ['/orders?page=2&sort=desc', 'token'],
    ['/orders?access_token=x', 'malformed'],
    ['/orders?page=2&access_token=', 'malformed'],
    ['/orders?access%5Ftoken=x', 'malformed'],
    ['/orders?%61ccess_token=x', 'malformed'],
    ['/orders?access_tokens=x', 'token'],
    ['/access_token/orders', 'token'],
  ];
  for (const [url, kind] of cases) test(url, () => assert.equal(withUrl(url).kind, kind));

  test('agrees with URL parsing over generated queries', () => {
    const piece = fc.constantFrom(
      'access_token',
      'access%5Ftoken',
      'access%5ftoken',
      '%61',
      'a',
      '=',
      '&',
      '?',
      '_',
      '%',
      'x',
      '#',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (parts) => {
        const url = `/r?${parts.join('')}`;
        const expected = new URL(url, 'http://localhost').searchParams.has('access_token') ? 'malformed' : 'token';
        assert.equal(withUrl(url).kind, expected);
      }),
      { numRuns: 3000 },
    );
  });
});
