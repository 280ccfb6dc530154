// OpenSSH public key lines for the web entry (`ssh-rsa`, `ecdsa-sha2-nistp256/384/521`, `ssh-ed25519`,
// `ssh-ed448`) → a public JWK for crypto.subtle, with the same strict wire-format reading as lib/ssh.ts
// (RFC 4253 §6.6, RFC 5656 §3.1, RFC 8709 §4): the inner type must repeat the line's, sizes must be
// exact, nothing may follow. OpenSSH private key files are refused (convert them to PKCS#8).
import { InvalidKeyError } from '../errors.js';
import { SSH_LINE } from '../lib/ssh-patterns.js';
import type { JWK } from '../types.js';

const EC_CURVES: Record<string, { crv: string; size: number }> = {
  nistp256: { crv: 'P-256', size: 32 },
  nistp384: { crv: 'P-384', size: 48 },
  nistp521: { crv: 'P-521', size: 66 },
};

function encodeB64u(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/=+$/, '')
    .replaceAll('+', '-')
    .replaceAll('/', '_');
}

const invalid = () => new InvalidKeyError('malformed OpenSSH public key');

function base64(text: string): Uint8Array {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    throw invalid();
  }
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

function unsigned(mpint: Uint8Array): string {
  let i = 0;
  while (i < mpint.length - 1 && mpint[i] === 0) i++;
  return encodeB64u(mpint.subarray(i));
}

/** Internal: an OpenSSH public key (its type and base64 blob, as SSH_KEY_ANYWHERE found them) as a public JWK. */
export function sshKeyToJWK(type: string, text: string): JWK {
  if (!SSH_LINE.test(`${type} ${text}`))
    throw new InvalidKeyError(`unsupported OpenSSH key type "${type.slice(0, 40)}"`);
  const blob = base64(text);
  let pos = 0;
  const next = (): Uint8Array => {
    if (pos + 4 > blob.length) throw invalid();
    const len = ((blob[pos]! << 24) | (blob[pos + 1]! << 16) | (blob[pos + 2]! << 8) | blob[pos + 3]!) >>> 0;
    pos += 4;
    if (len > blob.length - pos) throw invalid();
    const out = blob.subarray(pos, pos + len);
    pos += len;
    return out;
  };
  const latin1 = (bytes: Uint8Array) => String.fromCharCode(...bytes);
  if (latin1(next()) !== type) throw invalid();
  let jwk: JWK;
  if (type === 'ssh-rsa') {
    const e = next();
    const n = next();
    jwk = { kty: 'RSA', n: unsigned(n), e: unsigned(e) };
  } else if (type === 'ssh-ed25519' || type === 'ssh-ed448') {
    const x = next();
    if (x.length !== (type === 'ssh-ed25519' ? 32 : 57)) throw invalid();
    jwk = { kty: 'OKP', crv: type === 'ssh-ed25519' ? 'Ed25519' : 'Ed448', x: encodeB64u(x) };
  } else {
    const name = latin1(next());
    const curve = EC_CURVES[name];
    const q = next();
    if (!curve || type !== `ecdsa-sha2-${name}`) throw invalid();
    if (q.length !== 1 + 2 * curve.size || q[0] !== 0x04) throw invalid();
    jwk = {
      kty: 'EC',
      crv: curve.crv,
      x: encodeB64u(q.subarray(1, 1 + curve.size)),
      y: encodeB64u(q.subarray(1 + curve.size)),
    };
  }
  if (pos !== blob.length) throw invalid();
  return jwk;
}
