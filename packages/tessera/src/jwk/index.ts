/**
 * `tessera/jwk`: importing, exporting, generating and fingerprinting keys (RFC 7517, 7638, 9278).
 * The same objects as the `tessera` entry point.
 * @module
 */
export { Key, importKey, type ImportKeyOptions, type ExportJWKOptions } from './key.js';
export { exportJWK } from './export.js';
export { generateKeyPair, generateSecret, type GenerateKeyPairOptions } from './generate.js';
export { calculateJWKThumbprint, calculateJWKThumbprintURI, type ThumbprintDigest } from './thumbprint.js';
