// Configuration from the environment: defaults, store URLs, and start-up refusals that name every
// bad variable at once — both as loadConfig() and as the real process exiting with code 2.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../src/config.js';
import { freePort, spawnServer, startServer, tempDir } from './helpers/server.js';

describe('loadConfig', () => {
  test('defaults: 127.0.0.1:8080, SQLite under ./data, 15 min access tokens, ES256 keys rotated every 30 days', () => {
    const config = loadConfig({}, '/srv/app');
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.port, 8080);
    assert.equal(config.issuer, undefined);
    assert.equal(config.dataDir, '/srv/app/data');
    assert.deepEqual(config.store, { kind: 'sqlite', file: '/srv/app/data/tessera.db' });
    assert.equal(config.accessTTL, 900);
    assert.equal(config.refreshTTL, 14 * 86400);
    assert.equal(config.keyRotation, 30 * 86400);
    assert.equal(config.keyAlgorithm, 'ES256');
    assert.deepEqual(config.clientIds, ['tessera-debugger']);
    assert.equal(config.refreshGrace, 5, 'a retried or duplicated refresh within 5 s gets the same successor');
    assert.equal(config.introspectionClientId, 'resource-server');
  });

  test('TESSERA_REFRESH_GRACE takes a duration from 0 (off) to 60 s', () => {
    assert.equal(loadConfig({ TESSERA_REFRESH_GRACE: '0' }).refreshGrace, 0);
    assert.equal(loadConfig({ TESSERA_REFRESH_GRACE: '10s' }).refreshGrace, 10);
    assert.throws(
      () => loadConfig({ TESSERA_REFRESH_GRACE: '5m' }),
      /TESSERA_REFRESH_GRACE must be at most 60 seconds/,
    );
    assert.throws(() => loadConfig({ TESSERA_REFRESH_GRACE: 'soon' }), /TESSERA_REFRESH_GRACE must be a duration/);
  });

  test('a demo password with a control character (NUL included) is refused', () => {
    for (const password of ['demo-password\0', 'demo\u0007password', 'demo-password\u0085']) {
      assert.throws(
        () => loadConfig({ TESSERA_DEMO_PASSWORD: password }),
        /TESSERA_DEMO_PASSWORD must not contain control characters/,
      );
    }
  });

  test('TESSERA_STORE switches to Redis or PostgreSQL; durations take the library format', () => {
    assert.deepEqual(loadConfig({ TESSERA_STORE: 'redis://cache:6379/2' }).store, {
      kind: 'redis',
      url: 'redis://cache:6379/2',
    });
    assert.deepEqual(loadConfig({ TESSERA_STORE: 'postgres://u:p@db/tessera' }).store, {
      kind: 'postgres',
      url: 'postgres://u:p@db/tessera',
    });
    assert.deepEqual(loadConfig({ TESSERA_STORE: 'sqlite:/var/lib/tessera.db' }).store, {
      kind: 'sqlite',
      file: '/var/lib/tessera.db',
    });
    const c = loadConfig({
      TESSERA_ACCESS_TTL: '5m',
      TESSERA_REFRESH_TTL: '2d',
      TESSERA_KEY_ROTATION: '1w',
      TESSERA_ISSUER: 'https://auth.example.com',
    });
    assert.equal(c.accessTTL, 300);
    assert.equal(c.refreshTTL, 172800);
    assert.equal(c.keyRotation, 604800);
    assert.equal(c.issuer, 'https://auth.example.com');
  });

  test('every problem is reported at once, each naming its variable', () => {
    assert.throws(
      () =>
        loadConfig({
          TESSERA_PORT: '99999',
          TESSERA_STORE: 'mysql://db',
          TESSERA_ACCESS_TTL: 'forever',
          TESSERA_ISSUER: 'not a url',
          TESSERA_KEY_ALGORITHM: 'HS256',
          TESSERA_KEY_ENCRYPTION_KEY: 'short',
        }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.equal(err.problems.length, 6);
        for (const name of [
          'TESSERA_PORT',
          'TESSERA_STORE',
          'TESSERA_ACCESS_TTL',
          'TESSERA_ISSUER',
          'TESSERA_KEY_ALGORITHM',
          'TESSERA_KEY_ENCRYPTION_KEY',
        ]) {
          assert.ok(
            err.problems.some((p) => p.startsWith(name)),
            name,
          );
        }
        return true;
      },
    );
    assert.throws(
      () => loadConfig({ TESSERA_REFRESH_TTL: '100d' }),
      /TESSERA_REFRESH_TTL must not be longer than TESSERA_REFRESH_ABSOLUTE_TTL/,
    );
  });
});

describe('the process at start', () => {
  test('a bad configuration exits with code 2 and a message per variable, before creating anything', async () => {
    const data = tempDir();
    try {
      const { output, exited } = spawnServer({
        dataDir: join(data.path, 'never'),
        port: 0,
        env: { TESSERA_STORE: 'mongodb://x', TESSERA_ACCESS_TTL: '-5m' },
      });
      assert.equal(await exited, 2);
      assert.match(output(), /tessera-server: invalid configuration:/);
      assert.match(output(), /TESSERA_STORE must be 'sqlite'/);
      assert.match(output(), /TESSERA_ACCESS_TTL must be a duration/);
      assert.ok(!existsSync(join(data.path, 'never')), 'nothing was created');
    } finally {
      data.remove();
    }
  });

  test('a key encryption key that does not open the stored signing keys stops the start with a clear message', async () => {
    const data = tempDir();
    try {
      const port = await freePort();
      const server = await startServer({ dataDir: data.path, port });
      assert.equal(await server.stop(), 0);
      const { output, exited } = spawnServer({
        dataDir: data.path,
        port,
        env: { TESSERA_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64url') },
      });
      assert.equal(await exited, 1);
      assert.match(output(), /cannot be decrypted with this key encryption key: TESSERA_KEY_ENCRYPTION_KEY/);
    } finally {
      data.remove();
    }
  });

  test('a corrupt user file stops the start and names the file', async () => {
    const data = tempDir();
    try {
      writeFileSync(join(data.path, 'users.json'), '{"users": [{"username": "x"}]}');
      const { output, exited } = spawnServer({ dataDir: data.path, port: 0 });
      assert.equal(await exited, 1);
      assert.match(output(), /cannot read the user file .*users\.json/);
    } finally {
      data.remove();
    }
  });
});
