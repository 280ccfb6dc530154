// PEM key text for the web entry, read with the strict DER reader: SPKI and PKCS#8 as they are, PKCS#1
// (`RSA PUBLIC KEY` / `RSA PRIVATE KEY`) and SEC1 (`EC PRIVATE KEY`) re-wrapped as SPKI / PKCS#8 (the
// only forms crypto.subtle imports), the SubjectPublicKeyInfo of an X.509 `CERTIFICATE` (the certificate
// itself is NOT validated: no chain, dates, issuer or revocation — only its key is taken, as on Node),
// and `ENCRYPTED PRIVATE KEY` (PBES2) through encrypted-pkcs8.ts. The parse also tells what the key is
// (type, curve, modulus), so the algorithm binding is checked with the Node entry's rules and messages
// before anything reaches crypto.subtle.
import { InvalidKeyError } from '../errors.js';
import type { JWK } from '../types.js';
import {
  type DERNode,
  DERSyntaxError,
  encode,
  expect,
  fromHex,
  oidHex,
  parseDER,
  smallInteger,
  TAG,
  unsignedInteger,
  contentsOf,
} from './der.js';
import { isOnCurve, uncompressedPoint } from './ec-point.js';
import { decryptPKCS8 } from './encrypted-pkcs8.js';

/** Internal: the asymmetric key types, named as node:crypto names them (the messages match the Node entry). */
export type WebKeyType = 'rsa' | 'rsa-pss' | 'ec' | 'ed25519' | 'ed448' | 'x25519' | 'x448';

/** Internal: a parsed asymmetric key, in a form crypto.subtle imports. */
export interface ParsedKey {
  readonly kind: 'public' | 'private';
  readonly origin: 'pem' | 'certificate' | 'ssh' | 'jwk';
  readonly type: WebKeyType;
  /** EC keys: the JWK curve name ('P-256', 'P-384', 'P-521', 'secp256k1'). */
  readonly curve?: string;
  /** RSA keys: the modulus (big-endian, no leading zero). */
  readonly modulus?: Uint8Array;
  readonly format: 'spki' | 'pkcs8' | 'jwk';
  /** The DER (formats 'spki' and 'pkcs8'). */
  readonly der?: Uint8Array;
  /** The public JWK (format 'jwk': an OpenSSH key). */
  readonly jwk?: JWK;
}

const OID = {
  rsaEncryption: '2a864886f70d010101',
  rsassaPss: '2a864886f70d01010a',
  ecPublicKey: '2a8648ce3d0201',
};
const CURVES: Record<string, string> = {
  '2a8648ce3d030107': 'P-256',
  '2b81040022': 'P-384',
  '2b81040023': 'P-521',
  '2b8104000a': 'secp256k1',
};
const OKP: Record<string, WebKeyType> = {
  '2b6570': 'ed25519',
  '2b6571': 'ed448',
  '2b656e': 'x25519',
  '2b656f': 'x448',
};

/** Internal: the first PEM block holding a key or certificate (skipping "EC PARAMETERS"), as Node finds it. */
export function firstPEMBlock(text: string): { label: string; body: string; headers: boolean } | undefined {
  const lines = text.split(/\r?\n/).map((line) => line.trim());
  for (let i = 0; i < lines.length; i++) {
    const label = /^-----BEGIN ([A-Z0-9 ]+)-----$/.exec(lines[i]!)?.[1];
    if (!label || label === 'EC PARAMETERS') continue;
    const end = lines.indexOf(`-----END ${label}-----`, i + 1);
    if (end === -1) return undefined;
    const inner = lines.slice(i + 1, end).filter((line) => line !== '');
    return { label, body: inner.join(''), headers: inner.some((line) => line.includes(':')) };
  }
  return undefined;
}

function base64(body: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length % 4 !== 0) return undefined;
  let binary: string;
  try {
    binary = atob(body);
  } catch {
    return undefined;
  }
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

function curveOf(node: DERNode | undefined): string {
  const curve = CURVES[oidHex(node)];
  if (curve === undefined) throw new InvalidKeyError('the EC key is on a curve Tessera does not support');
  return curve;
}

