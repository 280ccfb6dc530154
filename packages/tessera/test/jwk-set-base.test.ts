// The JWK Set rules both entries share (src/lib/jwk-set-base.ts): selection, the refusals when a set is
// built, document reading; and the Node and web JWKSets giving the same verdicts on the same documents.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { JWKSet as NodeJWKSet } from '../src/jwks/set.js';
import { generateKeyPair } from '../src/jwk/generate.js';
import { JWKError, JWKSetError, NoMatchingKeyError } from '../src/errors.js';
import {
  checkSetMembers,
  JWKSetBase,
  MAX_KEYS_WITHOUT_KID,
  readJWKSetDocument,
  type SelectableKey,
  selectForVerify,
  unfitForVerify,
  verificationCandidates,
} from '../src/lib/jwk-set-base.js';
import { JWKSet as WebJWKSet } from '../src/web/jwk-set.js';
import type { JWK } from '../src/types.js';

const ec = (kid: string | undefined, more: Partial<SelectableKey> = {}): SelectableKey => ({
  kid,
  alg: undefined,
  use: undefined,
  keyOps: undefined,
  kty: 'EC',
  crv: 'P-256',
  ...more,
});
const none = new Map<string, string>();
const isOct = (key: SelectableKey) => key.kty === 'oct';

describe('selection', () => {
  test('unfitForVerify says why a key may not verify, and nothing when it may', () => {
    assert.equal(unfitForVerify(ec('a'), 'ES256'), undefined);
    assert.equal(unfitForVerify(ec('a', { use: 'enc' }), 'ES256'), 'its "use" is "enc"');
    assert.equal(unfitForVerify(ec('a', { keyOps: ['sign'] }), 'ES256'), 'its "key_ops" do not include "verify"');
    assert.equal(unfitForVerify(ec('a', { alg: 'ES384' }), 'ES256'), 'it is bound to "alg" "ES384"');
    assert.match(unfitForVerify(ec('a'), 'RS256') ?? '', /RS256/);
    assert.match(unfitForVerify(ec('a'), 'ES384') ?? '', /P-384|ES384/);
  });

  test('selectForVerify keeps the keys with the kid that fit the alg', () => {
    const keys = [ec('a'), ec('b'), ec('b', { alg: 'ES384', crv: 'P-384' })];
    assert.deepEqual(selectForVerify(keys, { alg: 'ES256', kid: 'b' }), [keys[1]]);
    assert.deepEqual(selectForVerify(keys, { alg: 'ES256' }), [keys[0], keys[1]]);
  });

  test('verificationCandidates names the reason there is no candidate', () => {
    const keys = [ec('a', { use: 'enc' })];
    assert.throws(() => verificationCandidates(keys, none, { alg: 'ES256', kid: 'a' }), {
      name: NoMatchingKeyError.name,
      message: 'the key with the token\'s kid may not verify ES256: its "use" is "enc"',
    });
    assert.throws(() => verificationCandidates(keys, none, { alg: 'ES256', kid: 'z' }), NoMatchingKeyError);
    const skipped = new Map([['gone', 'the JWK is invalid: "x" is missing']]);
    assert.throws(() => verificationCandidates(keys, skipped, { alg: 'ES256', kid: 'gone' }), {
      name: JWKError.name,
      message: 'the key with the token\'s kid was skipped: the JWK is invalid: "x" is missing',
    });
  });

  test('a kid shared by two fitting keys, or by a skipped entry, is ambiguous', () => {
    assert.throws(
      () => verificationCandidates([ec('a'), ec('a', { alg: 'ES256' })], none, { alg: 'ES256', kid: 'a' }),
      JWKSetError,
    );
    assert.throws(
      () => verificationCandidates([ec('a')], new Map([['a', 'bad']]), { alg: 'ES256', kid: 'a' }),
      JWKSetError,
    );
  });

  test(`a token without kid gets at most ${MAX_KEYS_WITHOUT_KID} candidates`, () => {
    const keys = Array.from({ length: MAX_KEYS_WITHOUT_KID + 1 }, (_, i) => ec(`k${i}`));
    assert.equal(verificationCandidates(keys.slice(1), none, { alg: 'ES256' }).length, MAX_KEYS_WITHOUT_KID);
    assert.throws(() => verificationCandidates(keys, none, { alg: 'ES256' }), JWKSetError);
  });
});

