// What the decoded members mean, in words: an explanation per registered header parameter and claim
// (RFC 7515/7516/7519/9068, OpenID Connect), times as humans say them ("expires in 14 min"), and the
// warnings a reviewer would raise (RFC 8725).

export const HEADER_DOCS = {
  alg: 'Algorithm that signed (JWS) or wraps the key (JWE). The verifier must pin it, never trust it.',
  typ: 'Media type of the whole token, e.g. JWT, or at+jwt for RFC 9068 access tokens (explicit typing, RFC 8725 §3.11).',
  kid: "Key ID: which key of the issuer's JWK Set to verify with.",
  cty: 'Content type of the payload; JWT means a nested token.',
  enc: 'JWE content encryption algorithm.',
  zip: 'JWE compression before encryption (DEF).',
  jku: 'URL of a JWK Set. Never fetch keys from a URL the token names.',
  jwk: 'A public key embedded in the token. Never verify with a key the token brings.',
  x5u: 'URL of an X.509 certificate chain. Never trust it blindly.',
  x5c: 'An X.509 certificate chain embedded in the token.',
  x5t: 'SHA-1 thumbprint of the signing certificate.',
  'x5t#S256': 'SHA-256 thumbprint of the signing certificate.',
  crit: 'Extensions the verifier must understand, or reject the token.',
  b64: 'RFC 7797: false means the payload is not base64url-encoded.',
  epk: 'Ephemeral public key of ECDH-ES key agreement.',
  apu: 'ECDH-ES agreement PartyUInfo.',
  apv: 'ECDH-ES agreement PartyVInfo.',
  iv: 'Initialization vector of AES-GCM key wrapping.',
  tag: 'Authentication tag of AES-GCM key wrapping.',
  p2s: 'PBES2 salt input.',
  p2c: 'PBES2 iteration count (a huge one is a denial-of-service attempt).',
};

export const CLAIM_DOCS = {
  iss: 'Issuer: who created and signed the token.',
  sub: 'Subject: whom the token is about (a user or service id).',
  aud: 'Audience: who the token is meant for; other recipients must reject it.',
  exp: 'Expiration time: reject the token after this instant.',
  nbf: 'Not before: reject the token before this instant.',
  iat: 'Issued at: when the token was created.',
  jti: 'JWT ID: unique id, for revocation and replay detection.',
  scope: 'OAuth scopes granted, space-separated (RFC 8693 §4.2).',
  client_id: 'The OAuth client the token was issued to (RFC 9068).',
  sid: 'Session / grant id: every token of one login shares it (Tessera: the refresh-token family).',
  azp: 'Authorized party: the client the ID token was issued to.',
  nonce: "Value that binds an ID token to the client's authentication request.",
  auth_time: 'When the user authenticated.',
  acr: 'Authentication context class reference.',
  amr: 'Authentication methods used (pwd, otp, …).',
  name: 'Full name.',
  email: 'Email address.',
  email_verified: 'Whether the email address was verified.',
  preferred_username: 'Username the user prefers.',
  cnf: 'Confirmation: the key the presenter must prove possession of (DPoP, mTLS).',
  act: 'Actor: who acts on behalf of the subject (token exchange).',
  roles: 'Roles granted (application-defined).',
  groups: 'Groups of the subject (application-defined).',
};

const TIME_CLAIMS = new Set(['exp', 'nbf', 'iat', 'auth_time']);

