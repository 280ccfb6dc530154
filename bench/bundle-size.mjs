// Bundle size for sign + verify, Tessera's web entry beside jose, as a browser app would ship them: esbuild,
// platform browser, minified, then gzip (level 9). Prints the bytes and the ratio; exits 1 if Tessera's
// bundle is larger than jose's (the target). Run: node bench/bundle-size.mjs (after npm run build).
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const ENTRIES = {
  'tessera-jwt/web': "export { signJWT, verifyJWT } from 'tessera-jwt/web';",
  jose: "export { SignJWT, jwtVerify } from 'jose';",
};

async function measure(contents) {
  const result = await esbuild.build({
    stdin: { contents, resolveDir: import.meta.dirname, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    legalComments: 'none',
  });
  const code = result.outputFiles[0].contents;
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

const sizes = {};
for (const [name, contents] of Object.entries(ENTRIES)) sizes[name] = await measure(contents);
for (const [name, s] of Object.entries(sizes))
  console.log(`${name.padEnd(16)} ${String(s.min).padStart(7)} B min  ${String(s.gzip).padStart(6)} B gzip`);
const ratio = sizes['tessera-jwt/web'].gzip / sizes.jose.gzip;
console.log(`tessera/jose gzip ratio: ${ratio.toFixed(2)}x`);
if (ratio > 1) process.exitCode = 1;
