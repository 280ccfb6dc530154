// The option names of every core API call, in one place, and the checks that refuse a misspelt one
// (`{ expiresin: 900 }` would otherwise sign a token without "exp" and say nothing). Each list holds every
// documented option and alias; the public functions call one check at their top. One-shot calls pay a
// loop over the keys of a small object; createSigner and createVerifier pay it once, at creation.
import { checkOptionNames, type OptionNames, optionNames } from './options.js';

const CLAIM_BUILD = ['expiresIn', 'notBefore', 'issuer', 'subject', 'audience', 'jwtId', 'issuedAt', 'currentDate'];
const SIGN_HEADER = ['algorithm', 'header', 'kid', 'typ', 'allowWeakKeys'];
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
// Calls marked pure, not spreads, so that a bundle drops whatever list it does not use.
const VERIFY = /* @__PURE__ */ CLAIMS.concat([
  'algorithms',
  'crit',
  'complete',
  'maxTokenLength',
  'maxJSONDepth',
  'allowWeakKeys',
]);
const DECRYPT_JWE = [
  'keyManagementAlgorithms',
  'contentEncryptionAlgorithms',
  'crit',
  'maxPbes2Count',
  'maxDecompressedBytes',
  'maxTokenLength',
  'maxJSONDepth',
  'allowWeakKeys',
];
const ENCRYPT_JWE = [
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

const SIGN = /* @__PURE__ */ optionNames(SIGN_HEADER, CLAIM_BUILD);
const SIGNER = /* @__PURE__ */ optionNames(SIGN, ['key']);
const UNSECURED_SIGN = /* @__PURE__ */ optionNames(['header', 'typ'], CLAIM_BUILD);
const CLAIM_OPTIONS = /* @__PURE__ */ optionNames(CLAIMS);
const CHECKS = /* @__PURE__ */ optionNames(['exp', 'nbf', 'iat', 'aud', 'iss', 'sub', 'jti']);
const VERIFY_OPTIONS = /* @__PURE__ */ optionNames(VERIFY);
const VERIFIER = /* @__PURE__ */ optionNames(VERIFY, ['key', 'cache']);
const CACHE = /* @__PURE__ */ optionNames(['max', 'ttl']);
const DECODE_JWT = /* @__PURE__ */ optionNames(['crit', 'maxTokenLength', 'maxJSONDepth', 'claims']);
const DECODE_HEADER = /* @__PURE__ */ optionNames(['crit', 'maxTokenLength']);
const DECODE_JWS = /* @__PURE__ */ optionNames(['crit', 'maxTokenLength', 'detachedPayload']);
const UNSECURED_DECODE = /* @__PURE__ */ optionNames(CLAIMS, ['complete', 'maxTokenLength', 'maxJSONDepth']);
const SIGN_JWS = /* @__PURE__ */ optionNames([
  'algorithm',
  'kid',
  'typ',
  'header',
  'unprotectedHeader',
  'serialization',
  'signers',
  'detached',
  'b64',
  'allowWeakKeys',
]);
const JWS_SIGNER = /* @__PURE__ */ optionNames(['key', 'algorithm', 'kid', 'header', 'unprotectedHeader']);
const VERIFY_JWS = /* @__PURE__ */ optionNames([
  'algorithms',
  'crit',
  'maxTokenLength',
  'maxJSONDepth',
  'allowWeakKeys',
  'detachedPayload',
]);
const ENCRYPT = /* @__PURE__ */ optionNames(ENCRYPT_JWE);
const RECIPIENT = /* @__PURE__ */ optionNames(['key', 'alg', 'kid', 'header']);
const DECRYPT = /* @__PURE__ */ optionNames(DECRYPT_JWE);
const ENCRYPT_JWT = /* @__PURE__ */ optionNames(
  /* @__PURE__ */ ENCRYPT_JWE.filter(
    (n) => n !== 'serialization' && n !== 'recipients' && n !== 'aad' && n !== 'unprotectedHeader',
  ),
  CLAIM_BUILD,
  ['sign'],
);
const NESTED_SIGN = /* @__PURE__ */ optionNames(SIGN_HEADER, ['key']);
const DECRYPT_JWT = /* @__PURE__ */ optionNames(DECRYPT_JWE, CLAIMS, ['nested', 'complete']);
const NESTED_VERIFY = /* @__PURE__ */ optionNames(['key', 'algorithms', 'crit', 'allowWeakKeys']);
const IMPORT_KEY = /* @__PURE__ */ optionNames(['alg', 'use', 'kid']);
const EXPORT_JWK = /* @__PURE__ */ optionNames(['private']);
const GENERATE_KEY_PAIR = /* @__PURE__ */ optionNames(['kid', 'modulusLength', 'crv']);
const GENERATE_SECRET = /* @__PURE__ */ optionNames(['kid']);

function isObject(value: unknown): value is object {
  return value !== null && typeof value === 'object';
}

/** Checks an options object (when it is one: a wrong type is the caller's own TypeError to report). */
function check(options: unknown, known: OptionNames, where: string): void {
  if (isObject(options)) checkOptionNames(options, known, where);
}

function checkEach(list: unknown, known: OptionNames, where: string): void {
  if (Array.isArray(list)) for (const item of list) check(item, known, where);
}

function checkClaimParts(options: unknown, where: string): void {
  if (isObject(options)) check((options as { checks?: unknown }).checks, CHECKS, `${where} "checks"`);
}

/** signJWT options. */
export function checkSignOptions(options: unknown): void {
  check(options, SIGN, 'signJWT');
}

/** createSigner / createAsyncSigner options (SignOptions and `key`); `where` names the caller in the error. */
export function checkSignerOptions(
  options: unknown,
  where: 'createSigner' | 'createAsyncSigner' = 'createSigner',
): void {
  check(options, SIGNER, where);
}

/** encodeUnsecuredJWT options. */
export function checkUnsecuredSignOptions(options: unknown): void {
  check(options, UNSECURED_SIGN, 'encodeUnsecuredJWT');
}

/** verifyJWT options, with their `checks`. */
export function checkVerifyOptions(options: unknown): void {
  check(options, VERIFY_OPTIONS, 'verifyJWT');
  checkClaimParts(options, 'verifyJWT');
}

/** createVerifier options, with their `checks` and `cache`. */
export function checkVerifierOptions(options: unknown): void {
  check(options, VERIFIER, 'createVerifier');
  checkClaimParts(options, 'createVerifier');
  if (isObject(options)) check((options as { cache?: unknown }).cache, CACHE, 'createVerifier "cache"');
}

/** decodeJWT options, with the claim options of `claims`. */
export function checkDecodeJWTOptions(options: unknown): void {
  check(options, DECODE_JWT, 'decodeJWT');
  if (isObject(options)) {
    const claims = (options as { claims?: unknown }).claims;
    check(claims, CLAIM_OPTIONS, 'decodeJWT "claims"');
    checkClaimParts(claims, 'decodeJWT "claims"');
  }
}

/** decodeProtectedHeader options. */
export function checkDecodeHeaderOptions(options: unknown): void {
  check(options, DECODE_HEADER, 'decodeProtectedHeader');
}

/** decodeJWS options. */
export function checkDecodeJWSOptions(options: unknown): void {
  check(options, DECODE_JWS, 'decodeJWS');
}

/** decodeUnsecuredJWT options. */
export function checkUnsecuredDecodeOptions(options: unknown): void {
  check(options, UNSECURED_DECODE, 'decodeUnsecuredJWT');
  checkClaimParts(options, 'decodeUnsecuredJWT');
}

/** signJWS options, with each of `signers`. */
export function checkSignJWSOptions(options: unknown): void {
  check(options, SIGN_JWS, 'signJWS');
  if (isObject(options)) checkEach((options as { signers?: unknown }).signers, JWS_SIGNER, 'signJWS "signers"');
}

/** verifyJWS options. */
export function checkVerifyJWSOptions(options: unknown): void {
  check(options, VERIFY_JWS, 'verifyJWS');
}

/** encryptJWE options, with each of `recipients`. */
export function checkEncryptJWEOptions(options: unknown): void {
  check(options, ENCRYPT, 'encryptJWE');
  if (isObject(options))
    checkEach((options as { recipients?: unknown }).recipients, RECIPIENT, 'encryptJWE "recipients"');
}

/** decryptJWE options. */
export function checkDecryptJWEOptions(options: unknown): void {
  check(options, DECRYPT, 'decryptJWE');
}

/** encryptJWT options, with `sign`. */
export function checkEncryptJWTOptions(options: unknown): void {
  check(options, ENCRYPT_JWT, 'encryptJWT');
  if (isObject(options)) check((options as { sign?: unknown }).sign, NESTED_SIGN, 'encryptJWT "sign"');
}

/** decryptJWT options, with `checks` and `nested`. */
export function checkDecryptJWTOptions(options: unknown): void {
  check(options, DECRYPT_JWT, 'decryptJWT');
  checkClaimParts(options, 'decryptJWT');
  if (isObject(options)) check((options as { nested?: unknown }).nested, NESTED_VERIFY, 'decryptJWT "nested"');
}

/** importKey options. */
export function checkImportKeyOptions(options: unknown): void {
  check(options, IMPORT_KEY, 'importKey');
}

/** exportJWK, Key#toJWK and Key#toPEM options; `where` names the call. */
export function checkExportOptions(options: unknown, where: string): void {
  check(options, EXPORT_JWK, where);
}

/** generateKeyPair options. */
export function checkGenerateKeyPairOptions(options: unknown): void {
  check(options, GENERATE_KEY_PAIR, 'generateKeyPair');
}

/** generateSecret options. */
export function checkGenerateSecretOptions(options: unknown): void {
  check(options, GENERATE_SECRET, 'generateSecret');
}