function unitsOf(seconds) {
  const s = Math.abs(seconds);
  if (s < 60) return `${Math.round(s)} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  if (s < 86400 * 2) return `${Math.round(s / 3600)} h`;
  if (s < 86400 * 365) return `${Math.round(s / 86400)} days`;
  return `${(s / (86400 * 365.25)).toFixed(1)} years`;
}

export function duration(seconds) {
  return unitsOf(seconds);
}

/** "expires in 14 min", "expired 3 h ago", "issued 2 min ago", … */
export function humanTime(claim, value, now) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'not a NumericDate (seconds since 1970)';
  const delta = value - now;
  const rel = Math.abs(delta) < 1 ? 'just now' : delta > 0 ? `in ${unitsOf(delta)}` : `${unitsOf(delta)} ago`;
  let iso;
  try {
    iso = new Date(value * 1000).toISOString().replace('.000Z', 'Z');
  } catch {
    return 'out of range';
  }
  switch (claim) {
    case 'exp':
      return `${delta > 0 ? `expires ${rel}` : `expired ${rel}`} · ${iso}`;
    case 'nbf':
      return `${delta > 0 ? `valid ${rel}` : `valid since ${rel}`} · ${iso}`;
    case 'iat':
      return `${delta > 0 ? `issued ${rel} (in the future!)` : `issued ${rel}`} · ${iso}`;
    default:
      return `${rel} · ${iso}`;
  }
}

export function isTimeClaim(name) {
  return TIME_CLAIMS.has(name);
}

const DAY = 86400;

/** [{ level: 'danger' | 'warn' | 'info', text }] for a decoded token. */
export function warningsFor(decoded, now) {
  const out = [];
  const { header } = decoded;
  const alg = typeof header.alg === 'string' ? header.alg : '';
  if (alg.toLowerCase() === 'none')
    out.push({ level: 'danger', text: 'alg is "none": the token is unsigned. Never accept it (RFC 8725 §3.1).' });
  if (!alg) out.push({ level: 'danger', text: 'The header has no "alg".' });
  for (const member of ['jku', 'jwk', 'x5u', 'x5c']) {
    if (member in header)
      out.push({
        level: 'warn',
        text: `The header carries "${member}": never verify with a key or URL the token brings itself.`,
      });
  }
  if (Array.isArray(header.crit))
    out.push({ level: 'info', text: `crit: the verifier must understand ${header.crit.join(', ')}.` });
  if (decoded.kind === 'JWE') {
    out.push({
      level: 'info',
      text: `Encrypted (${header.alg} + ${header.enc}): only the header is readable; paste the private key (or the secret) and press Verify to decrypt it in this page.`,
    });
    if (typeof header.p2c === 'number' && header.p2c > 1_000_000)
      out.push({
        level: 'danger',
        text: `p2c is ${header.p2c}: a PBES2 count this large is a denial-of-service attempt.`,
      });
    return out;
  }
  if (/^HS/.test(alg))
    out.push({ level: 'info', text: 'Symmetric (HMAC): whoever can verify it can also mint tokens.' });
  const p = decoded.payload;
  if (!p) {
    out.push({
      level: 'info',
      text: 'The payload is not a JSON object: this is a JWS over arbitrary bytes, not a JWT.',
    });
    return out;
  }
  if (!('exp' in p)) out.push({ level: 'warn', text: 'No "exp": this token never expires.' });
  else if (typeof p.exp === 'number' && p.exp <= now)
    out.push({ level: 'danger', text: `Expired ${unitsOf(now - p.exp)} ago.` });
  if (typeof p.nbf === 'number' && p.nbf > now)
    out.push({ level: 'warn', text: `Not valid yet: nbf is in ${unitsOf(p.nbf - now)}.` });
  if (typeof p.iat === 'number' && p.iat > now + 60)
    out.push({ level: 'warn', text: "iat is in the future: the issuer's clock is off, or the token is forged." });
  if (typeof p.exp === 'number') {
    const start = typeof p.iat === 'number' ? p.iat : typeof p.nbf === 'number' ? p.nbf : undefined;
    if (start !== undefined) {
      const life = p.exp - start;
      const accessToken = typeof header.typ === 'string' && /at\+jwt$/i.test(header.typ);
      if (life > 30 * DAY)
        out.push({ level: 'warn', text: `Long lifetime: ${unitsOf(life)}. Prefer short-lived tokens plus refresh.` });
      else if (accessToken && life > DAY)
        out.push({ level: 'warn', text: `Long lifetime for an access token: ${unitsOf(life)}.` });
      else if (life <= 0) out.push({ level: 'warn', text: 'exp is not after iat/nbf: the token was never valid.' });
    }
  }
  if (!('aud' in p)) out.push({ level: 'info', text: 'No "aud": any service that trusts the issuer would accept it.' });
  if (!('iss' in p)) out.push({ level: 'info', text: 'No "iss": the issuer is not named.' });
  return out;
}
