// Cases for decodeJWT / decodeProtectedHeader on every runtime. The expected header and payload of a good
// token are its segments decoded here with Buffer and JSON.parse (not with Tessera); a refused token must be
// refused with the error code the Node entry gives it, so the two entries cannot drift apart.
import { encodeUnsecuredJWT, decodeJWT as nodeDecodeJWT } from 'tessera-jwt';

const b64u = (text) => Buffer.from(text, 'utf8').toString('base64url');
const segmentJSON = (segment) => JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));

function nodeErrorCode(token, options) {
  try {
    nodeDecodeJWT(token, options);
  } catch (err) {
    return err.code;
  }
  throw new Error(`the Node entry accepts a token the decode cases expect to be refused: ${token.slice(0, 40)}`);
}

/** Decode cases from good compact JWS tokens (vectors and Node-signed tokens) plus malformed ones. */
export function buildDecodeCases(goodTokens) {
  const cases = [];
  for (const { id, token } of goodTokens) {
    const [h, p, s] = token.split('.');
    let claims;
    try {
      claims = segmentJSON(p);
      if (claims === null || typeof claims !== 'object' || Array.isArray(claims))
        throw new TypeError('not a claims set');
    } catch {
      // A JWS whose payload is not a JSON object (the cookbook's text) is not a JWT: decodeJWT refuses it.
      cases.push({
        id: `decodeJWT refuses a non-JSON payload: ${id}`,
        op: 'decode',
        token,
        error: nodeErrorCode(token, {}),
      });
      continue;
    }
    cases.push({
      id: `decodeJWT: ${id}`,
      op: 'decode',
      token,
      header: segmentJSON(h),
      payload: claims,
      signature: s,
    });
  }
  const header = b64u('{"alg":"HS256","typ":"JWT"}');
  const payload = b64u('{"sub":"user-42","exp":1}');
  const malformed = [
    ['duplicate "alg" member', `${b64u('{"alg":"HS256","alg":"none"}')}.${payload}.AA`],
    ['padding in the payload', `${header}.${payload}=.AA`],
    ['non-zero stray bits in the signature', `${header}.${payload}.AB`],
    ['payload is a JSON array', `${header}.${b64u('[1]')}.AA`],
    ['payload is not UTF-8', `${header}.${Buffer.from([0x7b, 0xff, 0x7d]).toString('base64url')}.AA`],
    ['four segments', `${header}.${payload}.AA.AA`],
    [
      'header nests deeper than maxJSONDepth',
      `${b64u(`{"alg":"HS256","x":${'['.repeat(20)}${']'.repeat(20)}}`)}.${payload}.AA`,
      { maxJSONDepth: 8 },
    ],
    ['an unknown crit extension', `${b64u('{"alg":"HS256","crit":["exp-ext"],"exp-ext":1}')}.${payload}.AA`],
  ];
  for (const [what, token, options = {}] of malformed)
    cases.push({
      id: `decodeJWT refuses: ${what}`,
      op: 'decode',
      token,
      options,
      error: nodeErrorCode(token, options),
    });
  const expired = `${header}.${payload}.AA`;
  cases.push({
    id: 'decodeJWT with claims: an expired unverified payload is refused like verifyJWT would',
    op: 'decode',
    token: expired,
    options: { claims: {} },
    error: nodeErrorCode(expired, { claims: {} }),
  });
  // Unsecured JWTs (alg "none"): one the Node entry made decodes to its claims; one made on the runtime decodes
  // there; a signed token is never an unsecured one.
  const claims = { sub: 'user-42', iss: 'https://unsecured.example' };
  cases.push({
    id: 'decodeUnsecuredJWT: a Node-made unsecured JWT',
    op: 'unsecured',
    token: encodeUnsecuredJWT(claims, { issuedAt: false }),
    claims,
  });
  cases.push({ id: 'encodeUnsecuredJWT + decodeUnsecuredJWT on the runtime', op: 'unsecured', claims });
  cases.push({
    id: 'decodeUnsecuredJWT refuses a signed token',
    op: 'unsecured',
    token: `${header}.${b64u('{"sub":"user-42"}')}.AA`,
    error: 'ERR_JWT_ALG_NOT_ALLOWED',
  });
  cases.push({
    id: 'decodeProtectedHeader: a compact JWE header',
    op: 'decode-header',
    token: `${b64u('{"alg":"dir","enc":"A256GCM","kid":"k1"}')}..AAAAAAAAAAAAAAAA.AA.AAAAAAAAAAAAAAAAAAAAAA`,
    header: { alg: 'dir', enc: 'A256GCM', kid: 'k1' },
  });
  return cases;
}
