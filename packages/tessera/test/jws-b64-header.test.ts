// Regression (issue 12 item 5): `signJWS(..., { header: { b64: false, crit: ['b64'] } })` used to sign
// the base64url-encoded payload while announcing an unencoded one, so Tessera's own verifyJWS refused
// the result (and without `crit` it wrote a JWS no verifier accepts). A `b64` in a protected header now
// means exactly what the `b64` option means (RFC 7797), in every serialization.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { createHmac } from 'node:crypto';
import { signJWS, verifyJWS } from 'tessera-jwt';
import type { FlattenedJWS, GeneralJWS } from 'tessera-jwt';

const KEY = Buffer.alloc(32, 3);
const OTHER = Buffer.alloc(32, 4);
const PAYLOAD = '$.02 for a "b64": false payload'; // RFC 7797 §4's example payload, plus a quote
const HS = { algorithms: ['HS256'] };
const headerOf = (segment: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(segment, 'base64url').toString()) as Record<string, unknown>;
const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString();

describe('a "b64" given in the protected header behaves like the b64 option', () => {
  for (const header of [{ b64: false, crit: ['b64'] }, { b64: false }, { crit: ['b64'], b64: false }]) {
    const label = JSON.stringify(header);
    test(`header ${label}: compact, flattened and general JWSs carry the payload unencoded and verify`, () => {
      const compactPayload = PAYLOAD.replace('.', ','); // a compact unencoded payload may not contain "."
      const compact = signJWS(compactPayload, KEY, { algorithm: 'HS256', header });
      const [protectedSegment, carried, signature] = compact.split('.');
      assert.equal(carried, compactPayload);
      assert.deepEqual(headerOf(protectedSegment!).crit, ['b64']);
      assert.equal(headerOf(protectedSegment!).b64, false);
      // The MAC is over the raw payload (RFC 7797 §3), not its base64url form.
      assert.equal(
        createHmac('sha256', KEY).update(`${protectedSegment}.${compactPayload}`).digest('base64url'),
        signature,
      );
      assert.equal(text(verifyJWS(compact, KEY, HS).payload), compactPayload);

      const flattened = signJWS(PAYLOAD, KEY, { algorithm: 'HS256', header, serialization: 'flattened' });
      assert.equal(flattened.payload, PAYLOAD);
      assert.equal(text(verifyJWS(flattened, KEY, HS).payload), PAYLOAD);

      const general = signJWS(PAYLOAD, null, {
        serialization: 'general',
        signers: [
          { key: KEY, algorithm: 'HS256', header },
          { key: OTHER, algorithm: 'HS256' },
        ],
      });
      assert.equal(general.payload, PAYLOAD);
      // One payload, one encoding: the other signer's header gets b64 too (RFC 7797 §3).
      for (const s of general.signatures) assert.equal(headerOf(s.protected!).b64, false);
      assert.equal(text(verifyJWS(general, KEY, HS).payload), PAYLOAD);
      assert.equal(text(verifyJWS(general, OTHER, HS).payload), PAYLOAD);

      const detached = signJWS(PAYLOAD, KEY, {
        algorithm: 'HS256',
        header,
        detached: true,
        serialization: 'flattened',
      });
      assert.equal(detached.payload, undefined);
      assert.equal(text(verifyJWS(detached, KEY, { ...HS, detachedPayload: PAYLOAD }).payload), PAYLOAD);
    });
  }

  test('header { b64: false } gives exactly the JWS the b64 option gives', () => {
    for (const serialization of ['compact', 'flattened'] as const) {
      const viaHeader = signJWS(PAYLOAD.replace('.', ','), KEY, {
        algorithm: 'HS256',
        header: { b64: false },
        serialization,
      });
      const viaOption = signJWS(PAYLOAD.replace('.', ','), KEY, { algorithm: 'HS256', b64: false, serialization });
      assert.deepEqual(viaHeader, viaOption);
    }
  });

  test('header { b64: true } is kept, listed in crit, and verifies with the payload base64url-encoded', () => {
    const compact = signJWS(PAYLOAD, KEY, { algorithm: 'HS256', header: { b64: true } });
    const [protectedSegment, carried] = compact.split('.');
    assert.deepEqual(headerOf(protectedSegment!), { alg: 'HS256', b64: true, crit: ['b64'] });
    assert.equal(carried, Buffer.from(PAYLOAD).toString('base64url'));
    assert.equal(text(verifyJWS(compact, KEY, HS).payload), PAYLOAD);
    const flattened = signJWS(PAYLOAD, KEY, {
      algorithm: 'HS256',
      header: { b64: true },
      b64: true,
      serialization: 'flattened',
    }) as FlattenedJWS;
    assert.equal(text(verifyJWS(flattened, KEY, HS).payload), PAYLOAD);
  });

  test('conflicting or misplaced b64 settings are TypeErrors that point at the b64 option', () => {
    const refused = (options: Parameters<typeof signJWS>[2], pattern: RegExp) =>
      assert.throws(
        () => signJWS(PAYLOAD, KEY, options),
        (err: unknown) => err instanceof TypeError && pattern.test(err.message),
      );
    refused({ algorithm: 'HS256', b64: true, header: { b64: false } }, /"header\.b64" conflicts with the "b64" option/);
    refused({ algorithm: 'HS256', b64: false, header: { b64: true } }, /"header\.b64" conflicts/);
    refused({ algorithm: 'HS256', header: { b64: 'false' } }, /"header\.b64" must be a boolean; use the "b64" option/);
    refused(
      { algorithm: 'HS256', serialization: 'flattened', unprotectedHeader: { b64: false } },
      /"unprotectedHeader\.b64" must be protected/,
    );
    refused(
      {
        serialization: 'general',
        signers: [
          { key: KEY, algorithm: 'HS256', header: { b64: false } },
          { key: OTHER, algorithm: 'HS256', header: { b64: true } },
        ],
      },
      /"signers\[1\]\.header\.b64" conflicts/,
    );
    refused(
      { serialization: 'general', signers: [{ key: KEY, algorithm: 'HS256', unprotectedHeader: { b64: false } }] },
      /"signers\[0\]\.unprotectedHeader\.b64" must be protected/,
    );
  });

  test('the b64 option alone is unchanged (control)', () => {
    const general = signJWS(PAYLOAD, null, {
      b64: false,
      serialization: 'general',
      signers: [{ key: KEY, algorithm: 'HS256' }],
    }) as GeneralJWS;
    assert.deepEqual(headerOf(general.signatures[0]!.protected!), { alg: 'HS256', b64: false, crit: ['b64'] });
    assert.equal(text(verifyJWS(general, KEY, HS).payload), PAYLOAD);
    const encoded = signJWS(PAYLOAD, KEY, { algorithm: 'HS256' });
    assert.deepEqual(headerOf(encoded.split('.')[0]!), { alg: 'HS256' });
  });
});
