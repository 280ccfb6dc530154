// Type tests for the public API, compiled against the package by name ('tessera'), as a user sees it.
//
// Two layers:
//   1. Assertions in this file itself: `Equal<A, B>` / `expectType<T>(v)` must hold and every
//      `// @ts-expect-error` line must really be an error, or `tsc -p tsconfig.test.json` fails (and with it
//      the whole test build). The calls also run, so the file is a normal test too.
//   2. Snippets compiled at test time with the TypeScript compiler API (`compiles(...)`), for user code the
//      contract promises to type-check — e.g. the `switch (err.code)` example of the error docs. A snippet
//      that does not compile fails its test with tsc's diagnostics, without breaking the build for everyone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import {
  createSigner,
  createVerifier,
  decodeJWT,
  decodeProtectedHeader,
  decodeUnsecuredJWT,
  encodeUnsecuredJWT,
  ERROR_CODES,
  ExpiredSignatureError,
  ImmatureSignatureError,
  InvalidClaimError,
  InvalidSignatureError,
  JWTError,
  MissingRequiredClaimError,
  signJWS,
  signJWT,
  verifyJWS,
  verifyJWT,
  generateKeyPair,
  importKey,
  JWKSet,
  createRemoteJWKSet,
  Key,
} from 'tessera-jwt';
import type {
  AsyncCustomAlgorithm,
  CustomAlgorithm,
  CompleteResult,
  Duration,
  JWSHeader,
  JWTPayload,
  JWTPayloadInput,
  KeyInput,
  KeyResolver,
  SignOptions,
  VerifiedJWS,
  VerifierOptions,
  VerifyOptions,
} from 'tessera-jwt';
import * as errorsSubpath from 'tessera-jwt/errors';

// ---------------------------------------------------------------------------------------------
// Helpers

/** True when A and B are the same type (not merely mutually assignable; `any` is only equal to `any`). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Compiles only when T is `true`. */
type Expect<T extends true> = T;
/** Compiles only when `value` is assignable to T; pass T explicitly. */
function expectType<T>(value: T): T {
  return value;
}
/** Compiles only when the type of `value` is exactly T. */
function expectExact<T>() {
  return <V>(value: V & (Equal<V, T> extends true ? unknown : never)): V => value;
}

const NOW = new Date('2025-06-01T12:00:00Z');
const secret = randomBytes(32);
const resolver: KeyResolver = () => secret;
const HS: VerifyOptions = { algorithms: ['HS256'], currentDate: NOW };
const token = signJWT({ sub: 'user-42', scope: 'read' }, secret, { currentDate: NOW, expiresIn: '1h' });

interface Claims {
  sub: string;
  scope: string;
}

// ---------------------------------------------------------------------------------------------
// verifyJWT

test('verifyJWT with a static key returns the payload synchronously, typed P', () => {
  const payload = verifyJWT(token, secret, HS);
  expectExact<JWTPayload>()(payload);
  expectType<string | undefined>(payload.sub);
  expectType<number | undefined>(payload.exp);

  const typed = verifyJWT<Claims>(token, secret, HS);
  expectExact<Claims>()(typed);
  type _notAPromise = Expect<Equal<typeof typed extends PromiseLike<unknown> ? true : false, false>>;
  assert.equal(typed.sub, 'user-42');
  assert.equal(typed.scope, 'read');
});

test('verifyJWT with a key resolver returns a Promise of P', async () => {
  const pending = verifyJWT(token, resolver, HS);
  expectExact<Promise<JWTPayload>>()(pending);
  const typedPending = verifyJWT<Claims>(token, async () => secret, HS);
  expectExact<Promise<Claims>>()(typedPending);

  // @ts-expect-error -- a Promise result cannot be used as the payload without await
  const notAwaited: Claims = verifyJWT<Claims>(token, resolver, HS);
  assert.ok(notAwaited instanceof Promise);
  await notAwaited;
  // @ts-expect-error -- nor can its claims be read
  void pending.sub;

  const claims = await typedPending;
  expectExact<Claims>()(claims);
  assert.equal(claims.scope, 'read');
  assert.ok(pending instanceof Promise);
  assert.equal((await pending).sub, 'user-42');
});

