// The option names of the web JWE functions: the Node entry's lists (lib/option-names.ts), built on first use
// so that a bundle that only signs and verifies carries none of them. The web `encryptJWT` "sign" option has
// no `header` (the web signJWT sets none). test/web-jwe.test.ts checks these lists against the Node entry's.
import { checkOptionNames, type OptionNames, optionNames } from '../lib/options.js';

const CLAIM_BUILD = ['expiresIn', 'notBefore', 'issuer', 'subject', 'audience', 'jwtId', 'issuedAt', 'currentDate'];
const CLAIMS = [
  'audience',
  'strictAudience',
  'issuer',
  'subject',
  'jwtId',
  'nonce',
  'clockTolerance',
  'leeway',
  'maxTokenAge',
  'requiredClaims',
  'require',
  'typ',
  'currentDate',
  'checks',
  'validate',
];
/** Internal: decryptJWE's option names. */
export const WEB_DECRYPT_JWE_NAMES = [
  'keyManagementAlgorithms',
  'contentEncryptionAlgorithms',
  'crit',
  'maxPbes2Count',
  'maxDecompressedBytes',
  'maxTokenLength',
  'maxJSONDepth',
  'allowWeakKeys',
];
/** Internal: encryptJWE's option names. */
export const WEB_ENCRYPT_JWE_NAMES = [
  'alg',
  'enc',
  'zip',
  'kid',
  'typ',
  'cty',
  'header',
  'unprotectedHeader',
  'aad',
  'serialization',
  'recipients',
  'partyUInfo',
  'partyVInfo',
  'p2c',
  'allowWeakKeys',
];
const JSON_ONLY = ['serialization', 'recipients', 'aad', 'unprotectedHeader'];
const CHECKS = ['exp', 'nbf', 'iat', 'aud', 'iss', 'sub', 'jti'];

interface Lists {
  encrypt: OptionNames;
  recipient: OptionNames;
  decrypt: OptionNames;
  encryptJWT: OptionNames;
  sign: OptionNames;
  decryptJWT: OptionNames;
  nested: OptionNames;
  checks: OptionNames;
}
let lists: Lists | undefined;
function names(): Lists {
  lists ??= {
    encrypt: optionNames(WEB_ENCRYPT_JWE_NAMES),
    recipient: optionNames(['key', 'alg', 'kid', 'header']),
    decrypt: optionNames(WEB_DECRYPT_JWE_NAMES),
    encryptJWT: optionNames(
      WEB_ENCRYPT_JWE_NAMES.filter((n) => !JSON_ONLY.includes(n)),
      CLAIM_BUILD,
      ['sign'],
    ),
    sign: optionNames(['key', 'algorithm', 'kid', 'typ', 'allowWeakKeys']),
    decryptJWT: optionNames(WEB_DECRYPT_JWE_NAMES, CLAIMS, ['nested', 'complete']),
    nested: optionNames(['key', 'algorithms', 'crit', 'allowWeakKeys']),
    checks: optionNames(CHECKS),
  };
  return lists;
}

const isObject = (value: unknown): value is object => value !== null && typeof value === 'object';
function check(options: unknown, known: OptionNames, where: string): void {
  if (isObject(options)) checkOptionNames(options, known, where);
}

/** Internal: encryptJWE options, with each of `recipients`. */
export function checkWebEncryptJWEOptions(options: unknown): void {
  check(options, names().encrypt, 'encryptJWE');
  const recipients = isObject(options) ? (options as { recipients?: unknown }).recipients : undefined;
  if (Array.isArray(recipients)) for (const r of recipients) check(r, names().recipient, 'encryptJWE "recipients"');
}

/** Internal: decryptJWE options. */
export function checkWebDecryptJWEOptions(options: unknown): void {
  check(options, names().decrypt, 'decryptJWE');
}

/** Internal: encryptJWT options, with `sign`. */
export function checkWebEncryptJWTOptions(options: unknown): void {
  check(options, names().encryptJWT, 'encryptJWT');
  if (isObject(options)) check((options as { sign?: unknown }).sign, names().sign, 'encryptJWT "sign"');
}

/** Internal: decryptJWT options, with `checks` and `nested`. */
export function checkWebDecryptJWTOptions(options: unknown): void {
  check(options, names().decryptJWT, 'decryptJWT');
  if (!isObject(options)) return;
  check((options as { checks?: unknown }).checks, names().checks, 'decryptJWT "checks"');
  check((options as { nested?: unknown }).nested, names().nested, 'decryptJWT "nested"');
}
