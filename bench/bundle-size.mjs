// Bundle size for sign + verify, Tessera's web entry beside jose, as a browser app would ship them: esbuild,
// platform browser, minified, then gzip (level 9). Twice: as one file (esbuild's default, which inlines import()),
// and with splitting (as Vite, webpack and Next build an app: Tessera's key-text readers are an import() chunk,
// loaded only for PEM/SSH/JWK-text keys), where "initial" is the entry chunk and its static imports and "total"
// every chunk. Prints the bytes and the ratios; exits 1 if Tessera's one-file bundle is larger than jose's (the
// issue's target). Run: node bench/bundle-size.mjs (after npm run build).
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const ENTRIES = {
  'tessera-jwt/web': "export { signJWT, verifyJWT } from 'tessera-jwt/web';",
  jose: "export { SignJWT, jwtVerify } from 'jose';",
};

async function measure(contents, splitting = false) {
  const result = await esbuild.build({
    ...(splitting ? { splitting: true, outdir: 'out', metafile: true } : {}),
    stdin: { contents, resolveDir: import.meta.dirname, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    legalComments: 'none',
    logLevel: 'error', // esbuild notes bare imports of side-effect-free chunks it drops
  });
  const size = (files) => ({
    min: files.reduce((n, f) => n + f.contents.length, 0),
    gzip: files.reduce((n, f) => n + gzipSync(f.contents, { level: 9 }).length, 0),
  });
  if (!splitting) return size(result.outputFiles);
  // The entry chunk and what it imports statically; import() chunks are loaded later, if at all.
  const outputs = result.metafile.outputs;
  const initial = new Set();
  const visit = (name) => {
    if (initial.has(name)) return;
    initial.add(name);
    for (const i of outputs[name].imports) if (i.kind === 'import-statement') visit(i.path);
  };
  visit(Object.keys(outputs).find((name) => outputs[name].entryPoint !== undefined));
  const named = (f) => Object.keys(outputs).find((name) => f.path.endsWith(name.replace(/^out\//, '/')));
  return {
    initial: size(result.outputFiles.filter((f) => initial.has(named(f)))),
    total: size(result.outputFiles),
  };
}

const sizes = {};
for (const [name, contents] of Object.entries(ENTRIES)) sizes[name] = await measure(contents);
for (const [name, s] of Object.entries(sizes))
  console.log(`${name.padEnd(16)} ${String(s.min).padStart(7)} B min  ${String(s.gzip).padStart(6)} B gzip`);
const ratio = sizes['tessera-jwt/web'].gzip / sizes.jose.gzip;
console.log(`tessera/jose gzip ratio (one file): ${ratio.toFixed(2)}x`);
const line = (s) => `${String(s.min).padStart(7)} B min  ${String(s.gzip).padStart(6)} B gzip`;
const split = {};
for (const [name, contents] of Object.entries(ENTRIES)) split[name] = await measure(contents, true);
for (const [name, s] of Object.entries(split))
  console.log(`${name.padEnd(16)} with splitting: initial ${line(s.initial)}; all chunks ${line(s.total)}`);
console.log(
  `tessera/jose gzip ratio (splitting, initial chunk): ${(split['tessera-jwt/web'].initial.gzip / split.jose.initial.gzip).toFixed(2)}x`,
);
if (ratio > 1) process.exitCode = 1;