test('verifyJWT with complete: true returns a CompleteResult', async () => {
  const complete = verifyJWT(token, secret, { ...HS, complete: true });
  expectExact<CompleteResult<JWTPayload>>()(complete);
  expectExact<JWSHeader>()(complete.header);
  expectExact<Uint8Array>()(complete.signature);

  const typed = verifyJWT<Claims>(token, secret, { ...HS, complete: true });
  expectExact<CompleteResult<Claims>>()(typed);
  expectExact<string>()(typed.payload.scope);

  const viaResolver = verifyJWT<Claims>(token, resolver, { ...HS, complete: true });
  expectExact<Promise<CompleteResult<Claims>>>()(viaResolver);

  assert.equal(complete.header.alg, 'HS256');
  assert.equal(typed.payload.scope, 'read');
  assert.equal((await viaResolver).header.typ, 'JWT');
  assert.ok(complete.signature instanceof Uint8Array);
});

test('awaiting a synchronous verifyJWT result is harmless and still typed P', async () => {
  const payload = await verifyJWT<Claims>(token, secret, HS);
  expectExact<Claims>()(payload);
  assert.equal(payload.sub, 'user-42');
});

test('verifyJWT refuses misuse at compile time', () => {
  const misuse = [
    // @ts-expect-error -- the options (with "algorithms") are required
    () => verifyJWT(token, secret),
    // @ts-expect-error -- "algorithms" is a list, not a string
    () => verifyJWT(token, secret, { algorithms: 'HS256' }),
    // @ts-expect-error -- "audience" is a string, a RegExp or a list of them
    () => verifyJWT(token, secret, { algorithms: ['HS256'], audience: 42 }),
    // @ts-expect-error -- "clockTolerance" is a Duration (seconds or '30s'), not a boolean
    () => verifyJWT(token, secret, { algorithms: ['HS256'], clockTolerance: true }),
    // @ts-expect-error -- the token is a string
    () => verifyJWT(Buffer.from(token), secret, HS),
    // @ts-expect-error -- a number is not a key
    () => verifyJWT(token, 42, HS),
  ];
  // They also fail at run time, with the TypeError or DecodeError the contract promises.
  for (const call of misuse) assert.throws(call, (err: unknown) => err instanceof TypeError || err instanceof JWTError);
});

// ---------------------------------------------------------------------------------------------
// createVerifier, createSigner, signJWT

test('createVerifier with a static key returns a synchronous verifier', () => {
  const verify = createVerifier({ key: secret, ...HS });
  expectExact<(token: string) => JWTPayload>()(verify);
  const typed = createVerifier<Claims>({ key: secret, ...HS, cache: { max: 10, ttl: '5m' } });
  expectExact<(token: string) => Claims>()(typed);
  const complete = createVerifier<Claims>({ key: secret, ...HS, complete: true });
  expectExact<(token: string) => CompleteResult<Claims>>()(complete);

  assert.equal(typed(token).scope, 'read');
  assert.equal(complete(token).payload.sub, 'user-42');
  assert.equal(verify(token).sub, 'user-42');
});

test('createVerifier with a key resolver returns an asynchronous verifier', async () => {
  const verify = createVerifier<Claims>({ key: resolver, ...HS });
  expectExact<(token: string) => Promise<Claims>>()(verify);
  const complete = createVerifier<Claims>({ key: async () => secret, ...HS, complete: true });
  expectExact<(token: string) => Promise<CompleteResult<Claims>>>()(complete);

  // @ts-expect-error -- the asynchronous verifier's result is not a payload
  const notAwaited: Claims = verify(token);
  await notAwaited;
  assert.equal((await verify(token)).scope, 'read');
  assert.equal((await complete(token)).header.alg, 'HS256');
});

test('createVerifier refuses misuse at compile time', () => {
  // @ts-expect-error -- "key" is required
  assert.throws(() => createVerifier({ algorithms: ['HS256'] }), TypeError);
  // @ts-expect-error -- "cache" is a boolean, a number or { max, ttl }
  assert.throws(() => createVerifier({ key: secret, algorithms: ['HS256'], cache: 'yes' }), TypeError);
});

test('signJWT and createSigner return strings and accept Dates for time claims', () => {
  const signed = signJWT({ sub: 'a', exp: new Date(NOW.getTime() + 60_000), custom: { nested: [1, 2] } }, secret, {
    currentDate: NOW,
  });
  expectExact<string>()(signed);
  const sign = createSigner({ key: secret, algorithm: 'HS256', expiresIn: '15m', currentDate: NOW });
  expectExact<(payload: JWTPayloadInput) => string>()(sign);
  const options: SignOptions = { expiresIn: 900, notBefore: '-5s', audience: ['a', 'b'], jwtId: true, typ: null };
  expectType<Duration | undefined>(options.expiresIn);
  assert.equal(typeof sign({ sub: 'b' }), 'string');
  assert.equal(verifyJWT(signed, secret, HS).exp, Math.floor(NOW.getTime() / 1000) + 60);
});