/** Internal: what a DER SubjectPublicKeyInfo holds. */
export function spkiKey(der: Uint8Array, origin: ParsedKey['origin']): ParsedKey {
  const [algorithm, bits] = expect(parseDER(der), TAG.SEQUENCE, 2);
  const [oid, params] = expect(algorithm, TAG.SEQUENCE, 1);
  const key = contentsOf(bits, TAG.BIT_STRING);
  if (key[0] !== 0) throw new DERSyntaxError('BIT STRING with unused bits');
  const id = oidHex(oid);
  if (id === OID.rsaEncryption || id === OID.rsassaPss) {
    const [n, e] = expect(parseDER(key.subarray(1)), TAG.SEQUENCE, 2);
    unsignedInteger(e);
    return {
      kind: 'public',
      origin,
      type: id === OID.rsaEncryption ? 'rsa' : 'rsa-pss',
      modulus: unsignedInteger(n),
      format: 'spki',
      der,
    };
  }
  if (id === OID.ecPublicKey) {
    const curve = curveOf(params);
    const point = uncompressedPoint(key.subarray(1));
    if (point !== undefined && !isOnCurve(curve, point.x, point.y))
      throw new InvalidKeyError(`the EC public key is not a point on ${curve}`);
    return { kind: 'public', origin, type: 'ec', curve, format: 'spki', der };
  }
  const type = OKP[id];
  if (type === undefined || params !== undefined)
    throw new InvalidKeyError('the key is of a type Tessera does not support');
  return { kind: 'public', origin, type, format: 'spki', der };
}

/** Internal: what a DER PrivateKeyInfo (PKCS#8 v1 or v2) holds. */
export function pkcs8Key(der: Uint8Array): ParsedKey {
  const [version, algorithm, privateKey] = expect(parseDER(der), TAG.SEQUENCE, 3);
  if (smallInteger(version) > 1) throw new DERSyntaxError('unknown PKCS#8 version');
  const [oid, params] = expect(algorithm, TAG.SEQUENCE, 1);
  const inner = contentsOf(privateKey, TAG.OCTET_STRING);
  const id = oidHex(oid);
  if (id === OID.rsaEncryption || id === OID.rsassaPss) {
    const [, n] = expect(parseDER(inner), TAG.SEQUENCE, 9);
    return {
      kind: 'private',
      origin: 'pem',
      type: id === OID.rsaEncryption ? 'rsa' : 'rsa-pss',
      modulus: unsignedInteger(n),
      format: 'pkcs8',
      der,
    };
  }
  if (id === OID.ecPublicKey) {
    expect(parseDER(inner), TAG.SEQUENCE, 2);
    return { kind: 'private', origin: 'pem', type: 'ec', curve: curveOf(params), format: 'pkcs8', der };
  }
  const type = OKP[id];
  if (type === undefined || params !== undefined)
    throw new InvalidKeyError('the key is of a type Tessera does not support');
  contentsOf(parseDER(inner), TAG.OCTET_STRING);
  return { kind: 'private', origin: 'pem', type, format: 'pkcs8', der };
}

const RSA_ALGORITHM = () => encode(TAG.SEQUENCE, encode(TAG.OID, fromHex(OID.rsaEncryption)), encode(TAG.NULL));

function pkcs1Public(der: Uint8Array): ParsedKey {
  expect(parseDER(der), TAG.SEQUENCE, 2);
  return spkiKey(encode(TAG.SEQUENCE, RSA_ALGORITHM(), encode(TAG.BIT_STRING, new Uint8Array([0]), der)), 'pem');
}

function pkcs1Private(der: Uint8Array): ParsedKey {
  expect(parseDER(der), TAG.SEQUENCE, 9);
  return pkcs8Key(
    encode(TAG.SEQUENCE, encode(TAG.INTEGER, new Uint8Array([0])), RSA_ALGORITHM(), encode(TAG.OCTET_STRING, der)),
  );
}

