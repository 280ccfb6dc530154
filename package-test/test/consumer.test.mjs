// The package as a user gets it: `npm pack` of the built library, installed from the tarball into a fresh
// empty project in a temp directory (no workspace links, no repository files), then used the ways users use
// it — ESM import and CommonJS require() of every subpath, TypeScript type checks of a consumer file under
// moduleResolution node16 and bundler, the `tessera` bin through npx — and linted by publint and
// arethetypeswrong. Needs the library built first (the root `npm test` builds it).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const library = join(repo, 'packages', 'tessera');
const pkg = JSON.parse(readFileSync(join(library, 'package.json'), 'utf8'));
const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
const nodeTypes = dirname(require.resolve('@types/node/package.json'));

// What each subpath must export at run time (a few names each, read from PRODUCT.md's shape).
const EXPECTED = {
  '.': [
    'signJWT',
    'verifyJWT',
    'createSigner',
    'createVerifier',
    'decodeJWT',
    'encryptJWE',
    'importKey',
    'JWKSet',
    'createRemoteJWKSet',
    'JWTError',
  ],
  './errors': ['JWTError', 'ExpiredSignatureError', 'ERROR_CODES'],
  './jwk': ['importKey', 'exportJWK', 'generateKeyPair', 'calculateJWKThumbprint'],
  './jwks': ['JWKSet', 'createRemoteJWKSet', 'discover'],
  './jwe': ['encryptJWE', 'decryptJWE', 'encryptJWT', 'decryptJWT'],
  './express': ['expressAuth', 'requireScopes'],
  './fastify': ['fastifyAuth', 'requireScopes'],
  './fetch': ['fetchAuth', 'withAuth', 'requireClaims'],
  './hono': ['honoAuth', 'requireScopes'],
  './server': ['createTokenService', 'createTokenEndpoints', 'createMemoryStore', 'toNodeHandler'],
  './stores/sqlite': ['createSQLiteStore'],
  './stores/redis': ['createRedisStore'],
  './stores/postgres': ['createPostgresStore'],
  './oidc': ['discoverClient', 'createClient', 'verifyIDToken', 'oidcExpress', 'oidcFastify', 'oidcHono'],
};
// The middleware, server and store names must not weigh on the root entry (slim root).
const NOT_IN_ROOT = ['expressAuth', 'fastifyAuth', 'fetchAuth', 'honoAuth', 'createTokenService', 'createSQLiteStore'];

