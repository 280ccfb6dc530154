// Pasted key text → a key Tessera's web build takes, in the browser (nothing here talks to a server):
// a secret (UTF-8 text, or base64url bytes with the toggle), a JWK or a JWK Set (JSON), or a PEM, which the
// library reads itself in every form (SPKI, PKCS#8, PKCS#1, SEC1, an X.509 certificate's key; a private key
// given to verify stands for its public half, as on Node).
import { base64urlToBytes, TokenDecodeError } from './decode.js';

export class KeyTextError extends Error {}

function importParams(alg) {
  const hash = `SHA-${alg.slice(2)}`;
  if (alg.startsWith('RS')) return { name: 'RSASSA-PKCS1-v1_5', hash };
  if (alg.startsWith('PS')) return { name: 'RSA-PSS', hash };
  if (alg === 'ES256' || alg === 'ES384') return { name: 'ECDSA', namedCurve: `P-${alg.slice(2)}` };
  if (alg === 'ES512') return { name: 'ECDSA', namedCurve: 'P-521' };
  if (alg === 'EdDSA' || alg === 'Ed25519') return { name: 'Ed25519' };
  return undefined;
}

const PEM_KINDS = {
  'PUBLIC KEY': 'an SPKI public key',
  'PRIVATE KEY': 'a PKCS#8 private key',
  'RSA PUBLIC KEY': 'a PKCS#1 RSA public key',
  'RSA PRIVATE KEY': 'a PKCS#1 RSA private key',
  'EC PRIVATE KEY': 'a SEC1 EC private key',
  CERTIFICATE: 'the public key of an X.509 certificate',
};

function describeJWK(jwk) {
  const parts = [`kty ${jwk.kty}`];
  if (jwk.crv) parts.push(`crv ${jwk.crv}`);
  if (jwk.alg) parts.push(`alg ${jwk.alg}`);
  if (jwk.kid) parts.push(`kid "${jwk.kid}"`);
  return `a ${typeof jwk.d === 'string' || typeof jwk.k === 'string' ? 'private ' : ''}JWK (${parts.join(', ')})`;
}

/**
 * → { key, description } for Tessera's web signJWT/verifyJWT. `usage` is 'verify' or 'sign'. Throws KeyTextError.
 */
export async function parseKeyText(text, { base64url = false, usage } = {}) {
  const trimmed = text.trim();
  if (trimmed === '') throw new KeyTextError(usage === 'sign' ? 'Paste or generate a key to sign with' : 'Paste a key');
  if (base64url) {
    try {
      const bytes = base64urlToBytes(trimmed, 'The secret');
      return { key: bytes, description: `a secret of ${bytes.length} bytes (base64url)` };
    } catch (err) {
      if (err instanceof TokenDecodeError) throw new KeyTextError(err.message);
      throw err;
    }
  }
  if (trimmed.startsWith('{')) {
    let value;
    try {
      value = JSON.parse(trimmed);
    } catch {
      throw new KeyTextError('The key starts with "{" but is not valid JSON (a JWK or JWK Set was expected)');
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      throw new KeyTextError('A JWK or JWK Set must be a JSON object');
    if (Array.isArray(value.keys)) {
      if (usage === 'sign') throw new KeyTextError('Sign with one JWK, not a JWK Set');
      return { key: value, description: `a JWK Set of ${value.keys.length} key${value.keys.length === 1 ? '' : 's'}` };
    }
    return { key: value, description: describeJWK(value) };
  }
  if (trimmed.startsWith('-----BEGIN')) {
    const label = /^-----BEGIN ([A-Z0-9 ]+)-----/.exec(trimmed)?.[1] ?? 'PEM';
    const kind = PEM_KINDS[label] ?? `a PEM "${label}"`; // for others, Tessera says what it makes of it
    const half = usage === 'verify' && label.endsWith('PRIVATE KEY');
    return { key: trimmed, description: half ? `the public half of ${kind}` : kind };
  }
  return { key: text, description: `a secret of ${new TextEncoder().encode(text).length} bytes (UTF-8 text)` };
}

/** A fresh key for `alg`, made in this page: { signKeyText, verifyKeyText, base64url }. */
export async function generateKeyText(alg) {
  if (/^HS(256|384|512)$/.test(alg)) {
    const bytes = crypto.getRandomValues(new Uint8Array(Number(alg.slice(2)) / 8));
    let binary = '';
    for (const b of bytes) binary += String.fromCharCode(b);
    const text = btoa(binary).replace(/=+$/, '').replaceAll('+', '-').replaceAll('/', '_');
    return { signKeyText: text, verifyKeyText: text, base64url: true };
  }
  const params = importParams(alg);
  if (!params) throw new KeyTextError(`This page cannot generate a key for ${alg}`);
  const generate = params.name.startsWith('RSA')
    ? { ...params, modulusLength: 2048, publicExponent: Uint8Array.from([1, 0, 1]) }
    : params;
  let pair;
  try {
    pair = await crypto.subtle.generateKey(generate, true, ['sign', 'verify']);
  } catch {
    throw new KeyTextError(`This browser's crypto.subtle cannot generate a ${params.namedCurve ?? params.name} key`);
  }
  const strip = ({ key_ops: _o, ext: _e, ...jwk }) => ({ ...jwk, alg });
  const privateJWK = strip(await crypto.subtle.exportKey('jwk', pair.privateKey));
  const publicJWK = strip(await crypto.subtle.exportKey('jwk', pair.publicKey));
  return {
    signKeyText: JSON.stringify(privateJWK, null, 2),
    verifyKeyText: JSON.stringify(publicJWK, null, 2),
    base64url: false,
  };
}
