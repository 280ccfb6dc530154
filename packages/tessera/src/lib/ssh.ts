// OpenSSH public key lines (RFC 4253 §6.6, RFC 5656 §3.1, RFC 8709 §4) → JWK, so node:crypto can
// import them. Only public keys: an OpenSSH *private* key file has to be converted to PKCS#8 first.
import { Buffer } from 'node:buffer';
import { InvalidKeyError } from '../errors.js';
import type { JWK } from '../types.js';
import { SSH_KEY_ANYWHERE, SSH_LINE } from './ssh-patterns.js';

export { SSH_KEY_ANYWHERE, SSH_LINE };

const EC_CURVES: Record<string, { crv: string; size: number }> = {
  nistp256: { crv: 'P-256', size: 32 },
  nistp384: { crv: 'P-384', size: 48 },
  nistp521: { crv: 'P-521', size: 66 },
};

function invalid(): InvalidKeyError {
  return new InvalidKeyError('malformed OpenSSH public key');
}

function reader(blob: Buffer) {
  let pos = 0;
  return {
    next(): Buffer {
      if (pos + 4 > blob.length) throw invalid();
      const len = blob.readUInt32BE(pos);
      pos += 4;
      if (len > blob.length - pos) throw invalid();
      const out = blob.subarray(pos, pos + len);
      pos += len;
      return out;
    },
    done(): boolean {
      return pos === blob.length;
    },
  };
}

// An SSH mpint is two's complement with a leading 0x00 when the top bit is set; JWK wants the bare magnitude.
function unsigned(mpint: Buffer): string {
  let i = 0;
  while (i < mpint.length - 1 && mpint[i] === 0) i++;
  return mpint.subarray(i).toString('base64url');
}

/** Converts one OpenSSH public key line (`ssh-ed25519 AAAA… comment`) to a public JWK. */
export function sshPublicKeyToJWK(line: string): JWK {
  const m = SSH_LINE.exec(line.trim());
  if (!m) throw invalid();
  const type = m[1]!;
  const r = reader(Buffer.from(m[2]!, 'base64'));
  if (r.next().toString('latin1') !== type) throw invalid();
  let jwk: JWK;
  if (type === 'ssh-rsa') {
    const e = r.next();
    const n = r.next();
    jwk = { kty: 'RSA', n: unsigned(n), e: unsigned(e) };
  } else if (type === 'ssh-ed25519' || type === 'ssh-ed448') {
    const x = r.next();
    if (x.length !== (type === 'ssh-ed25519' ? 32 : 57)) throw invalid();
    jwk = { kty: 'OKP', crv: type === 'ssh-ed25519' ? 'Ed25519' : 'Ed448', x: x.toString('base64url') };
  } else {
    const curve = EC_CURVES[r.next().toString('latin1')];
    const q = r.next();
    if (!curve || type !== `ecdsa-sha2-${Object.keys(EC_CURVES).find((k) => EC_CURVES[k] === curve)}`) throw invalid();
    if (q.length !== 1 + 2 * curve.size || q[0] !== 0x04) throw invalid();
    jwk = {
      kty: 'EC',
      crv: curve.crv,
      x: q.subarray(1, 1 + curve.size).toString('base64url'),
      y: q.subarray(1 + curve.size).toString('base64url'),
    };
  }
  if (!r.done()) throw invalid();
  return jwk;
}