const specifier = (subpath) => (subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`);
const codeSubpaths = Object.keys(pkg.exports).filter((s) => s !== './package.json');

let work;
let project;
let tarball;

function run(command, args, options = {}) {
  const r = spawnSync(command, args, {
    encoding: 'utf8',
    timeout: 120_000,
    ...options,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
  });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
}

before(() => {
  assert.ok(existsSync(join(library, 'dist', 'index.js')), 'the library is not built: run npm run build first');
  work = mkdtempSync(join(tmpdir(), 'tessera-consumer-'));
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: library, encoding: 'utf8' }),
  );
  tarball = join(work, packed[0].filename);
  project = join(work, 'app');
  execFileSync('mkdir', ['-p', project]);
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'consumer-app', version: '1.0.0', private: true }, null, 2),
  );
  // The tarball has no dependencies, so this needs no registry.
  const install = run('npm', ['install', '--no-audit', '--no-fund', '--offline', tarball], { cwd: project });
  assert.equal(install.status, 0, `npm install of the tarball failed:\n${install.stderr}`);
});

after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  test('ships dist, the bin shim, the README and the LICENSE, and nothing from src or test', () => {
    const listing = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean);
    for (const file of [
      'package/package.json',
      'package/README.md',
      'package/LICENSE',
      'package/bin/tessera.js',
      'package/dist/index.js',
      'package/dist/index.d.ts',
      'package/dist/cli/main.js',
    ]) {
      assert.ok(listing.includes(file), `${file} is missing from the tarball`);
    }
    assert.deepEqual(
      listing.filter((f) => /^package\/(src|test|build|scripts)\//.test(f)),
      [],
    );
  });

  test('declares no runtime dependencies', () => {
    const installed = JSON.parse(readFileSync(join(project, 'node_modules', pkg.name, 'package.json'), 'utf8'));
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies'])
      assert.equal(installed[field], undefined, field);
  });
});

describe('JavaScript consumers', () => {
  test('ESM: every subpath imports and exports its names; the root stays slim', () => {
    const script = `
      const expected = ${JSON.stringify(EXPECTED)};
      for (const [subpath, names] of Object.entries(expected)) {
        const mod = await import(subpath === '.' ? '${pkg.name}' : '${pkg.name}/' + subpath.slice(2));
        for (const name of names) if (!(name in mod)) throw new Error(subpath + ' lacks ' + name);
      }
      const root = await import('${pkg.name}');
      for (const name of ${JSON.stringify(NOT_IN_ROOT)}) if (name in root) throw new Error('the root entry exports ' + name);
      const { signJWT, verifyJWT, generateSecret } = root;
      const key = generateSecret('HS256');
      const token = signJWT({ sub: 'esm' }, key, { expiresIn: '5m' });
      console.log(verifyJWT(token, key, { algorithms: ['HS256'] }).sub);`;
    writeFileSync(join(project, 'esm.mjs'), script);
    const r = run(process.execPath, ['esm.mjs'], { cwd: project });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'esm');
  });

  test('CommonJS: require() of every subpath works on Node >= 20.19 (require of ES modules)', () => {
    const script = `
      const expected = ${JSON.stringify(EXPECTED)};
      for (const [subpath, names] of Object.entries(expected)) {
        const mod = require(subpath === '.' ? '${pkg.name}' : '${pkg.name}/' + subpath.slice(2));
        for (const name of names) if (!(name in mod)) throw new Error(subpath + ' lacks ' + name);
      }
      const { signJWT, verifyJWT, generateKeyPair } = require('${pkg.name}');
      const { privateKey, publicKey } = generateKeyPair('ES256');
      const token = signJWT({ sub: 'cjs' }, privateKey);
      console.log(verifyJWT(token, publicKey, { algorithms: ['ES256'] }).sub);`;
    writeFileSync(join(project, 'cjs.cjs'), script);
    const r = run(process.execPath, ['cjs.cjs'], { cwd: project });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'cjs');
  });
});

describe('TypeScript consumers', () => {
  const consumer = `
    import { signJWT, verifyJWT, ExpiredSignatureError, isJWTError, type JWTPayload, type VerifyOptions } from '${pkg.name}';
    import { JWTError } from '${pkg.name}/errors';
    import { importKey, type Key } from '${pkg.name}/jwk';
    import { JWKSet, createRemoteJWKSet } from '${pkg.name}/jwks';
    import { encryptJWE } from '${pkg.name}/jwe';
    import { expressAuth } from '${pkg.name}/express';
    import { fastifyAuth } from '${pkg.name}/fastify';
    import { fetchAuth, withAuth } from '${pkg.name}/fetch';
    import { honoAuth, type HonoAuthEnv } from '${pkg.name}/hono';
    import { createTokenService, createMemoryStore, type TokenStore } from '${pkg.name}/server';
    import { createSQLiteStore } from '${pkg.name}/stores/sqlite';
    import { createRedisStore } from '${pkg.name}/stores/redis';
    import { createPostgresStore } from '${pkg.name}/stores/postgres';

    const options: VerifyOptions = { algorithms: ['HS256'], audience: 'api' };
    const token: string = signJWT({ sub: 'ts' }, 'a'.repeat(32), { expiresIn: '1h' });
    const claims = verifyJWT<{ sub: string }>(token, 'a'.repeat(32), options);
    const sub: string = claims.sub;
    const key: Key = importKey('a'.repeat(32));
    const set = new JWKSet([]);
    const remote = createRemoteJWKSet('https://issuer.example/jwks');
    const payload: JWTPayload = { sub };
    const store: TokenStore = createMemoryStore();
    const env: HonoAuthEnv = { Variables: { auth: payload } };
    try { verifyJWT(token, key, options); } catch (err) {
      if (err instanceof ExpiredSignatureError) { const at: Date = err.expiredAt; void at; }
      if (isJWTError(err) && err.code === 'ERR_JWT_EXPIRED') { const at: Date = err.expiredAt; void at; }
      if (err instanceof JWTError) { const code: string = err.code; void code; }
    }
    // @ts-expect-error: the root entry no longer exports the middleware (slim root)
    import('${pkg.name}').then((m) => m.expressAuth);
    void [set, remote, store, env, encryptJWE, expressAuth, fastifyAuth, fetchAuth, withAuth, honoAuth, createTokenService, createSQLiteStore, createRedisStore, createPostgresStore];
  `;

  for (const [resolution, module] of [
    ['node16', 'node16'],
    ['bundler', 'esnext'],
  ]) {
    test(`tsc --noEmit accepts a consumer file under moduleResolution ${resolution}`, () => {
      const dir = join(project, `ts-${resolution}`);
      execFileSync('mkdir', ['-p', dir]);
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
      writeFileSync(join(dir, 'consumer.ts'), consumer);
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            target: 'ES2023',
            lib: ['ES2023', 'DOM'],
            module,
            moduleResolution: resolution,
            strict: true,
            noEmit: true,
            skipLibCheck: false,
            types: ['node'],
            typeRoots: [dirname(nodeTypes)],
          },
          files: ['consumer.ts'],
        }),
      );
      const r = run(process.execPath, [tsc, '-p', dir], { cwd: dir });
      assert.equal(r.status, 0, `tsc (${resolution}) failed:\n${r.stdout}${r.stderr}`);
    });
  }
});

describe('the bin', () => {
  test('npx tessera --help and --version work in the consumer project', () => {
    const help = run('npx', ['--no-install', 'tessera', '--help'], { cwd: project });
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^tessera — JSON Web Tokens on the command line/);
    const version = run('npx', ['--no-install', 'tessera', '--version'], { cwd: project });
    assert.equal(version.status, 0, version.stderr);
    assert.equal(version.stdout.trim(), pkg.version);
  });

  test('the workspace links the bin right after npm ci (a committed shim, not the build output)', () => {
    const r = run('npx', ['--no-install', 'tessera', '--version'], { cwd: repo });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), pkg.version);
    assert.equal(pkg.bin.tessera, './bin/tessera.js');
  });

  test('the shim says to build first when the build is missing', () => {
    const copy = join(work, 'unbuilt');
    execFileSync('mkdir', ['-p', join(copy, 'bin')]);
    writeFileSync(join(copy, 'package.json'), JSON.stringify({ type: 'module' }));
    writeFileSync(join(copy, 'bin', 'tessera.js'), readFileSync(join(library, 'bin', 'tessera.js')));
    const r = run(process.execPath, [join(copy, 'bin', 'tessera.js'), '--help']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /not built yet; run "npm run build" first/);
  });
});

describe('package linters', () => {
  test('publint finds nothing, suggestions included (--strict)', () => {
    const r = run('npx', ['--no-install', 'publint', 'run', tarball, '--strict'], { cwd: here });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /All good!/);
  });

  test('arethetypeswrong: types resolve for every entry point (ESM-only profile: require(esm) is Node >= 20.19)', () => {
    const r = run('npx', ['--no-install', 'attw', tarball, '--profile', 'esm-only', '--format', 'json'], { cwd: here });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const report = JSON.parse(r.stdout);
    const entrypoints = Object.keys(report.analysis.entrypoints);
    for (const subpath of codeSubpaths)
      assert.ok(entrypoints.includes(subpath), `attw did not check ${specifier(subpath)}`);
    // The esm-only profile ignores exactly two things, both by design: node10 resolution (no `exports`
    // support; Node 10 is long gone) and "CJS resolves to ESM" (CommonJS callers use require(esm), tested above).
    const problems = Object.values(report.problems ?? {}).flat();
    const unexpected = problems.filter(
      (p) =>
        !(p.kind === 'NoResolution' && p.resolutionKind === 'node10') &&
        !(p.kind === 'CJSResolvesToESM' && p.resolutionKind === 'node16-cjs'),
    );
    assert.deepEqual(unexpected, []);
  });
});
