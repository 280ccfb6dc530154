// Node 20's KeyGenJob can deadlock a process that exports a freshly generated KeyObject as a JWK while the
// garbage collector destroys the job (src/lib/keygen.ts). The library's own generation paths — generateKeyPair
// and the ephemeral key of every ECDH-ES encryption — must not hang: a child process with a tiny young
// generation (a collection every few allocations) runs thousands of each and must exit. With the key objects
// taken straight from generateKeyPairSync, the first loop hangs on Node 20.20 within seconds.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { test } from 'node:test';

const runs = (script: string, timeoutMs: number) =>
  new Promise<{ code: number | null; out: string; timedOut: boolean }>((resolve) => {
    const child = spawn(process.execPath, ['--max-semi-space-size=1', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, out, timedOut: signal === 'SIGKILL' });
    });
  });

test('generateKeyPair + toJWK and ECDH-ES encryption never deadlock under garbage-collection pressure', async () => {
  const script = `
    import { generateKeyPair, encryptJWE, JWKSet } from 'tessera-jwt';
    let n = 0;
    for (let i = 0; i < 3000; i++) {
      const { privateKey } = generateKeyPair('ES256');
      n += JSON.stringify(privateKey.toJWK({ private: true })).length;
    }
    for (let i = 0; i < 300; i++) {
      const { publicKey } = generateKeyPair(i % 2 ? 'EdDSA' : 'ES384');
      n += JSON.stringify(new JWKSet([publicKey])).length;
    }
    const recipient = generateKeyPair('ECDH-ES+A128KW');
    for (let i = 0; i < 1000; i++) n += encryptJWE('x', recipient.publicKey, { enc: 'A128GCM' }).length;
    console.log('ok', n > 0);
  `;
  const result = await runs(script, 120_000);
  assert.equal(result.timedOut, false, 'the child hung (deadlock in key export)');
  assert.equal(result.code, 0, result.out);
  assert.match(result.out, /^ok true/);
});
