// Pasted key text → a key Tessera's web build takes, in the browser (nothing here talks to a server):
// a secret (UTF-8 text, or base64url bytes with the toggle), a JWK or a JWK Set (JSON), or a PEM.
// Tessera's web entry reads SPKI (verify) and PKCS#8 (sign) itself; the page adds the forms people paste
// into a debugger: an X.509 certificate (its SPKI is taken out), a PKCS#1 RSA public key (wrapped into
// SPKI), and a PKCS#8 private key to verify with (its public half, derived through crypto.subtle).
import { base64urlToBytes, TokenDecodeError } from './decode.js';

export class KeyTextError extends Error {}

function pemToDER(text) {
  const m = /^-----BEGIN ([A-Z0-9 ]+)-----\r?\n([A-Za-z0-9+/=\r\n]+)-----END \1-----\s*$/.exec(text.trim());
  if (!m) throw new KeyTextError('The PEM text is malformed (a BEGIN line, base64 lines and a matching END line)');
  const binary = atob(m[2].replace(/[\r\n]/g, ''));
  const der = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) der[i] = binary.charCodeAt(i);
  return { label: m[1], der };
}

function derToPEM(label, der) {
  let binary = '';
  for (const b of der) binary += String.fromCharCode(b);
  const lines = btoa(binary).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

// One DER TLV at `offset`: its tag, where its contents start and where it ends (X.690 §8.1).
function tlv(der, offset) {
  if (offset + 2 > der.length) throw new KeyTextError('The certificate is truncated');
  const tag = der[offset];
  let length = der[offset + 1];
  let start = offset + 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0 || n > 4 || start + n > der.length) throw new KeyTextError('The certificate has a bad DER length');
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + der[start + i];
    start += n;
  }
  const end = start + length;
  if (end > der.length) throw new KeyTextError('The certificate is truncated');
  return { tag, offset, start, end };
}

function children(der, parent) {
  const out = [];
  for (let at = parent.start; at < parent.end; ) {
    const child = tlv(der, at);
    out.push(child);
    at = child.end;
  }
  return out;
}

/** The subjectPublicKeyInfo of an X.509 certificate (RFC 5280 §4.1), as DER. */
export function spkiOfCertificate(der) {
  const cert = tlv(der, 0);
  const [tbs] = children(der, cert);
  if (cert.tag !== 0x30 || tbs?.tag !== 0x30) throw new KeyTextError('The certificate is not an X.509 SEQUENCE');
  const fields = children(der, tbs);
  if (fields[0]?.tag === 0xa0) fields.shift(); // [0] version
  // serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo
  const spki = fields[5];
  if (spki?.tag !== 0x30) throw new KeyTextError('The certificate has no subjectPublicKeyInfo');
  return der.slice(spki.offset, spki.end);
}

function derLength(n) {
  if (n < 0x80) return [n];
  const bytes = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return [0x80 | bytes.length, ...bytes];
}
const derOf = (tag, ...contents) => {
  const body = contents.flatMap((c) => [...c]);
  return Uint8Array.from([tag, ...derLength(body.length), ...body]);
};

/** A PKCS#1 RSAPublicKey wrapped into SPKI (rsaEncryption, RFC 8017 A.1). */
function spkiOfPKCS1(der) {
  const rsaEncryption = Uint8Array.from([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00]);
  return derOf(0x30, derOf(0x30, rsaEncryption), derOf(0x03, [0], der));
}

function importParams(alg) {
  const hash = `SHA-${alg.slice(2)}`;
  if (alg.startsWith('RS')) return { name: 'RSASSA-PKCS1-v1_5', hash };
  if (alg.startsWith('PS')) return { name: 'RSA-PSS', hash };
  if (alg === 'ES256' || alg === 'ES384') return { name: 'ECDSA', namedCurve: `P-${alg.slice(2)}` };
  if (alg === 'ES512') return { name: 'ECDSA', namedCurve: 'P-521' };
  if (alg === 'EdDSA' || alg === 'Ed25519') return { name: 'Ed25519' };
  return undefined;
}

/** The public JWK of a PKCS#8 private key, for `alg` (crypto.subtle imports it and exports the JWK). */
async function publicJWKOfPKCS8(der, alg) {
  const params = alg ? importParams(alg) : undefined;
  if (!params) throw new KeyTextError(`A private key cannot verify ${alg ?? 'this token'}: paste its public key`);
  let jwk;
  try {
    const key = await crypto.subtle.importKey('pkcs8', der, params, true, ['sign']);
    jwk = await crypto.subtle.exportKey('jwk', key);
  } catch {
    throw new KeyTextError(`The private key is not a ${params.namedCurve ?? params.name} key for ${alg}`);
  }
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, key_ops: _o, ext: _e, ...publicJWK } = jwk;
  return publicJWK;
}

function describeJWK(jwk) {
  const parts = [`kty ${jwk.kty}`];
  if (jwk.crv) parts.push(`crv ${jwk.crv}`);
  if (jwk.alg) parts.push(`alg ${jwk.alg}`);
  if (jwk.kid) parts.push(`kid "${jwk.kid}"`);
  return `a ${typeof jwk.d === 'string' || typeof jwk.k === 'string' ? 'private ' : ''}JWK (${parts.join(', ')})`;
}

/**
 * → { key, description } for Tessera's web signJWT/verifyJWT. `usage` is 'verify' or 'sign'; `alg` the
 * algorithm in play (needed only to take the public half of a PKCS#8 key). Throws KeyTextError.
 */
export async function parseKeyText(text, { base64url = false, usage, alg } = {}) {
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
    const { label, der } = pemToDER(trimmed);
    switch (label) {
      case 'CERTIFICATE':
        return {
          key: derToPEM('PUBLIC KEY', spkiOfCertificate(der)),
          description: 'the public key of an X.509 certificate',
        };
      case 'RSA PUBLIC KEY':
        return { key: derToPEM('PUBLIC KEY', spkiOfPKCS1(der)), description: 'a PKCS#1 RSA public key' };
      case 'PRIVATE KEY':
        if (usage === 'verify')
          return { key: await publicJWKOfPKCS8(der, alg), description: 'the public half of a PKCS#8 private key' };
        return { key: trimmed, description: 'a PKCS#8 private key' };
      case 'PUBLIC KEY':
        return { key: trimmed, description: 'an SPKI public key' };
      default:
        return { key: trimmed, description: `a PEM "${label}"` }; // Tessera says what it makes of it
    }
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
