/**
 * The deliberate internal seam: the helpers of the JOSE core that the layers above it (cli, server, stores,
 * middleware) use and that are not public API. Upper layers reach `lib/` only through this module (the
 * layer check enforces it), so what they depend on is listed in one place and the build can keep the core in
 * one bundle. Nothing here is exported from a public entry point; it may change in any release.
 * @internal
 * @module
 */
export { closest } from './lib/suggest.js';
export { JWS_ALGORITHMS } from './lib/algorithms.js';
export { checkOptionNames, optionNames, type OptionNames } from './lib/options.js';
export { parseJSONObject } from './lib/json.js';
export { toSeconds } from './lib/duration.js';
export { prepareKey } from './lib/keys.js';
export { PRIVATE_MEMBERS } from './lib/jwk-export.js';
export { keyTypeRule } from './lib/key-types.js';
export { CONTENT_ALGORITHMS, contentAlgorithm } from './lib/jwe-content.js';
export { KEY_MANAGEMENT_ALGORITHMS, keyManagementAlgorithm } from './lib/jwe-keys.js';
export type { ThumbprintDigest } from './lib/thumbprint.js';
export { DEFAULT_MAX_JSON_DEPTH, type ParseJSONResult, parseJSON } from './lib/json.js';
export { encodeBase64url, decodeBase64url } from './lib/base64url.js';
export { normalizeHTTPOptions, parseEndpointURL, describeURL, type NormalizedHTTP } from './lib/fetch-json.js';
