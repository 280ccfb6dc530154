// Verification in the browser, by Tessera itself (tessera-jwt/web, served by this server from the
// installed package): the signature with verifyJWS, then every claim check on its own with verifyJWT
// (the library's own rules, one `checks` switch at a time), and the full verifyJWT verdict. A JWK Set
// named by URL is fetched by this page with the web createRemoteJWKSet. The token and a pasted key never
// leave the page.
import { createRemoteJWKSet, decryptJWE, isJWTError, verifyJWS, verifyJWT } from '/lib/tessera-jwt/web/index.js';
import { KeyTextError, parseKeyText } from './keys.js';

const ALL_OFF = { exp: false, nbf: false, iat: false, aud: false, iss: false, sub: false, jti: false };

// One remote set per URL, kept for the page's life: its cache, cooldown and single-flight apply.
const remoteSets = new Map();

function remoteSet(url) {
  let parsed;
  try {
    parsed = new URL(url, location.href);
  } catch {
    throw new KeyTextError('The JWKS URL is not a URL');
  }
  const href = parsed.href;
  let set = remoteSets.get(href);
  if (!set) {
    // https, as the library requires — except this server's own JWKS when the page itself is plain http.
    const allowHttp = parsed.origin === location.origin && location.protocol === 'http:';
    set = createRemoteJWKSet(href, { allowHttp });
    remoteSets.set(href, set);
  }
  return set;
}

/** A failure as the page shows it: the library's code and message, or ours for a key we could not read. */
export function describeFailure(err) {
  if (isJWTError(err)) return { code: err.code, name: err.name, message: err.message, claim: err.claim };
  if (err instanceof KeyTextError) return { code: 'KEY_TEXT', name: 'Key', message: err.message };
  if (err instanceof TypeError) return { code: 'ERR_INVALID_ARGUMENT', name: 'TypeError', message: err.message };
  return { code: 'ERROR', name: err?.name ?? 'Error', message: String(err?.message ?? err) };
}

async function outcome(promise) {
  try {
    return { ok: true, value: await promise };
  } catch (err) {
    return { ok: false, error: describeFailure(err) };
  }
}

/**
 * → { key: description, signature: {ok, error?}, checks: [{ claim, ok, skipped?, note, error? }],
 *     verdict: {ok, error?} } — or { error } when no key could be read.
 */
export async function verifyInPage({ token, payload, keySource, algorithms, audience, issuer, leeway }) {
  let key;
  let description;
  if (keySource.kind === 'jwks') {
    try {
      key = remoteSet(keySource.url);
    } catch (err) {
      return { error: describeFailure(err) };
    }
    description = `the JWK Set at ${keySource.url}, fetched by this page`;
  } else {
    try {
      ({ key, description } = await parseKeyText(keySource.text, {
        base64url: keySource.base64url,
        usage: 'verify',
      }));
    } catch (err) {
      return { error: describeFailure(err) };
    }
  }
  const signature = await outcome(verifyJWS(token, key, { algorithms }));
  const result = { key: description, signature, checks: [] };
  if (!signature.ok) return result;

  const claimOptions = {
    ...(audience ? { audience } : {}),
    ...(issuer ? { issuer } : {}),
    leeway,
  };
  const p = payload ?? {};
  const has = (name) => Object.hasOwn(p, name);
  const plan = [
    ['exp', has('exp') ? `leeway ${leeway} s` : 'no "exp" claim (the token never expires)'],
    ['nbf', has('nbf') ? `leeway ${leeway} s` : 'no "nbf" claim'],
    ['iat', has('iat') ? 'not in the future' : 'no "iat" claim'],
    ['iss', issuer ? `expected ${issuer.join(' or ')}` : undefined],
    [
      'aud',
      audience
        ? `expected ${audience.join(' or ')}`
        : has('aud')
          ? 'no audience expected'
          : 'no "aud" claim, none expected',
    ],
  ];
  for (const [claim, note] of plan) {
    if (note === undefined) {
      result.checks.push({ claim, ok: true, skipped: true, note: 'not checked: no expected issuer given' });
      continue;
    }
    const one = await outcome(
      verifyJWT(token, key, { algorithms, ...claimOptions, checks: { ...ALL_OFF, [claim]: true } }),
    );
    result.checks.push({ claim, ok: one.ok, note, ...(one.ok ? {} : { error: one.error }) });
  }
  result.verdict = await outcome(verifyJWT(token, key, { algorithms, ...claimOptions }));
  return result;
}

/**
 * A JWE decrypted in the page with the web decryptJWE: the key typed in (a private JWK or PEM, or a secret),
 * the token's own alg and enc as the allowlist (a debugger inspects; an application pins its own).
 * → { key: description, plaintext, claims? } or { key?, error }.
 */
export async function decryptInPage({ token, header, keySource }) {
  if (keySource.kind === 'jwks')
    return {
      error: { code: 'KEY_TEXT', name: 'Key', message: 'A JWK Set URL holds public keys: paste the private key' },
    };
  let key;
  let description;
  try {
    ({ key, description } = await parseKeyText(keySource.text, { base64url: keySource.base64url, usage: 'decrypt' }));
  } catch (err) {
    return { error: describeFailure(err) };
  }
  const done = await outcome(
    decryptJWE(token, key, {
      keyManagementAlgorithms: [String(header.alg)],
      contentEncryptionAlgorithms: [String(header.enc)],
    }),
  );
  if (!done.ok) return { key: description, error: done.error };
  const plaintext = new TextDecoder().decode(done.value.plaintext);
  let claims;
  try {
    const parsed = JSON.parse(plaintext);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) claims = parsed;
  } catch {
    // not JSON: shown as text
  }
  return { key: description, plaintext, claims };
}
