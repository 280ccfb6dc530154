// Conformance: the JWS examples of the JOSE Cookbook (RFC 7520 §4, ietf-jose/cookbook @ 13692b68, in
// ../shared/vectors/jose-cookbook): jws/*.json, plus curve25519/jws.json (Ed25519, = RFC 8037 A.4) from the same repo.
//
// Every `output.compact` verifies with the public part of `input.key` and gives back `input.payload` and the
// `signing.protected` header. The reproducible ones (RSASSA-PKCS1-v1_5, HMAC, Ed25519) are re-signed from `input`
// with signJWS and must equal `output.compact` byte-exact (their headers, {"alg","kid"}, are what signJWS writes).
// RSA-PSS and ECDSA are randomized: verify only. Every JSON serialization (`json`, `json_flat`) verifies with
// every key of its example (4.8: three signatures, three keys), 4.5 with its detached content, and the RFC 7797
// files with their unencoded payloads (the pre-RFC draft 4.2, without crit, as the negative vector it is now);
// a last test checks that each output of each file is tested.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidSignatureError, signJWS, UnsupportedCriticalHeaderError, verifyJWS } from 'tessera-jwt';
import type { JWK, JWSHeader } from 'tessera-jwt';
import { hasShared, VECTORS } from './helpers/paths.js';

const DIR = join(VECTORS, 'jose-cookbook');

interface Signing {
  protected?: JWSHeader;
  protected_b64u?: string;
}
interface CookbookJWS {
  title: string;
  reproducible?: boolean;
  input: { payload: string; key: JWK | JWK[]; alg: string | string[] };
  signing: Signing | Signing[];
  output: { compact?: string; json?: unknown; json_flat?: unknown };
}
type Form = keyof CookbookJWS['output'];

/**
 * `file form` → why Tessera's answer differs from the file's. The one entry is a pre-RFC draft (no `crit`):
 * under RFC 7797 §6 it is a NEGATIVE vector, asserted below.
 */
const NEGATIVE: Record<string, string> = {
  'rfc7797/4.2.hmac-sha2_b64_false json':
    'pre-RFC 7797 draft: b64:false without crit ["b64"] must be refused (RFC 7797 §6)',
  'rfc7797/4.2.hmac-sha2_b64_false json_flat':
    'pre-RFC 7797 draft: b64:false without crit ["b64"] must be refused (RFC 7797 §6)',
};
const DEFERRED: Record<string, string> = {};
const DETACHED = new Set(['jws/4_5.signature_with_detached_content']);
const UNENCODED = new Set(['rfc7797/hmac-sha2_b64_false', 'rfc7797/4.2.hmac-sha2_b64_false']);

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'];
const tested = new Set<string>();

/** The public half of an asymmetric JWK; secrets unchanged. */
function publicJWK(jwk: JWK): JWK {
  if (jwk.kty === 'oct') return jwk;
  return Object.fromEntries(Object.entries(jwk).filter(([name]) => !PRIVATE_MEMBERS.includes(name))) as JWK;
}

/** A copy of `compact` with the first character of the payload segment changed. */
function withChangedPayload(compact: string): string {
  const i = compact.indexOf('.') + 1;
  return compact.slice(0, i) + (compact[i] === 'S' ? 'T' : 'S') + compact.slice(i + 1);
}

/** verifyJWS options for one example: the payload comes separately when the file's content is detached. */
const detachedOf = (name: string, example: CookbookJWS) =>
  DETACHED.has(name) ? { detachedPayload: example.input.payload } : {};

/** Tests one JSON serialization (general or flattened) with every key of the example. */
function jsonTests(name: string, example: CookbookJWS, form: 'json' | 'json_flat'): void {
  tested.add(`${name} ${form}`);
  const jws = example.output[form] as Record<string, unknown>;
  const keys = Array.isArray(example.input.key) ? example.input.key : [example.input.key];
  const algs = Array.isArray(example.input.alg) ? example.input.alg : [example.input.alg];
  const negative = NEGATIVE[`${name} ${form}`];
  if (negative) {
    test(`output.${form} is refused: ${negative}`, () => {
      assert.throws(
        () => verifyJWS(jws as never, keys[0]!, { algorithms: [algs[0]!] }),
        UnsupportedCriticalHeaderError,
      );
    });
    return;
  }
  keys.forEach((key, i) => {
    test(`output.${form} verifies with key ${i + 1} of ${keys.length} (${algs[i]}) and gives back input.payload`, () => {
      const { payload } = verifyJWS(jws as never, publicJWK(key), {
        algorithms: [algs[i]!],
        ...detachedOf(name, example),
      });
      assert.equal(Buffer.from(payload).toString('utf8'), example.input.payload);
    });
  });
  test(`output.${form} with a changed payload is refused`, () => {
    const changed = DETACHED.has(name)
      ? () =>
          verifyJWS(jws as never, publicJWK(keys[0]!), {
            algorithms: [algs[0]!],
            detachedPayload: `${example.input.payload}!`,
          })
      : () => {
          const payload = jws.payload as string;
          return verifyJWS(
            { ...jws, payload: (payload[0] === 'S' ? 'T' : 'S') + payload.slice(1) } as never,
            publicJWK(keys[0]!),
            { algorithms: [algs[0]!] },
          );
        };
    assert.throws(changed, InvalidSignatureError);
  });
}

