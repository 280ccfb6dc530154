// Which kind of key each JOSE algorithm takes (RFC 7518 §3 and §4, RFC 8037, RFC 8812, RFC 9864).
// One table answers three questions: does a JWK's `alg` agree with its `kty`/`crv` (RFC 7517 §4.4),
// what does generateKeyPair/generateSecret create for an algorithm, and is an algorithm for signing
// or for encryption (the `use` a generated key gets).

export type KeyKind = 'RSA' | 'EC' | 'OKP' | 'oct';

export interface KeyTypeRule {
  readonly kty: KeyKind;
  /** The curves (JWK `crv`) the algorithm works with; the first is the default for generation. */
  readonly crv?: readonly string[];
  readonly use: 'sig' | 'enc';
  /** oct keys: the exact secret length in bytes (key wrapping, content encryption) or the minimum (HMAC). */
  readonly bytes?: number;
  readonly exactBytes?: boolean;
}

const table = new Map<string, KeyTypeRule>();
const sig = (kty: KeyKind, crv?: string[], bytes?: number): KeyTypeRule => ({ kty, crv, use: 'sig', bytes });
const enc = (kty: KeyKind, crv?: string[], bytes?: number): KeyTypeRule => ({
  kty,
  crv,
  use: 'enc',
  bytes,
  exactBytes: bytes !== undefined,
});

for (const bits of [256, 384, 512]) {
  table.set(`HS${bits}`, sig('oct', undefined, bits / 8));
  table.set(`RS${bits}`, sig('RSA'));
  table.set(`PS${bits}`, sig('RSA'));
}
table.set('ES256', sig('EC', ['P-256']));
table.set('ES384', sig('EC', ['P-384']));
table.set('ES512', sig('EC', ['P-521']));
table.set('ES256K', sig('EC', ['secp256k1']));
table.set('EdDSA', sig('OKP', ['Ed25519', 'Ed448']));
table.set('Ed25519', sig('OKP', ['Ed25519']));
table.set('Ed448', sig('OKP', ['Ed448']));

for (const alg of ['RSA1_5', 'RSA-OAEP', 'RSA-OAEP-256', 'RSA-OAEP-384', 'RSA-OAEP-512']) table.set(alg, enc('RSA'));
for (const alg of ['ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A192KW', 'ECDH-ES+A256KW']) {
  table.set(alg, enc('EC', ['P-256', 'P-384', 'P-521', 'X25519', 'X448']));
}
for (const bits of [128, 192, 256]) {
  table.set(`A${bits}KW`, enc('oct', undefined, bits / 8));
  table.set(`A${bits}GCMKW`, enc('oct', undefined, bits / 8));
  table.set(`A${bits}GCM`, enc('oct', undefined, bits / 8));
}
table.set('A128CBC-HS256', enc('oct', undefined, 32));
table.set('A192CBC-HS384', enc('oct', undefined, 48));
table.set('A256CBC-HS512', enc('oct', undefined, 64));
table.set('dir', { kty: 'oct', use: 'enc' });
for (const alg of ['PBES2-HS256+A128KW', 'PBES2-HS384+A192KW', 'PBES2-HS512+A256KW'])
  table.set(alg, { kty: 'oct', use: 'enc' });

/** The key rule for a JWS or JWE algorithm name, or undefined for an unknown name. */
export function keyTypeRule(alg: string): KeyTypeRule | undefined {
  return table.get(alg);
}

/** The curves of OKP keys used for key agreement rather than signatures (RFC 8037 §3.2). */
const XDH_CURVES = new Set(['X25519', 'X448']);

/**
 * Why a key of `kty`/`crv` cannot be used with `alg`, or undefined when it can. ECDH-ES takes EC and
 * OKP (X25519/X448) keys, so the curve decides there, not the kty alone.
 */
export function keyTypeMismatch(alg: string, kty: string, crv: string | undefined): string | undefined {
  const rule = table.get(alg);
  if (!rule) return `"${alg.slice(0, 40)}" is not a JOSE algorithm Tessera knows`;
  const okpAgreement =
    rule.kty === 'EC' && rule.use === 'enc' && kty === 'OKP' && crv !== undefined && XDH_CURVES.has(crv);
  if (kty !== rule.kty && !okpAgreement) return `"${alg}" needs a ${rule.kty} key, not ${kty}`;
  if (rule.crv && (crv === undefined || !rule.crv.includes(crv)))
    return `"${alg}" needs a key on ${rule.crv.join(' or ')}, not ${crv ?? 'no curve'}`;
  return undefined;
}

// RFC 7518 §6.2.1.2/§6.2.1.3/§6.2.2.1 and RFC 8037 §2: EC "x", "y", "d" and OKP "x", "d" are
// fixed-length octet strings (the full coordinate or key size, leading zeros kept). node accepts
// shorter or longer encodings and pads or reads them as numbers, so one key would have several JWKs
// (and thumbprints); a wrong length is refused.
const MEMBER_BYTES: Readonly<Record<string, { readonly kty: 'EC' | 'OKP'; readonly bytes: number }>> = {
  'P-256': { kty: 'EC', bytes: 32 },
  'P-384': { kty: 'EC', bytes: 48 },
  'P-521': { kty: 'EC', bytes: 66 },
  secp256k1: { kty: 'EC', bytes: 32 },
  Ed25519: { kty: 'OKP', bytes: 32 },
  Ed448: { kty: 'OKP', bytes: 57 },
  X25519: { kty: 'OKP', bytes: 32 },
  X448: { kty: 'OKP', bytes: 56 },
};

/**
 * Why an EC or OKP JWK's key members have the wrong length for its curve, or undefined when they are
 * right (or the curve is not one Tessera knows: the import refuses it anyway). Members must already be
 * base64url strings when present.
 */
export function keyMemberLengthProblem(jwk: {
  kty?: unknown;
  crv?: unknown;
  x?: unknown;
  y?: unknown;
  d?: unknown;
}): string | undefined {
  if (typeof jwk.crv !== 'string' || !Object.hasOwn(MEMBER_BYTES, jwk.crv)) return undefined;
  const rule = MEMBER_BYTES[jwk.crv]!;
  if (jwk.kty !== rule.kty) return undefined;
  for (const name of rule.kty === 'EC' ? (['x', 'y', 'd'] as const) : (['x', 'd'] as const)) {
    const value = jwk[name];
    if (typeof value !== 'string') continue;
    // base64url without padding: 4 characters per 3 bytes, then 2 or 3 characters for 1 or 2 bytes.
    const bytes = Math.floor(value.length / 4) * 3 + (value.length % 4 === 0 ? 0 : (value.length % 4) - 1);
    if (bytes !== rule.bytes)
      return `${jwk.kty} JWK "${name}" must be ${rule.bytes} bytes for ${jwk.crv} (got ${bytes})`;
  }
  return undefined;
}
