// The five-minute tour, runnable: `npm start`. Signs and verifies tokens with the main algorithm
// families, rotates keys through a JWK Set, then shows the typed errors a verifier gets for the usual attacks and mistakes.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import {
  createVerifier,
  decodeJWT,
  decodeProtectedHeader,
  encodeUnsecuredJWT,
  generateKeyPair,
  JWKSet,
  JWTError,
  signJWT,
  verifyJWT,
} from 'tessera-jwt';

const line = (label, value) => console.log(`${label.padEnd(44)} ${value}`);

console.log('Tessera tour — sign, verify, and handle errors\n');

// 1. HS256 with a shared secret (>= 32 random bytes; shorter secrets are refused).
const secret = randomBytes(32);
const hsToken = signJWT({ sub: 'user-42', scope: 'read:orders' }, secret, {
  expiresIn: '15m',
  issuer: 'https://auth.example.com',
  audience: 'https://api.example.com',
});
const claims = verifyJWT(hsToken, secret, {
  algorithms: ['HS256'],
  issuer: 'https://auth.example.com',
  audience: 'https://api.example.com',
});
line('HS256 token', `${hsToken.slice(0, 40)}…`);
line('verified claims', JSON.stringify(claims));

// 2. Asymmetric: ES256 and EdDSA key pairs, PEM on the verifying side.
for (const [alg, pair] of [
  ['ES256', generateKeyPairSync('ec', { namedCurve: 'P-256' })],
  ['EdDSA', generateKeyPairSync('ed25519')],
  ['RS256', generateKeyPairSync('rsa', { modulusLength: 2048 })],
]) {
  const token = signJWT({ sub: 'svc' }, pair.privateKey, { kid: `${alg}-1`, expiresIn: '5m' });
  const pem = pair.publicKey.export({ type: 'spki', format: 'pem' });
  const { header } = verifyJWT(token, pem, { algorithms: [alg], complete: true });
  line(`${alg} sign → verify (PEM public key)`, `ok, header ${JSON.stringify(header)}`);
}

// 3. A reusable, cached verifier (what a resource server keeps around).
const verify = createVerifier({ key: secret, algorithms: ['HS256'], audience: 'https://api.example.com', cache: true });
verify(hsToken);
line('createVerifier({ cache: true }) second call', `cached: ${Object.isFrozen(verify(hsToken))}`);

// 4. Key rotation with a JWK Set: B is published beside A, then A is retired; the token's kid picks the key.
const keyA = generateKeyPair('ES256', { kid: '2026-11' });
const keyB = generateKeyPair('ES256', { kid: '2026-12' });
const tokenA = signJWT({ sub: 'user-42' }, keyA.privateKey, { expiresIn: '5m' });
const tokenB = signJWT({ sub: 'user-42' }, keyB.privateKey, { expiresIn: '5m' });
const both = JWKSet.from({ keys: [keyA.publicKey.toJWK(), keyB.publicKey.toJWK()] }); // what a jwks_uri serves
line('JWKS (public members only)', `${JSON.stringify(both).slice(0, 60)}…`);
for (const token of [tokenA, tokenB])
  line(
    `kid ${decodeProtectedHeader(token).kid} against A+B`,
    `ok, sub ${verifyJWT(token, both, { algorithms: ['ES256'] }).sub}`,
  );
const retired = new JWKSet([keyB.publicKey]);
try {
  verifyJWT(tokenA, retired, { algorithms: ['ES256'] });
  line('kid 2026-11 after A is retired', 'ACCEPTED (this should not happen)');
  process.exitCode = 1;
} catch (err) {
  line('kid 2026-11 after A is retired', `${err.name} ${err.code}`);
}

// 5. Errors: each failure is a typed JWTError with a stable code; messages never echo the token.
const now = Math.floor(Date.now() / 1000);
const tries = {
  'expired token': () => verifyJWT(signJWT({ exp: now - 60 }, secret), secret, { algorithms: ['HS256'] }),
  'wrong audience': () => verifyJWT(hsToken, secret, { algorithms: ['HS256'], audience: 'https://other.example.com' }),
  'tampered payload': () => {
    const [h, , s] = hsToken.split('.');
    const forged = Buffer.from(JSON.stringify({ ...decodeJWT(hsToken).payload, scope: 'admin' })).toString('base64url');
    return verifyJWT(`${h}.${forged}.${s}`, secret, { algorithms: ['HS256'], audience: 'https://api.example.com' });
  },
  'alg: none': () => verifyJWT(encodeUnsecuredJWT({ sub: 'admin' }), secret, { algorithms: ['HS256'] }),
  'RS256 public key used as an HS256 secret': () => {
    const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' });
    return verifyJWT(hsToken, pem, { algorithms: ['HS256', 'RS256'] });
  },
  'a 12-byte HMAC secret': () => signJWT({}, 'too-short-12', { algorithm: 'HS256' }),
};
for (const [what, attempt] of Object.entries(tries)) {
  try {
    attempt();
    line(what, 'ACCEPTED (this should not happen)');
    process.exitCode = 1;
  } catch (err) {
    if (!(err instanceof JWTError)) throw err;
    line(what, `${err.name} ${err.code}: ${err.message.slice(0, 70)}`);
  }
}