function compactTests(name: string, example: CookbookJWS): void {
  tested.add(`${name} compact`);
  if (DETACHED.has(name) || UNENCODED.has(name)) {
    specialCompactTests(name, example);
    return;
  }
  const compact = example.output.compact!;
  const key = example.input.key as JWK;
  const alg = example.input.alg as string;
  const signing = example.signing as Signing;
  const header = signing.protected!;

  test(`${alg}: output.compact verifies and gives back input.payload and signing.protected`, () => {
    const { payload, protectedHeader } = verifyJWS(compact, publicJWK(key), { algorithms: [alg] });
    assert.equal(Buffer.from(payload).toString('utf8'), example.input.payload);
    assert.deepEqual(protectedHeader, header);
  });

  test(`${alg}: output.compact with a changed payload is refused (InvalidSignatureError)`, () => {
    assert.throws(
      () => verifyJWS(withChangedPayload(compact), publicJWK(key), { algorithms: [alg] }),
      InvalidSignatureError,
    );
  });

  if (example.reproducible !== true) return;
  test(`${alg}: signJWS reproduces output.compact byte-exact from input (payload, key, alg, kid)`, () => {
    // signJWS writes alg then kid: the cookbook's own header text must be exactly that.
    const { kid, ...rest } = header;
    assert.deepEqual(rest, { alg }, 'a header signJWS cannot write');
    assert.equal(Buffer.from(signing.protected_b64u!, 'base64url').toString(), JSON.stringify({ alg, kid }));
    assert.equal(signJWS(example.input.payload, key, { algorithm: alg, kid }), compact);
  });
}

// 4.5 (detached content) and the RFC 7797 compact form (the payload text itself between the dots).
function specialCompactTests(name: string, example: CookbookJWS): void {
  const compact = example.output.compact!;
  const key = example.input.key as JWK;
  const alg = example.input.alg as string;
  test(`${alg}: output.compact verifies and gives back input.payload`, () => {
    const { payload } = verifyJWS(compact, publicJWK(key), { algorithms: [alg], ...detachedOf(name, example) });
    assert.equal(Buffer.from(payload).toString('utf8'), example.input.payload);
  });
  test(`${alg}: signJWS reproduces output.compact byte-exact`, () => {
    const header = JSON.parse(Buffer.from(compact.split('.')[0]!, 'base64url').toString()) as JWSHeader;
    const options = DETACHED.has(name) ? { detached: true, kid: header.kid } : { b64: false };
    assert.equal(signJWS(example.input.payload, key, { algorithm: alg, ...options }), compact);
  });
  test(`${alg}: a different payload is refused`, () => {
    const changed = DETACHED.has(name)
      ? () => verifyJWS(compact, publicJWK(key), { algorithms: [alg], detachedPayload: 'other' })
      : () => verifyJWS(compact.replace('payload', 'Payload'), publicJWK(key), { algorithms: [alg] });
    assert.throws(changed, InvalidSignatureError);
  });
}

function register(): void {
  const jsonIn = (sub: string) =>
    readdirSync(join(DIR, sub))
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => `${sub}/${f}`);
  const files = [...jsonIn('jws'), 'curve25519/jws.json', ...jsonIn('rfc7797')];
  const outputs: string[] = [];

  for (const file of files) {
    const name = file.replace(/\.json$/, '');
    const example = JSON.parse(readFileSync(join(DIR, file), 'utf8')) as CookbookJWS;
    for (const form of Object.keys(example.output) as Form[]) outputs.push(`${name} ${form}`);
    describe(`${name}: ${example.title}`, () => {
      if (example.output.compact !== undefined && !DEFERRED[`${name} compact`]) compactTests(name, example);
      if (example.output.json !== undefined) jsonTests(name, example, 'json');
      if (example.output.json_flat !== undefined) jsonTests(name, example, 'json_flat');
      for (const form of Object.keys(example.output) as Form[]) {
        const reason = DEFERRED[`${name} ${form}`];
        if (reason) test(`output.${form}`, { skip: `DEFERRED: ${reason}` }, () => {});
      }
    });
  }

  test('every output of every file is tested or DEFERRED, and DEFERRED names only real outputs', () => {
    for (const id of Object.keys(DEFERRED))
      assert.ok(outputs.includes(id), `DEFERRED names ${id}, which is not an output`);
    assert.deepEqual(
      outputs.filter((id) => !tested.has(id) && !DEFERRED[id]),
      [],
    );
  });
}

if (hasShared && existsSync(DIR)) {
  register();
} else {
  const why = `JOSE Cookbook vectors not found at ${DIR} (set TESSERA_SHARED to the shared folder)`;
  if (process.env.CI) {
    test('JOSE Cookbook vectors are present', () => assert.fail(why));
  } else {
    console.warn(`vectors-cookbook: SKIPPED — ${why}`);
    test('JOSE Cookbook vectors are present', { skip: why }, () => {});
  }
}
