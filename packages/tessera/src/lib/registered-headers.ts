// The header parameter names registered by RFC 7515 §4.1 and RFC 7516 §4.1 and RFC 7518 §4.6–4.8 (JWE key
// management). None of them may be listed in "crit" (RFC 7515 §4.1.11): JWS and JWE headers share this list.
export const REGISTERED_HEADER_NAMES: ReadonlySet<string> = new Set([
  'alg',
  'jku',
  'jwk',
  'kid',
  'x5u',
  'x5c',
  'x5t',
  'x5t#S256',
  'typ',
  'cty',
  'crit',
  'enc',
  'zip',
  'epk',
  'apu',
  'apv',
  'iv',
  'tag',
  'p2s',
  'p2c',
]);
