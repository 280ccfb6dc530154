const now = 1795586875;
const payload = { sub: 'user_4f3c2a1b9e8d7c6b', iss: 'https://auth.example.com/', aud: 'https://api.example.com', iat: now, exp: now + 3600, nbf: now - 5, jti: '6f1c2e9a-4b7d-4c2e-9f3a-1d2b3c4d5e6f', scope: 'openid profile email read:orders write:orders', roles: ['admin','editor','viewer'], name: 'Jane Q. Example', email_verified: true };
const text = JSON.stringify(payload); const value = JSON.parse(text);
function bench(name, fn) { for (let i = 0; i < 20000; i++) fn(); const res = []; for (let r = 0; r < 7; r++) { const t0 = process.hrtime.bigint(); for (let i = 0; i < 50000; i++) fn(); res.push(Number(process.hrtime.bigint() - t0) / 50000); } res.sort((a,b)=>a-b); console.log(name.padEnd(20), res[3].toFixed(0), 'ns'); }
function countWritten(text) {
  let count = 0, i = 0; const n = text.length;
  for (;;) { const open = text.indexOf('"', i); const end = open === -1 ? n : open;
    for (let j = i; j < end; j++) if (text.charCodeAt(j) === 58) count++;
    if (open === -1) return count;
    let close = open;
    for (;;) { close = text.indexOf('"', close + 1); let b = 0; while (text.charCodeAt(close - 1 - b) === 92) b++; if ((b & 1) === 0) break; }
    i = close + 1; }
}
function countLoop(text) { // plain char loop
  let count = 0, inStr = false; const n = text.length;
  for (let i = 0; i < n; i++) { const c = text.charCodeAt(i);
    if (inStr) { if (c === 92) i++; else if (c === 34) inStr = false; }
    else if (c === 34) inStr = true; else if (c === 58) count++; }
  return count;
}
function countParsed(v) { if (v === null || typeof v !== 'object') return 0; let c = 0; if (Array.isArray(v)) { for (const x of v) c += countParsed(x); return c; } for (const k in v) c += 1 + countParsed(v[k]); return c; }
function countParsed2(v) { if (v === null || typeof v !== 'object') return 0; if (Array.isArray(v)) { let c = 0; for (let i = 0; i < v.length; i++) { const x = v[i]; if (x !== null && typeof x === 'object') c += countParsed2(x); } return c; } const keys = Object.keys(v); let c = keys.length; for (let i = 0; i < keys.length; i++) { const x = v[keys[i]]; if (x !== null && typeof x === 'object') c += countParsed2(x); } return c; }
bench('written idx', () => countWritten(text));
bench('written loop', () => countLoop(text));
bench('parsed forin', () => countParsed(value));
bench('parsed keys', () => countParsed2(value));
console.log(countWritten(text), countLoop(text), countParsed(value), countParsed2(value));
const WS_COLON = /"[ \t\n\r]+:/;
function countQC(text) { if (WS_COLON.test(text)) return -1; let c = 0, i = text.indexOf('":'); while (i !== -1) { c++; i = text.indexOf('":', i + 2); } return c; }
bench('qc', () => countQC(text));
console.log(countQC(text));
