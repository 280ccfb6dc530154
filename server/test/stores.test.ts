// TESSERA_STORE switches the server to Redis or PostgreSQL: the same flow (login, refresh, replay,
// revoke) works, and survives a restart of the server, against a real database server.
import { describe, test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { postgres, redis, type Database } from './helpers/databases.js';
import { freePort, postForm, postJSON, startServer, tempDir, type Tokens } from './helpers/server.js';

const CLIENT = 'tessera-debugger';
const PASSWORD = 'stores-test-password';

for (const [name, open] of [
  ['Redis', redis],
  ['PostgreSQL', postgres],
] as const) {
  describe(`the server on ${name}`, () => {
    let db: Database;
    before(async () => {
      db = await open();
    });
    after(async () => {
      if ('stop' in db) await db.stop();
    });

    test('login, refresh, replay and revoke work, survive a restart, and no SQLite file is created', async (t) => {
      if ('skip' in db) return t.skip(db.skip);
      const data = tempDir();
      const port = await freePort();
      // No refresh grace period: the replay right after the refresh is reuse (the grace: hardening.test.ts).
      const env = { TESSERA_STORE: db.url, TESSERA_DEMO_PASSWORD: PASSWORD, TESSERA_REFRESH_GRACE: '0' };
      let server = await startServer({ dataDir: data.path, port, env });
      try {
        assert.equal(
          ((await (await fetch(`${server.url}/health`)).json()) as { store: string }).store,
          name === 'Redis' ? 'redis' : 'postgres',
        );
        const login = async () =>
          (await (await postJSON(`${server.url}/login`, { username: 'demo', password: PASSWORD })).json()) as Tokens;
        const refresh = (token: string) =>
          postForm(`${server.url}/token`, { grant_type: 'refresh_token', refresh_token: token, client_id: CLIENT });
        const userinfo = (token: string) =>
          fetch(`${server.url}/userinfo`, { headers: { authorization: `Bearer ${token}` } });

        const kept = await login();
        const replayed = await login();
        const rotated = (await (await refresh(replayed.refresh_token)).json()) as Tokens;
        assert.equal((await refresh(replayed.refresh_token)).status, 400, 'replay refused');
        assert.equal((await userinfo(rotated.access_token)).status, 401, 'replay revoked the grant');
        const revoked = await login();
        assert.equal(
          (await postForm(`${server.url}/revoke`, { token: revoked.access_token, client_id: CLIENT })).status,
          200,
        );

        assert.equal(await server.stop(), 0);
        server = await startServer({ dataDir: data.path, port, env });

        assert.equal((await userinfo(kept.access_token)).status, 200);
        assert.equal((await refresh(kept.refresh_token)).status, 200);
        assert.equal((await userinfo(revoked.access_token)).status, 401);
        assert.equal((await refresh(rotated.refresh_token)).status, 400);
        assert.ok(!existsSync(join(data.path, 'tessera.db')));
        // The store is logged without its credentials.
        const redacted = new URL(db.url);
        redacted.username = '';
        redacted.password = '';
        assert.equal(server.logs().find((l) => l.msg === 'store open')?.location, redacted.toString());
      } finally {
        await server.stop();
        data.remove();
      }
    });
  });
}
