import * as t from 'tessera';
import crypto from 'node:crypto';
const secret = crypto.randomBytes(32);
const now = Math.floor(Date.now()/1000);
const payload = { sub: 'user_4f3c2a1b9e8d7c6b', iss: 'https://auth.example.com/', aud: 'https://api.example.com', iat: now, exp: now + 3600, nbf: now - 5, jti: '6f1c2e9a-4b7d-4c2e-9f3a-1d2b3c4d5e6f', scope: 'openid profile email read:orders write:orders', roles: ['admin','editor','viewer'], name: 'Jane Q. Example', email_verified: true };
const sign = t.createSigner({ key: secret, algorithm: 'HS256' });
const tok = sign(payload);
const verify = t.createVerifier({ key: secret, algorithms: ['HS256'], audience: 'https://api.example.com', issuer: 'https://auth.example.com/' });
const B64U = /^[A-Za-z0-9_-]+$/;
function floorFull(token) {
  const d1 = token.indexOf('.'); const d2 = token.indexOf('.', d1 + 1);
  if (d1 <= 0 || d2 < 0 || token.indexOf('.', d2 + 1) !== -1) throw new Error('malformed');
  const hSeg = token.slice(0, d1), pSeg = token.slice(d1 + 1, d2), sSeg = token.slice(d2 + 1);
  if (!B64U.test(hSeg) || !B64U.test(pSeg) || !B64U.test(sSeg)) throw new Error('malformed');
  const header = JSON.parse(Buffer.from(hSeg, 'base64url').toString());
  if (header === null || typeof header !== 'object' || header.alg !== 'HS256') throw new Error('alg');
  if (header.crit !== undefined) throw new Error('crit');
  const mac = crypto.createHmac('sha256', secret).update(token.slice(0, d2)).digest();
  const sig = Buffer.from(sSeg, 'base64url');
  if (!(sig.length === mac.length && crypto.timingSafeEqual(mac, sig))) throw new Error('sig');
  const p = JSON.parse(Buffer.from(pSeg, 'base64url').toString());
  if (p === null || typeof p !== 'object' || Array.isArray(p)) throw new Error('obj');
  const n = Math.floor(Date.now() / 1000);
  if (p.exp !== undefined && (typeof p.exp !== 'number' || p.exp <= n)) throw new Error('exp');
  if (p.nbf !== undefined && (typeof p.nbf !== 'number' || p.nbf > n)) throw new Error('nbf');
  if (p.iat !== undefined && (typeof p.iat !== 'number' || p.iat > n)) throw new Error('iat');
  if (p.aud !== 'https://api.example.com') throw new Error('aud');
  if (p.iss !== 'https://auth.example.com/') throw new Error('iss');
  return p;
}
const prefix = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url') + '.';
function floorSign(p) { const input = prefix + Buffer.from(JSON.stringify(p)).toString('base64url'); return input + '.' + crypto.createHmac('sha256', secret).update(input).digest('base64url'); }
function bench(name, fn, arg) { for (let i = 0; i < 20000; i++) fn(arg); const res = []; for (let r = 0; r < 7; r++) { const t0 = process.hrtime.bigint(); for (let i = 0; i < 50000; i++) fn(arg); res.push(Number(process.hrtime.bigint() - t0) / 50000); } res.sort((a,b)=>a-b); console.log(name.padEnd(14), res[3].toFixed(0), 'ns'); return res[3]; }
for (let k = 0; k < 2; k++) {
const a = bench('floor-full', floorFull, tok); const b = bench('tessera', verify, tok); console.log('ratio', (b/a).toFixed(2));
const c = bench('floor-sign', floorSign, payload); const d = bench('tessera-sign', sign, payload); console.log('ratio', (d/c).toFixed(2));
}