test('signJWT refuses misuse at compile time', () => {
  const misuse = [
    // @ts-expect-error -- the payload is required
    () => signJWT(),
    // @ts-expect-error -- the payload must be an object, not a string
    () => signJWT('sub=user-42', secret),
    // @ts-expect-error -- nor a number
    () => signJWT(42, secret),
    // @ts-expect-error -- a key is required
    () => signJWT({ sub: 'a' }),
    // @ts-expect-error -- "exp" is a NumericDate or a Date, not a string
    () => signJWT({ exp: '9999999999' }, secret),
    // @ts-expect-error -- "expiresIn" is a Duration
    () => signJWT({}, secret, { expiresIn: true }),
    // @ts-expect-error -- "jwtId" is a string or `true`
    () => signJWT({}, secret, { jwtId: false }),
  ];
  for (const call of misuse) assert.throws(call, (err: unknown) => err instanceof TypeError || err instanceof JWTError);
});

// ---------------------------------------------------------------------------------------------
// decoding, unsecured JWTs, raw JWS

test('decodeJWT, decodeProtectedHeader and decodeUnsecuredJWT have the documented shapes', () => {
  expectExact<CompleteResult<JWTPayload>>()(decodeJWT(token));
  expectExact<CompleteResult<Claims>>()(decodeJWT<Claims>(token));
  expectExact<JWSHeader>()(decodeProtectedHeader(token));
  expectType<string>(decodeProtectedHeader(token).alg);
  expectType<string | undefined>(decodeProtectedHeader(token).kid);

  const unsecured = encodeUnsecuredJWT({ sub: 'test' }, { currentDate: NOW });
  expectExact<string>()(unsecured);
  expectExact<JWTPayload>()(decodeUnsecuredJWT(unsecured, { currentDate: NOW }));
  expectExact<CompleteResult<Claims>>()(decodeUnsecuredJWT<Claims>(unsecured, { currentDate: NOW, complete: true }));
  assert.equal(decodeUnsecuredJWT(unsecured, { currentDate: NOW }).sub, 'test');
});

test('signJWS and verifyJWS are synchronous with a static key and asynchronous with a resolver', async () => {
  const jws = signJWS('hello', secret, { algorithm: 'HS256' });
  expectExact<string>()(jws);
  const verified = verifyJWS(jws, secret, { algorithms: ['HS256'] });
  expectExact<VerifiedJWS>()(verified);
  expectExact<Uint8Array>()(verified.payload);
  const pending = verifyJWS(jws, resolver, { algorithms: ['HS256'] });
  expectExact<Promise<VerifiedJWS>>()(pending);
  assert.equal(new TextDecoder().decode((await pending).payload), 'hello');
});

test('KeyInput, KeyResolver and VerifierOptions accept what the contract lists', () => {
  const inputs: KeyInput[] = [
    'a string secret',
    new Uint8Array(32),
    { kty: 'oct', k: 'AAAA' },
    { key: '-----BEGIN ENCRYPTED PRIVATE KEY-----', passphrase: 'pw' },
  ];
  const resolvers: KeyResolver[] = [
    () => secret,
    async (header) => (header.kid === 'a' ? 'x' : secret),
    (_header, t) => t,
  ];
  const options: VerifierOptions = { key: resolver, algorithms: ['ES256'], cache: 5000 };
  // @ts-expect-error -- a resolver must return a key, not a boolean
  const badResolver: KeyResolver = () => true;
  void badResolver;
  assert.equal(inputs.length + resolvers.length, 7);
  assert.equal(typeof options.key, 'function');
});

// ---------------------------------------------------------------------------------------------
// errors