describe('what no set may hold', () => {
  test('no usable key, naming one skipped entry', () => {
    assert.throws(() => checkSetMembers([], new Map([['#0', 'bad e']]), isOct), {
      name: JWKSetError.name,
      message: 'the JWK Set has no usable key (1 skipped, e.g.: bad e)',
    });
  });

  test('secrets beside asymmetric keys', () => {
    assert.throws(
      () => checkSetMembers([ec('a'), { ...ec('s'), kty: 'oct', crv: undefined }], none, isOct),
      /RFC 8725/,
    );
  });

  test('keys that share a kid are not refused when the set is built (selection refuses the ambiguous kid)', () => {
    checkSetMembers([ec('a'), ec('a')], none, isOct);
    checkSetMembers([ec('a', { alg: 'ES256' }), ec('a', { alg: 'ES256' })], none, isOct);
    checkSetMembers([ec('a'), { ...ec('a'), kty: 'RSA', crv: undefined }], none, isOct);
    checkSetMembers([ec('a', { alg: 'ES256' }), ec('a')], none, isOct);
    checkSetMembers([ec(undefined), ec(undefined)], none, isOct);
  });
});

describe('reading a JWKS document', () => {
  test('keeps entries of known kty with their index; text is parsed strictly', () => {
    const entries = readJWKSetDocument({ keys: [{ kty: 'PQC' }, { kty: 'EC', kid: 'a' }] }, {});
    assert.deepEqual(
      entries.map((e) => [e.index, e.jwk.kid]),
      [[1, 'a']],
    );
    assert.throws(() => readJWKSetDocument('{"keys":[],"keys":[]}', {}), /duplicate member name/);
    assert.throws(
      () => readJWKSetDocument(`{"keys":[],"x":${'['.repeat(20)}${']'.repeat(20)}}`, { maxJSONDepth: 8 }),
      /deeper/,
    );
    assert.throws(() => readJWKSetDocument({ keys: [1] }, {}), /entry 0 is not an object/);
    assert.throws(() => readJWKSetDocument([], {}), JWKSetError);
  });

  test('publicOnly refuses private members; unknown options are TypeErrors', () => {
    assert.throws(() => readJWKSetDocument({ keys: [{ kty: 'oct', k: 'AAAA', kid: 's' }] }, { publicOnly: true }), {
      name: JWKError.name,
      message: 'JWK Set entry 0 (kid "s") has private key members in a set meant to be public',
    });
    assert.throws(() => readJWKSetDocument({ keys: [] }, { publiconly: true } as never), TypeError);
  });
});

describe('the Node and web JWKSet are one class underneath', () => {
  const pair = generateKeyPair('ES256', { kid: 'p' });
  const other = generateKeyPair('ES256', { kid: 'q' });
  const documents: Array<[string, { keys: JWK[] }]> = [
    ['two keys', { keys: [pair.publicKey.toJWK(), other.publicKey.toJWK()] }],
    ['a duplicate kid', { keys: [pair.publicKey.toJWK(), { ...other.publicKey.toJWK(), kid: 'p' }] }],
    [
      'an off-curve key beside a good one',
      { keys: [pair.publicKey.toJWK(), { ...other.publicKey.toJWK(), y: pair.publicKey.toJWK().y! }] },
    ],
    ['only an off-curve key', { keys: [{ ...other.publicKey.toJWK(), y: pair.publicKey.toJWK().y! }] }],
    [
      'a secret beside a public key',
      { keys: [pair.publicKey.toJWK(), { kty: 'oct', k: 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTMyYg' }] },
    ],
  ];

  test('both extend JWKSetBase', () => {
    assert.equal(Object.getPrototypeOf(NodeJWKSet.prototype), JWKSetBase.prototype);
    assert.equal(Object.getPrototypeOf(WebJWKSet.prototype), JWKSetBase.prototype);
  });

  for (const [what, document] of documents) {
    test(`the same verdict on ${what}`, async () => {
      const outcome = (make: () => unknown) => {
        try {
          const set = make() as { size: number; toJSON(): unknown };
          return { size: set.size, published: set.toJSON() };
        } catch (err) {
          return { error: (err as { code?: string }).code, message: (err as Error).message };
        }
      };
      const node = outcome(() => NodeJWKSet.from(document));
      let web: unknown;
      try {
        const set = await WebJWKSet.from(document);
        web = { size: set.size, published: set.toJSON() };
      } catch (err) {
        web = { error: (err as { code?: string }).code, message: (err as Error).message };
      }
      assert.equal((node as { error?: string }).error ?? 'ok', (web as { error?: string }).error ?? 'ok');
      if ('size' in node) assert.deepEqual(web, node);
    });
  }
});
