// Is a public EC point on its curve (y² = x³ − 3x + b mod p, 0 ≤ x, y < p)? Not every runtime's
// crypto.subtle checks when it imports a key (Deno 2.9 imports an off-curve JWK point without complaint),
// and the Node entry refuses such keys (invalid-curve attacks), so the web entry checks itself before
// import. A validation of the input, not a cryptographic primitive: the key is then used by crypto.subtle.

const CURVES: Record<string, { p: bigint; b: bigint; size: number }> = {
  'P-256': {
    p: 2n ** 256n - 2n ** 224n + 2n ** 192n + 2n ** 96n - 1n,
    b: 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn,
    size: 32,
  },
  'P-384': {
    p: 2n ** 384n - 2n ** 128n - 2n ** 96n + 2n ** 32n - 1n,
    b: 0xb3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aefn,
    size: 48,
  },
  'P-521': {
    p: 2n ** 521n - 1n,
    b: 0x0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00n,
    size: 66,
  },
};

function toBigInt(bytes: Uint8Array): bigint {
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return BigInt(`0x${hex || '0'}`);
}

/**
 * Internal: true when (x, y) — big-endian coordinates of the curve's size — is a point on `crv`
 * (P-256/384/521); true for other curves (left to crypto.subtle, which refuses what it lacks).
 */
export function isOnCurve(crv: string, x: Uint8Array, y: Uint8Array): boolean {
  const curve = CURVES[crv];
  if (curve === undefined) return true;
  if (x.length !== curve.size || y.length !== curve.size) return false;
  const { p, b } = curve;
  const X = toBigInt(x);
  const Y = toBigInt(y);
  if (X >= p || Y >= p) return false;
  return (Y * Y - (X * X * X - 3n * X + b)) % p === 0n;
}

/** Internal: the uncompressed SEC1 point `04 || x || y` as coordinates, or undefined for another form. */
export function uncompressedPoint(point: Uint8Array): { x: Uint8Array; y: Uint8Array } | undefined {
  if (point[0] !== 0x04 || point.length % 2 !== 1) return undefined;
  const size = (point.length - 1) / 2;
  return { x: point.subarray(1, 1 + size), y: point.subarray(1 + size) };
}