// SEC1 ECPrivateKey ::= SEQUENCE { version 1, privateKey OCTET STRING, [0] ECParameters, [1] publicKey }
function sec1Private(der: Uint8Array): ParsedKey {
  const [version, d, ...rest] = expect(parseDER(der), TAG.SEQUENCE, 2);
  if (smallInteger(version) !== 1) throw new DERSyntaxError('unknown SEC1 version');
  contentsOf(d, TAG.OCTET_STRING);
  const params = rest.find((node) => node.tag === TAG.CONTEXT_0);
  if (params === undefined) throw new InvalidKeyError('the EC PRIVATE KEY does not name its curve');
  const [curveOID] = expect(params, TAG.CONTEXT_0, 1);
  curveOf(curveOID);
  const algorithm = encode(TAG.SEQUENCE, encode(TAG.OID, fromHex(OID.ecPublicKey)), curveOID!.bytes);
  return pkcs8Key(
    encode(TAG.SEQUENCE, encode(TAG.INTEGER, new Uint8Array([0])), algorithm, encode(TAG.OCTET_STRING, der)),
  );
}

// Certificate ::= SEQUENCE { tbsCertificate SEQUENCE { [0] version OPTIONAL, serialNumber, signature,
// issuer, validity, subject, subjectPublicKeyInfo, … }, signatureAlgorithm, signatureValue }
function certificateKey(der: Uint8Array): ParsedKey {
  const [tbs] = expect(parseDER(der), TAG.SEQUENCE, 3);
  const fields = expect(tbs, TAG.SEQUENCE, 6);
  const at = fields[0]!.tag === TAG.CONTEXT_0 ? 1 : 0;
  contentsOf(fields[at], TAG.INTEGER);
  const spki = fields[at + 5];
  expect(spki, TAG.SEQUENCE, 2);
  return spkiKey(spki!.bytes, 'certificate');
}

/** Internal: the PBKDF2 iteration count an encrypted PKCS#8 key may ask for (each one is work). */
export const MAX_PBKDF2_ITERATIONS = 1_000_000;

/**
 * Internal: parses PEM key text (the first key block in `text`) into a key crypto.subtle can import.
 * Failures are InvalidKeyErrors with the Node entry's messages; they never quote the key.
 */
export async function parsePEM(text: string, passphrase?: string | Uint8Array): Promise<ParsedKey> {
  const block = firstPEMBlock(text);
  if (block === undefined) throw new InvalidKeyError('unsupported PEM type');
  const { label } = block;
  if (label === 'OPENSSH PRIVATE KEY')
    throw new InvalidKeyError(
      'OpenSSH private key files are not supported; convert one with `ssh-keygen -p -m PKCS8 -f FILE`',
    );
  if (label === 'ENCRYPTED PRIVATE KEY' && passphrase === undefined)
    throw new InvalidKeyError('encrypted private key needs a passphrase: pass { key, passphrase }');
  const known = [
    'CERTIFICATE',
    'PUBLIC KEY',
    'RSA PUBLIC KEY',
    'PRIVATE KEY',
    'RSA PRIVATE KEY',
    'EC PRIVATE KEY',
    'ENCRYPTED PRIVATE KEY',
  ];
  if (!known.includes(label) && !label.endsWith('PRIVATE KEY'))
    throw new InvalidKeyError(`unsupported PEM type "${label}"`);
  const failed = (cause?: unknown) =>
    new InvalidKeyError(`could not import the ${label} key (wrong passphrase, or corrupt or unsupported PEM)`, {
      cause,
    });
  // Legacy OpenSSL encryption ("Proc-Type: 4,ENCRYPTED") and unknown labels (DSA, …) cannot be read here.
  if (block.headers || !known.includes(label)) throw failed();
  const der = base64(block.body);
  if (der === undefined) throw failed();
  try {
    switch (label) {
      case 'CERTIFICATE':
        return certificateKey(der);
      case 'PUBLIC KEY':
        return spkiKey(der, 'pem');
      case 'RSA PUBLIC KEY':
        return pkcs1Public(der);
      case 'PRIVATE KEY':
        return pkcs8Key(der);
      case 'RSA PRIVATE KEY':
        return pkcs1Private(der);
      case 'EC PRIVATE KEY':
        return sec1Private(der);
      default:
        return pkcs8Key(await decryptPKCS8(der, passphrase!, MAX_PBKDF2_ITERATIONS));
    }
  } catch (err) {
    if (err instanceof InvalidKeyError) throw err;
    throw failed(err instanceof DERSyntaxError ? undefined : err);
  }
}