test('instanceof narrows an error to its class and its literal code', () => {
  let caught: unknown;
  try {
    verifyJWT(token, secret, { ...HS, currentDate: new Date(NOW.getTime() + 2 * 3600_000) });
  } catch (err) {
    caught = err;
  }

  if (caught instanceof ExpiredSignatureError) {
    expectExact<'ERR_JWT_EXPIRED'>()(caught.code);
    expectExact<Date>()(caught.expiredAt);
    expectExact<'exp'>()(caught.claim);
  }
  if (caught instanceof InvalidClaimError) {
    expectExact<'ERR_JWT_CLAIM_INVALID'>()(caught.code);
    expectType<string>(caught.claim);
    expectType<string>(caught.reason);
  }
  if (caught instanceof MissingRequiredClaimError) expectExact<string>()(caught.claim);
  if (caught instanceof ImmatureSignatureError) expectExact<'ERR_JWT_NOT_YET_VALID'>()(caught.code);
  if (caught instanceof JWTError) {
    expectType<string>(caught.code);
    // @ts-expect-error -- a JWTError is not known to carry expiredAt until it is narrowed
    void caught.expiredAt;
  }
  type _codes = [
    Expect<Equal<InvalidSignatureError['code'], 'ERR_JWS_SIGNATURE_INVALID'>>,
    Expect<Equal<ExpiredSignatureError['code'], 'ERR_JWT_EXPIRED'>>,
    Expect<Equal<(typeof ERROR_CODES)['ERR_JWT_EXPIRED'], 'ExpiredSignatureError'>>,
  ];

  assert.ok(caught instanceof ExpiredSignatureError);
  assert.equal(caught.code, 'ERR_JWT_EXPIRED');
  assert.ok(caught instanceof JWTError);
});

test('tessera/errors exports the very same classes as tessera', () => {
  assert.equal(errorsSubpath.ExpiredSignatureError, ExpiredSignatureError);
  assert.equal(errorsSubpath.JWTError, JWTError);
  const fromSubpath: errorsSubpath.InvalidSignatureError = new InvalidSignatureError('x');
  assert.ok(fromSubpath instanceof errorsSubpath.DecodeError);
});

// ---------------------------------------------------------------------------------------------
// User code that must compile (checked with the compiler API at test time)

const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

let program: { diagnostics(file: string): string[] } | undefined;
const SNIPPETS = new Map<string, string>();

/** Registers a snippet (a module importing 'tessera') to be type-checked with the test tsconfig. */
function snippet(name: string, source: string): string {
  const file = join(PACKAGE_ROOT, 'test', `__types_snippet_${SNIPPETS.size}__.ts`);
  SNIPPETS.set(file, `// ${name}\n${source}`);
  return file;
}

