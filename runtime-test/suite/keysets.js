// JWK Sets, key resolvers and the remote JWK Set of the web entry, run unchanged on every runtime against the
// JWKS server that the Node runner starts on 127.0.0.1 (test/jwks-server.mjs). The server publishes the key
// set it is told to (`/control`), counts the requests for /jwks.json, and can fail, hang, be slow, or answer
// too large, too deep or with private keys. Every step names what it expects; the runner asserts that all
// steps passed. Keys and tokens come from the Node entry (node:crypto). The server also answers discovery
// documents, and the web JWKSet is run as the key of every verifier, decryptJWE/decryptJWT and the middleware.
import { fetchAuth } from 'tessera-jwt/fetch';

function describe(err) {
  return err && typeof err === 'object' ? `${err.code ?? err.name}: ${err.message}` : String(err);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function runKeySets(lib, ctx, runtime) {
  const results = [];
  const step = async (id, fn) => {
    try {
      await fn();
      results.push({ id, ok: true });
    } catch (err) {
      results.push({ id, ok: false, reason: describe(err) });
    }
  };
  const expectError = async (promise, code, check) => {
    let error;
    try {
      await promise;
    } catch (err) {
      error = err;
    }
    if (error === undefined) throw new Error(`expected ${code}, but it succeeded`);
    if (error.code !== code) throw new Error(`expected ${code}, got ${describe(error)}`);
    if (check) check(error);
    return error;
  };
  const equal = (actual, expected, what) => {
    if (actual !== expected) throw new Error(`${what}: expected ${expected}, got ${actual}`);
  };
  const { keys, tokens, base } = ctx;
  const opts = { algorithms: ['ES256'], issuer: ctx.issuer };
  const control = async (query) => {
    const r = await fetch(`${base}/control?${query}`);
    if (!r.ok) throw new Error(`control ${query}: ${r.status}`);
  };
  const count = async () => (await (await fetch(`${base}/count`)).json()).count;
  const url = `${base}/jwks.json`;

  // --- Local JWK Sets (the Node JWKSet's selection rules) ---------------------------------------------
  const set = { keys: [keys.k1, keys.k2] };
  await step('set: the kid picks the key', async () => {
    equal((await lib.verifyJWT(tokens.k1, set, opts)).sub, 'user-1', 'sub');
    equal((await lib.verifyJWT(tokens.k2, set, opts)).sub, 'user-2', 'sub');
  });
  await step('set: no kid, several fitting keys: each is tried', async () => {
    equal((await lib.verifyJWT(tokens.k2NoKid, set, opts)).sub, 'user-2', 'sub');
  });
  await step('set: no kid, no key verifies: ERR_JWS_SIGNATURE_INVALID', () =>
    expectError(lib.verifyJWT(tokens.k3NoKid, set, opts), 'ERR_JWS_SIGNATURE_INVALID'),
  );
  await step('set: unknown kid: ERR_JWKS_NO_MATCHING_KEY', () =>
    expectError(lib.verifyJWT(tokens.k3, set, opts), 'ERR_JWKS_NO_MATCHING_KEY'),
  );
  await step('set: a "use":"enc" key never verifies', () =>
    expectError(
      lib.verifyJWT(tokens.k1, { keys: [{ ...keys.k1, use: 'enc' }] }, opts),
      'ERR_JWKS_NO_MATCHING_KEY',
      (e) => {
        if (!/"use" is "enc"/.test(e.message)) throw new Error(`message does not say why: ${e.message}`);
      },
    ),
  );
  await step('set: a key bound to another alg never verifies', () =>
    expectError(lib.verifyJWT(tokens.k1, { keys: [{ ...keys.k1, alg: 'ES384' }] }, opts), 'ERR_JWKS_NO_MATCHING_KEY'),
  );
  await step('set: key_ops without "verify" never verifies', () =>
    expectError(
      lib.verifyJWT(tokens.k1, { keys: [{ ...keys.k1, key_ops: ['sign'] }] }, opts),
      'ERR_JWKS_NO_MATCHING_KEY',
    ),
  );
  await step('set: two keys share the kid: ERR_JWKS_INVALID', () =>
    expectError(
      lib.verifyJWT(tokens.k1, { keys: [keys.k1, { ...keys.k2, kid: keys.k1.kid }] }, opts),
      'ERR_JWKS_INVALID',
    ),
  );
  await step('set: secrets mixed with asymmetric keys: ERR_JWKS_INVALID', () =>
    expectError(
      lib.verifyJWT(
        tokens.k1,
        { keys: [keys.k1, { kty: 'oct', k: 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTMyYg' }] },
        opts,
      ),
      'ERR_JWKS_INVALID',
    ),
  );
  await step('set: unknown kty entries are ignored, an empty set is ERR_JWKS_INVALID', async () => {
    equal((await lib.verifyJWT(tokens.k1, { keys: [{ kty: 'XYZ', kid: 'x' }, keys.k1] }, opts)).sub, 'user-1', 'sub');
    await expectError(lib.verifyJWT(tokens.k1, { keys: [] }, opts), 'ERR_JWKS_INVALID');
  });
  await step('set: a token without kid against more than 8 fitting keys: ERR_JWKS_INVALID', () =>
    expectError(
      lib.verifyJWT(
        tokens.k2NoKid,
        { keys: Array.from({ length: 9 }, (_, i) => ({ ...keys.k2, kid: `n${i}` })) },
        opts,
      ),
      'ERR_JWKS_INVALID',
    ),
  );
  await step('resolver: (header) => key, and (header) => set', async () => {
    const seen = [];
    const byKid = (header) => {
      seen.push(header.kid);
      return header.kid === keys.k1.kid ? keys.k1 : keys.k2;
    };
    equal((await lib.verifyJWT(tokens.k1, byKid, opts)).sub, 'user-1', 'sub');
    equal((await lib.verifyJWT(tokens.k2, async () => set, opts)).sub, 'user-2', 'sub');
    equal(seen[0], keys.k1.kid, 'the resolver saw the header');
    await expectError(
      lib.verifyJWT(tokens.k1, () => undefined, opts),
      'ERR_JWKS_NO_MATCHING_KEY',
    );
  });
  await step('set: each JWK is imported once, however many tokens are verified', async () => {
    const subtle = globalThis.crypto.subtle;
    const original = subtle.importKey;
    let imports = 0;
    const fresh = { keys: [{ ...keys.k1 }, { ...keys.k2 }] };
    subtle.importKey = function (...args) {
      imports++;
      return original.apply(this, args);
    };
    try {
      for (let i = 0; i < 5; i++) {
        await lib.verifyJWT(tokens.k1, fresh, opts);
        await lib.verifyJWT(tokens.k2, fresh, opts);
      }
    } finally {
      subtle.importKey = original;
    }
    equal(imports, 2, 'importKey calls for 10 verifications with 2 keys');
  });

  // --- The JWKSet class (as on Node; JWKSet.from imports through crypto.subtle, so it resolves) ------------
  await step('JWKSet: from a JWKS object or its text; the kid picks the key; size, get, select', async () => {
    const ks = await lib.JWKSet.from({ keys: [keys.k1, keys.k2] });
    equal(ks.size, 2, 'size');
    equal(ks.get(keys.k2.kid).kid, keys.k2.kid, 'get(kid)');
    equal(ks.select({ alg: 'ES256', kid: keys.k1.kid }).length, 1, 'select by kid');
    equal(ks.select({ alg: 'RS256' }).length, 0, 'select another alg');
    equal((await lib.verifyJWT(tokens.k1, ks, opts)).sub, 'user-1', 'sub');
    equal((await lib.verifyJWT(tokens.k2NoKid, ks, opts)).sub, 'user-2', 'sub without kid');
    await expectError(lib.verifyJWT(tokens.k3, ks, opts), 'ERR_JWKS_NO_MATCHING_KEY');
    const fromText = await lib.JWKSet.from(JSON.stringify({ keys: [keys.k2] }), { publicOnly: true });
    equal((await lib.verifyJWT(tokens.k2, fromText, opts)).sub, 'user-2', 'sub (set from text)');
  });
  await step('JWKSet: new JWKSet(keys) takes imported Keys, not JWK objects', async () => {
    const ks = new lib.JWKSet([await lib.importKey(keys.k1), await lib.importKey(keys.k3)]);
    equal((await lib.verifyJWT(tokens.k3, ks, opts)).sub, 'user-3', 'sub');
    let error;
    try {
      new lib.JWKSet([keys.k1]);
    } catch (err) {
      error = err;
    }
    if (!(error instanceof TypeError)) throw new Error(`JWK objects gave ${describe(error)}`);
  });
  await step(
    'JWKSet: a shared kid is ambiguous, mixed secrets, empty: ERR_JWKS_INVALID; private in publicOnly: ERR_JWK_INVALID',
    async () => {
      // A kid that two keys share is ambiguous when a token names it; the rest of the set still verifies.
      const twins = await lib.JWKSet.from({ keys: [keys.k1, { ...keys.k2, kid: keys.k1.kid }, keys.k3] });
      await expectError(lib.verifyJWT(tokens.k1, twins, opts), 'ERR_JWKS_INVALID', (e) => {
        if (!/share the token's kid/.test(e.message)) throw new Error(`message does not say why: ${e.message}`);
      });
      equal((await lib.verifyJWT(tokens.k3, twins, opts)).sub, 'user-3', 'sub');
      await expectError(
        lib.JWKSet.from({ keys: [keys.k1, { kty: 'oct', k: 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTMyYg' }] }),
        'ERR_JWKS_INVALID',
      );
      await expectError(lib.JWKSet.from({ keys: [{ kty: 'XYZ' }] }), 'ERR_JWKS_INVALID');
      await expectError(lib.JWKSet.from('{"keys":[],"keys":[]}'), 'ERR_JWKS_INVALID');
      await expectError(lib.JWKSet.from({ keys: [ctx.privates.k1] }, { publicOnly: true }), 'ERR_JWK_INVALID');
    },
  );
  await step('JWKSet: an invalid key is skipped, and a token naming its kid learns why', async () => {
    const offCurve = { ...keys.k2, y: keys.k1.y };
    const ks = await lib.JWKSet.from({ keys: [keys.k1, offCurve] });
    equal(ks.size, 1, 'size');
    await expectError(lib.verifyJWT(tokens.k2, ks, opts), 'ERR_JWK_INVALID', (e) => {
      if (!/skipped/.test(e.message)) throw new Error(`message does not say why: ${e.message}`);
    });
  });
  await step(
    'JWKSet: the key of verifyJWS, createVerifier and a resolver; toJSON publishes public members',
    async () => {
      const pair = await lib.generateKeyPair('ES256', { kid: 'web-pair' });
      const ks = new lib.JWKSet([pair.privateKey, await lib.importKey(keys.k1)]);
      const token = await lib.signJWT({ sub: 'web' }, pair.privateKey, { algorithm: 'ES256', issuer: ctx.issuer });
      equal((await lib.verifyJWS(token, ks, { algorithms: ['ES256'] })).header.kid, 'web-pair', 'verifyJWS kid');
      const verify = lib.createVerifier({ key: ks, ...opts, cache: true });
      equal((await verify(token)).sub, 'web', 'createVerifier');
      equal((await verify(tokens.k1)).sub, 'user-1', 'createVerifier, second key');
      equal((await lib.verifyJWT(token, async () => ks, opts)).sub, 'web', 'resolver');
      const published = ks.toJSON();
      equal(published.keys.length, 2, 'published keys');
      if (JSON.stringify(published).includes('"d"')) throw new Error('toJSON published a private member');
    },
  );
  await step('JWKSet: the key of decryptJWT and decryptJWE (the recipient kid picks the private key)', async () => {
    const e1 = await lib.generateKeyPair('ECDH-ES+A256KW', { kid: 'enc-1' });
    const e2 = await lib.generateKeyPair('ECDH-ES+A256KW', { kid: 'enc-2' });
    const jwe = await lib.encryptJWT({ sub: 'sealed' }, e2.publicKey.toJWK(), {
      alg: 'ECDH-ES+A256KW',
      enc: 'A256GCM',
    });
    const ks = new lib.JWKSet([e1.privateKey, e2.privateKey]);
    const decryptOpts = { keyManagementAlgorithms: ['ECDH-ES+A256KW'], contentEncryptionAlgorithms: ['A256GCM'] };
    equal((await lib.decryptJWT(jwe, ks, decryptOpts)).sub, 'sealed', 'decryptJWT');
    equal((await lib.decryptJWE(jwe, ks, decryptOpts)).header.kid, 'enc-2', 'decryptJWE kid');
    await expectError(lib.decryptJWT(jwe, new lib.JWKSet([e1.privateKey]), decryptOpts), 'ERR_JWKS_NO_MATCHING_KEY');
  });
  await step('JWKSet: the key of the web middleware (tessera-jwt/fetch under the browser condition)', async () => {
    const ks = await lib.JWKSet.from({ keys: [keys.k1, keys.k2] });
    const auth = fetchAuth({ key: ks, algorithms: ['ES256'], issuer: ctx.issuer });
    const ok = await auth(new Request('https://api.example/', { headers: { authorization: `Bearer ${tokens.k2}` } }));
    equal(ok.ok, true, 'accepted');
    equal(ok.claims.sub, 'user-2', 'claims.sub');
    const refused = await auth(
      new Request('https://api.example/', { headers: { authorization: `Bearer ${tokens.k3}` } }),
    );
    equal(refused.ok, false, 'a token of no key in the set is refused');
    equal(refused.response.status, 401, 'status');
  });

  // --- The remote JWK Set --------------------------------------------------------------------------------
  await step('remote: http: is refused unless allowHttp', async () => {
    let error;
    try {
      lib.createRemoteJWKSet(url);
    } catch (err) {
      error = err;
    }
    if (!(error instanceof TypeError) || !/https/.test(error.message)) throw new Error(`got ${describe(error)}`);
    let unknown;
    try {
      lib.createRemoteJWKSet(url, { allowHttp: true, cacheMaxage: 5 });
    } catch (err) {
      unknown = err;
    }
    if (!(unknown instanceof TypeError)) throw new Error('a misspelt option is not a TypeError');
  });

  await control('set=k1&mode=ok');
  let before = await count();
  const jwks = lib.createRemoteJWKSet(url, { allowHttp: true, cooldown: 0.5 });
  await step('remote: fetched once, then cached; concurrent callers share one request', async () => {
    const all = await Promise.all([1, 2, 3].map(() => lib.verifyJWT(tokens.k1, jwks, opts)));
    equal(all[2].sub, 'user-1', 'sub');
    await lib.verifyJWT(tokens.k1, jwks, opts);
    equal((await count()) - before, 1, 'requests');
    equal(jwks.jwks().keys[0].kid, keys.k1.kid, 'jwks()');
    equal(jwks.export().url, url, 'export().url');
  });
  await step('remote: rotation — an unknown kid refetches the set', async () => {
    await control('set=k1k2');
    await sleep(600); // past the cooldown that the first fetch started
    before = await count();
    equal((await lib.verifyJWT(tokens.k2, jwks, opts)).sub, 'user-2', 'sub');
    equal((await count()) - before, 1, 'requests');
  });
  await step('remote: cooldown — unknown kids refetch at most once per cooldown', async () => {
    before = await count();
    for (let i = 0; i < 3; i++) await expectError(lib.verifyJWT(tokens.k3, jwks, opts), 'ERR_JWKS_NO_MATCHING_KEY');
    equal((await count()) - before, 0, 'requests within the cooldown');
    await sleep(600);
    for (let i = 0; i < 3; i++) await expectError(lib.verifyJWT(tokens.k3, jwks, opts), 'ERR_JWKS_NO_MATCHING_KEY');
    equal((await count()) - before, 1, 'requests after the cooldown');
  });

  await step('remote: a warm start from export() fetches nothing; a snapshot of another URL is ignored', async () => {
    const snapshot = jwks.export();
    before = await count();
    const warm = lib.createRemoteJWKSet(url, { allowHttp: true, cache: JSON.parse(JSON.stringify(snapshot)) });
    equal((await lib.verifyJWT(tokens.k2, warm, opts)).sub, 'user-2', 'sub from the snapshot');
    equal((await count()) - before, 0, 'requests');
    const other = lib.createRemoteJWKSet(`${url}?other`, { allowHttp: true, cache: snapshot });
    equal(other.jwks(), undefined, 'jwks() of a set whose snapshot was for another URL');
    let error;
    try {
      lib.createRemoteJWKSet(url, { allowHttp: true, cache: { url } });
    } catch (err) {
      error = err;
    }
    if (!(error instanceof TypeError)) throw new Error(`a malformed snapshot gave ${describe(error)}`);
  });

  await step('remote: stale-if-error — known keys keep verifying while the endpoint fails', async () => {
    await control('set=k1&mode=ok');
    const r = lib.createRemoteJWKSet(url, { allowHttp: true, cacheMaxAge: 0.3, cooldown: 0.2 });
    await lib.verifyJWT(tokens.k1, r, opts);
    await control('mode=fail');
    await sleep(400);
    equal((await lib.verifyJWT(tokens.k1, r, opts)).sub, 'user-1', 'stale sub');
    await sleep(250);
    await expectError(lib.verifyJWT(tokens.k2, r, opts), 'ERR_JWKS_FETCH_FAILED', (e) => {
      if (!/HTTP 500/.test(e.message)) throw new Error(`the outage is not named: ${e.message}`);
      if (e.cause?.code !== 'ERR_JWKS_NO_MATCHING_KEY') throw new Error('cause is not the missing key');
    });
  });
  await step('remote: a stale set past staleIfError is not used', async () => {
    await control('set=k1&mode=ok');
    const r = lib.createRemoteJWKSet(url, { allowHttp: true, cacheMaxAge: 0.2, staleIfError: 0.1, cooldown: 0.1 });
    await lib.verifyJWT(tokens.k1, r, opts);
    await control('mode=fail');
    await sleep(400);
    await expectError(lib.verifyJWT(tokens.k1, r, opts), 'ERR_JWKS_FETCH_FAILED');
  });
  await step('remote: timeout — ERR_JWKS_TIMEOUT', async () => {
    await control('mode=hang');
    const r = lib.createRemoteJWKSet(url, { allowHttp: true, timeout: 0.3 });
    const started = Date.now();
    await expectError(lib.verifyJWT(tokens.k1, r, opts), 'ERR_JWKS_TIMEOUT');
    if (Date.now() - started > 3000) throw new Error('the timeout did not cut the request short');
  });
  await step('remote: maxResponseBytes, maxJSONDepth, private keys: ERR_JWKS_FETCH_FAILED', async () => {
    await control('mode=big');
    await expectError(
      lib.verifyJWT(tokens.k1, lib.createRemoteJWKSet(url, { allowHttp: true, maxResponseBytes: 4096 }), opts),
      'ERR_JWKS_FETCH_FAILED',
      (e) => {
        if (!/maxResponseBytes/.test(e.message)) throw new Error(e.message);
      },
    );
    await control('mode=deep');
    await expectError(
      lib.verifyJWT(tokens.k1, lib.createRemoteJWKSet(url, { allowHttp: true, maxJSONDepth: 16 }), opts),
      'ERR_JWKS_FETCH_FAILED',
      (e) => {
        if (!/deeper/.test(e.message)) throw new Error(e.message);
      },
    );
    await control('mode=private');
    await expectError(
      lib.verifyJWT(tokens.k1, lib.createRemoteJWKSet(url, { allowHttp: true }), opts),
      'ERR_JWKS_FETCH_FAILED',
      (e) => {
        if (!/private/.test(e.message)) throw new Error(e.message);
      },
    );
  });

  // --- Authorization server discovery (RFC 8414, OpenID Connect Discovery) -------------------------------
  await step('discover: the OpenID well-known document; its metadata feeds createRemoteJWKSet', async () => {
    await control('set=k1&mode=ok&delay=0');
    const metadata = await lib.discover(base, { allowHttp: true });
    equal(metadata.issuer, base, 'issuer');
    equal(metadata.jwks_uri, url, 'jwks_uri');
    const remote = lib.createRemoteJWKSet(metadata, { allowHttp: true });
    equal(remote.url, url, 'remote url');
    equal((await lib.verifyJWT(tokens.k1, remote, opts)).sub, 'user-1', 'sub');
  });
  await step('discover: RFC 8414 (inserted well-known path) when the OpenID document answers 404', async () => {
    const metadata = await lib.discover(`${base}/tenant`, { allowHttp: true });
    equal(metadata.issuer, `${base}/tenant`, 'issuer');
    equal(metadata.token_endpoint, `${base}/tenant/token`, 'token_endpoint');
  });
  await step('discover: an issuer that differs (by a trailing slash) is refused: ERR_JWKS_FETCH_FAILED', () =>
    expectError(lib.discover(`${base}/slash`, { allowHttp: true }), 'ERR_JWKS_FETCH_FAILED', (e) => {
      if (!/trailing slash/.test(e.message) || !/mix-up/.test(e.message)) throw new Error(e.message);
    }),
  );
  await step('discover: a redirect to another host is not followed; limits and member types are checked', async () => {
    await expectError(lib.discover(`${base}/moved`, { allowHttp: true }), 'ERR_JWKS_FETCH_FAILED', (e) => {
      if (!/redirect/.test(e.message)) throw new Error(e.message);
    });
    await expectError(
      lib.discover(`${base}/big`, { allowHttp: true, maxResponseBytes: 4096 }),
      'ERR_JWKS_FETCH_FAILED',
      (e) => {
        if (!/maxResponseBytes/.test(e.message)) throw new Error(e.message);
      },
    );
    await expectError(lib.discover(`${base}/broken`, { allowHttp: true }), 'ERR_JWKS_FETCH_FAILED', (e) => {
      if (!/"jwks_uri" is not a string/.test(e.message)) throw new Error(e.message);
    });
  });
  await step('discover: http: without allowHttp, a query, an unknown option: TypeErrors', async () => {
    for (const [what, call] of [
      ['http:', () => lib.discover(base)],
      ['a query', () => lib.discover(`${base}/?tenant=1`, { allowHttp: true })],
      ['a misspelt option', () => lib.discover(base, { allowHTTP: true })],
    ]) {
      let error;
      try {
        await call();
      } catch (err) {
        error = err;
      }
      if (!(error instanceof TypeError)) throw new Error(`${what} gave ${describe(error)}`);
    }
  });

  await step('store: two isolates share one fetch; a rotation seen by one is read by the other', async () => {
    await control('set=k1&mode=ok');
    const map = new Map();
    const writes = [];
    const store = {
      get: async (key) => (map.has(key) ? JSON.parse(map.get(key)) : undefined),
      put: async (key, value, ttl) => {
        writes.push(ttl);
        map.set(key, JSON.stringify(value));
      },
    };
    before = await count();
    const a = lib.createRemoteJWKSet(url, { allowHttp: true, store, cooldown: 0.3 });
    await lib.verifyJWT(tokens.k1, a, opts);
    await a.refresh(); // also waits for the store write
    const b = lib.createRemoteJWKSet(url, { allowHttp: true, store, cooldown: 0.3 });
    equal((await lib.verifyJWT(tokens.k1, b, opts)).sub, 'user-1', 'sub from the stored set');
    equal((await count()) - before, 2, 'requests (the first fetch and the refresh, none by the second isolate)');
    if (!(writes[0] > 600)) throw new Error(`ttlSeconds ${writes[0]} does not cover freshness and staleIfError`);
    await control('set=k1k3');
    await sleep(350);
    before = await count();
    equal((await lib.verifyJWT(tokens.k3, a, opts)).sub, 'user-3', 'a sees the rotation');
    await a.refresh();
    equal((await lib.verifyJWT(tokens.k3, b, opts)).sub, 'user-3', 'b reads the rotated set from the store');
    equal((await count()) - before, 2, 'requests (a: the unknown kid and the refresh; b: none)');
    // Junk in the store is a miss, never trusted.
    map.set(url, JSON.stringify({ url, jwks: { keys: [keys.k2] }, fetchedAt: 'x', expiresAt: 1 }));
    const c = lib.createRemoteJWKSet(url, { allowHttp: true, store });
    before = await count();
    await lib.verifyJWT(tokens.k1, c, opts);
    equal((await count()) - before, 1, 'requests after reading junk');
  });

  await step(
    'stale-while-revalidate: a stale set answers at once; one background refresh, handed to waitUntil',
    async () => {
      await control('set=k1&mode=ok&delay=0');
      const pending = [];
      const r = lib.createRemoteJWKSet(url, {
        allowHttp: true,
        cacheMaxAge: 0.3,
        staleWhileRevalidate: 30,
        waitUntil: (p) => pending.push(p),
      });
      await lib.verifyJWT(tokens.k1, r, opts);
      const firstFetch = r.export().fetchedAt;
      await sleep(400);
      await control('delay=800');
      before = await count();
      const started = Date.now();
      await Promise.all([1, 2, 3].map(() => lib.verifyJWT(tokens.k1, r, opts)));
      const took = Date.now() - started;
      if (took > 600) throw new Error(`the stale set did not answer at once (${took} ms)`);
      if (pending.length < 1) throw new Error('waitUntil got no background refresh');
      await Promise.all(pending);
      await Promise.all(pending); // the store write (none here) and the refresh
      equal((await count()) - before, 1, 'background requests');
      if (!(r.export().fetchedAt > firstFetch)) throw new Error('the background refresh did not replace the set');
      await control('delay=0');
    },
  );

  return { runtime, results };
}
