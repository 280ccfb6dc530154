// The protected header of a JWS Tessera signs: alg first, then typ and kid, then the caller's members. Pure (no
// crypto), so the web entry builds its headers with the same code.
import type { JWSHeader } from '../types.js';
import { encodeBase64url } from './base64url.js';

/** Builds and encodes a protected header: alg first, then typ and kid (default: the key's), then the caller's members. */
export function encodeProtectedHeader(
  alg: string,
  options: { header?: unknown; kid?: unknown; typ?: unknown },
  defaultTyp: string | undefined,
  keyKid?: string,
): { header: JWSHeader; segment: string } {
  const extra = options.header ?? {};
  if (extra === null || typeof extra !== 'object' || Array.isArray(extra))
    throw new TypeError('"header" option must be an object');
  const given = extra as Record<string, unknown>;
  if (given.alg !== undefined && given.alg !== alg)
    throw new TypeError('"header.alg" conflicts with the signing algorithm; use the "algorithm" option');
  const header: JWSHeader = { alg };
  const typ = options.typ === undefined ? (given.typ ?? defaultTyp) : options.typ;
  if (typ !== null && typ !== undefined) {
    if (typeof typ !== 'string') throw new TypeError('"typ" option must be a string or null');
    header.typ = typ;
  }
  // A Key or JWK that carries a kid names itself, so rotation needs no extra option.
  const kid = options.kid ?? given.kid ?? keyKid;
  if (kid !== undefined) {
    if (typeof kid !== 'string') throw new TypeError('"kid" option must be a string');
    header.kid = kid;
  }
  for (const name of Object.keys(given)) {
    if (name !== 'alg' && name !== 'typ' && name !== 'kid' && given[name] !== undefined) {
      Object.defineProperty(header, name, { value: given[name], enumerable: true, writable: true, configurable: true });
    }
  }
  if (options.header !== undefined) return { header, segment: encodeBase64url(JSON.stringify(header)) };
  return { header, segment: plainSegment(header) };
}

// A header of only alg, typ and kid is the same few strings call after call (one signing key, one typ): its
// encoded segment is kept, at most SEGMENTS of them (kids come from callers, so the map must stay bounded).
const SEGMENTS = 64;
let cached = 0;
const segments = new Map<string, Map<string | undefined, Map<string | undefined, string>>>(); // alg → typ → kid
function plainSegment(header: JWSHeader): string {
  let byTyp = segments.get(header.alg);
  if (byTyp === undefined) {
    byTyp = new Map();
    segments.set(header.alg, byTyp);
  }
  let byKid = byTyp.get(header.typ);
  if (byKid === undefined) {
    byKid = new Map();
    byTyp.set(header.typ, byKid);
  }
  let segment = byKid.get(header.kid);
  if (segment === undefined) {
    segment = encodeBase64url(JSON.stringify(header));
    if (++cached > SEGMENTS) {
      segments.clear();
      cached = 1;
      segments.set(header.alg, new Map([[header.typ, new Map([[header.kid, segment]])]]));
    } else byKid.set(header.kid, segment);
  }
  return segment;
}