/** Type-checks every registered snippet in one program (created on first use). */
function diagnosticsOf(file: string): string[] {
  if (!program) {
    const parsed = ts.getParsedCommandLineOfConfigFile(
      join(PACKAGE_ROOT, 'tsconfig.test.json'),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, '\n')),
      },
    );
    assert.ok(parsed, 'tsconfig.test.json could not be read');
    const options: ts.CompilerOptions = { ...parsed.options, noEmit: true };
    const host = ts.createCompilerHost(options);
    const { getSourceFile, fileExists, readFile } = host;
    host.fileExists = (f) => SNIPPETS.has(resolve(f)) || fileExists.call(host, f);
    host.readFile = (f) => SNIPPETS.get(resolve(f)) ?? readFile.call(host, f);
    host.getSourceFile = (f, language, ...rest) => {
      const text = SNIPPETS.get(resolve(f));
      return text !== undefined
        ? ts.createSourceFile(f, text, language)
        : getSourceFile.call(host, f, language, ...rest);
    };
    const p = ts.createProgram([...SNIPPETS.keys()], options, host);
    program = {
      diagnostics: (f) =>
        ts.getPreEmitDiagnostics(p, p.getSourceFile(f)).map((d) => {
          const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
          return `${where ? `line ${where.line}: ` : ''}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
        }),
    };
  }
  return program.diagnostics(file);
}

function assertCompiles(file: string): void {
  const problems = diagnosticsOf(file);
  assert.deepEqual(problems, [], `this user code should type-check:\n${SNIPPETS.get(file)}\n${problems.join('\n')}`);
}

const controlSnippet = snippet(
  'control: valid code compiles and a type error is reported',
  `import { verifyJWT } from 'tessera-jwt';
const payload = verifyJWT('t', 'secret', { algorithms: ['HS256'] });
const sub: string | undefined = payload.sub;
// @ts-expect-error -- control: this must be reported, or the snippet checker is broken
const wrong: number = payload.sub;
export { sub, wrong };
`,
);

const switchSnippet = snippet(
  'the switch (err.code) example from the errors module documentation',
  `import { verifyJWT, isJWTError } from 'tessera-jwt';
declare const token: string;
declare const secret: string;
try {
  verifyJWT(token, secret, { algorithms: ['HS256'] });
} catch (err) {
  if (!isJWTError(err)) throw err;
  switch (err.code) {
    case 'ERR_JWT_EXPIRED': console.log('expired at', err.expiredAt.toISOString()); break;
    case 'ERR_JWT_CLAIM_MISSING': console.log('missing', err.claim); break;
    case 'ERR_JWS_SIGNATURE_INVALID': console.log('forged or corrupted'); break;
  }
}
`,
);

const verifierOptionsSnippet = snippet(
  'an options object typed VerifierOptions can be passed to createVerifier',
  `import { createVerifier, type VerifierOptions, type JWTPayload } from 'tessera-jwt';
declare const publicKey: string;
const options: VerifierOptions = { key: publicKey, algorithms: ['ES256'], cache: 5000 };
const verify = createVerifier(options);
export const result: JWTPayload | Promise<JWTPayload> = verify('token');
`,
);

const registeredClaimsSnippet = snippet(
  'signJWT types the registered claims of its payload like JWTPayload does',
  `import { signJWT, type JWTPayloadInput } from 'tessera-jwt';
declare const secret: string;
// @ts-expect-error -- "sub" is a string (verifyJWT rejects a number with InvalidSubjectError)
signJWT({ sub: 42 }, secret);
// @ts-expect-error -- "aud" is a string or a list of strings
signJWT({ aud: [1] }, secret);
// @ts-expect-error -- "iss" is a string
signJWT({ iss: { url: 'https://auth.example.com' } }, secret);
// @ts-expect-error -- "jti" is a string
signJWT({ jti: 7 }, secret);
declare const input: JWTPayloadInput;
export const sub: string | undefined = input.sub;
`,
);

test('compiles user code with the compiler API (control for the checks below)', () => {
  assertCompiles(controlSnippet);
});

test('compiles the documented switch (err.code) example: the code narrows the error', () => {
  assertCompiles(switchSnippet);
});

test('compiles createVerifier(options) for options typed as VerifierOptions', () => {
  assertCompiles(verifierOptionsSnippet);
});

test('compiles only payloads whose registered claims have the registered types in signJWT', () => {
  assertCompiles(registeredClaimsSnippet);
});

// ---------------------------------------------------------------------------------------------
// Keys, JWK Sets, remote sets and custom algorithms

test('a Key is a KeyInput; a JWKSet keeps verifyJWT synchronous; a remote set makes it a Promise', async () => {
  const { privateKey, publicKey } = generateKeyPair('ES256');
  expectType<Key>(importKey(publicKey.toJWK()));
  const signed = expectExact<string>()(signJWT({ sub: 'k' }, privateKey));
  const set = new JWKSet([publicKey]);
  const claims = expectExact<Claims>()(verifyJWT<Claims>(signed, set, { algorithms: ['ES256'] }));
  type _setIsSync = Expect<Equal<typeof claims extends PromiseLike<unknown> ? true : false, false>>;
  const remote = createRemoteJWKSet('http://127.0.0.1:1/jwks.json', { allowHttp: true });
  const pending = verifyJWT<Claims>(signed, remote, { algorithms: ['ES256'] });
  expectExact<Promise<Claims>>()(pending);
  pending.catch(() => {}); // nothing listens on port 1: the fetch fails, which is not what this test is about
  assert.equal(claims.sub, 'k');
});

test('an async custom signer makes signJWT and createSigner return Promises; a sync one returns strings', async () => {
  const asyncAlg: AsyncCustomAlgorithm = { name: 'KMS-TEST', sign: async () => new Uint8Array([1]) };
  const syncAlg: CustomAlgorithm = { name: 'SYNC-TEST', sign: () => new Uint8Array([1]) };
  expectExact<Promise<string>>()(signJWT({}, 'key-id', { algorithm: asyncAlg }));
  expectExact<string>()(signJWT({}, 'key-id', { algorithm: syncAlg }));
  expectExact<(payload: JWTPayloadInput) => Promise<string>>()(
    createSigner({ key: { kmsKeyId: 'arn:…' }, algorithm: asyncAlg }),
  );
  // @ts-expect-error -- a Promise is not a token
  const wrong: string = signJWT({}, 'key-id', { algorithm: asyncAlg });
  assert.ok(Promise.resolve(wrong) === (wrong as unknown), 'at run time it is the Promise the types promised');
  assert.equal((await wrong).split('.').length, 3);
});
