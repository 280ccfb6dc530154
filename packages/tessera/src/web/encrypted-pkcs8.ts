// Encrypted PKCS#8 (RFC 5958 EncryptedPrivateKeyInfo) with PBES2 (RFC 8018): PBKDF2 with HMAC-SHA-1/256/
// 384/512 and AES-128/256-CBC, both provided by crypto.subtle — what `openssl pkcs8 -topk8 -v2 aes256`
// and node's `privateKey.export({ cipher: 'aes-256-cbc', … })` write. The iteration count is chosen by
// whoever made the file, so it is bounded: past the limit the key is refused before any work is done.
import { InvalidKeyError } from '../errors.js';
import { DERSyntaxError, expect, oidHex, parseDER, smallInteger, TAG, contentsOf } from './der.js';

const PBES2 = '2a864886f70d01050d';
const PBKDF2 = '2a864886f70d01050c';
const PRF: Record<string, string> = {
  '2a864886f70d0207': 'SHA-1',
  '2a864886f70d0209': 'SHA-256',
  '2a864886f70d020a': 'SHA-384',
  '2a864886f70d020b': 'SHA-512',
};
// AES-192 is missing from Chromium's crypto.subtle, so it is refused everywhere (one behaviour per entry).
const CIPHERS: Record<string, number> = { '608648016503040102': 16, '60864801650304012a': 32 };

interface SubtleKDF {
  importKey(format: 'raw', data: Uint8Array, params: unknown, extractable: boolean, usages: string[]): Promise<unknown>;
  deriveBits(params: unknown, key: unknown, length: number): Promise<ArrayBuffer>;
  decrypt(params: unknown, key: unknown, data: Uint8Array): Promise<ArrayBuffer>;
}

/** Internal: decrypts an EncryptedPrivateKeyInfo; resolves to the PrivateKeyInfo DER. */
export async function decryptPKCS8(
  der: Uint8Array,
  passphrase: string | Uint8Array,
  maxIterations: number,
): Promise<Uint8Array> {
  const [algorithm, data] = expect(parseDER(der), TAG.SEQUENCE, 2);
  const [scheme, params] = expect(algorithm, TAG.SEQUENCE, 2);
  const unsupported = () =>
    new InvalidKeyError(
      'the encrypted private key uses a scheme the web entry cannot decrypt (only PBES2 with PBKDF2-HMAC-SHA-1/256/384/512 and AES-128/256-CBC)',
    );
  if (oidHex(scheme) !== PBES2) throw unsupported();
  const [kdf, cipher] = expect(params, TAG.SEQUENCE, 2);
  const [kdfOID, kdfParams] = expect(kdf, TAG.SEQUENCE, 2);
  if (oidHex(kdfOID) !== PBKDF2) throw unsupported();
  const [salt, count, ...optional] = expect(kdfParams, TAG.SEQUENCE, 2);
  let keyLength: number | undefined;
  let hash = 'SHA-1'; // the DEFAULT of PBKDF2-params' prf
  for (const node of optional) {
    if (node.tag === TAG.INTEGER && keyLength === undefined) keyLength = smallInteger(node);
    else if (node.tag === TAG.SEQUENCE) {
      const [prfOID, prfParams] = expect(node, TAG.SEQUENCE, 1);
      const name = PRF[oidHex(prfOID)];
      if (name === undefined || (prfParams !== undefined && prfParams.tag !== TAG.NULL)) throw unsupported();
      hash = name;
    } else throw new DERSyntaxError('unexpected PBKDF2 parameter');
  }
  const [cipherOID, iv] = expect(cipher, TAG.SEQUENCE, 2);
  const size = CIPHERS[oidHex(cipherOID)];
  if (size === undefined) throw unsupported();
  if (keyLength !== undefined && keyLength !== size) throw new DERSyntaxError('key length does not fit the cipher');
  const ivBytes = contentsOf(iv, TAG.OCTET_STRING);
  if (ivBytes.length !== 16) throw new DERSyntaxError('AES-CBC needs a 16-byte IV');
  const iterations = smallInteger(count);
  if (iterations < 1) throw new DERSyntaxError('no iterations');
  if (iterations > maxIterations)
    throw new InvalidKeyError(
      `the encrypted private key asks for ${iterations} PBKDF2 iterations, more than the ${maxIterations} accepted (each is work the key's maker chose)`,
    );
  const subtle = (globalThis.crypto as unknown as { subtle: SubtleKDF }).subtle;
  const password = typeof passphrase === 'string' ? new TextEncoder().encode(passphrase) : passphrase;
  const base = await subtle.importKey('raw', password, { name: 'PBKDF2' }, false, ['deriveBits']);
  const bits = await subtle.deriveBits(
    { name: 'PBKDF2', hash, salt: contentsOf(salt, TAG.OCTET_STRING), iterations },
    base,
    size * 8,
  );
  const aes = await subtle.importKey('raw', new Uint8Array(bits), { name: 'AES-CBC' }, false, ['decrypt']);
  // A wrong passphrase mostly fails the padding check here; when it does not, the DER parse that
  // follows fails: both are "wrong passphrase, or corrupt" to the caller.
  return new Uint8Array(
    await subtle.decrypt({ name: 'AES-CBC', iv: ivBytes }, aes, contentsOf(data, TAG.OCTET_STRING)),
  );
}
