// Configured client secrets are scrypt hashes: checked on the threadpool (the event loop keeps turning), a
// success remembered briefly (a confidential client does not pay scrypt per request), a wrong guess always
// paying the full check, and a rotated secret missing the memory at once.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createClientRegistry } from 'tessera-jwt/provider';
import { createMemoryStore } from 'tessera-jwt/server';

const config = (secret: string) => ({
  client_id: 'svc',
  client_secret: secret,
  grant_types: ['client_credentials'],
  response_types: [],
});

describe('configured client secrets', () => {
  test('scrypt runs off the event loop: a timer fires while the check is pending', async () => {
    const clients = createClientRegistry({ store: createMemoryStore() });
    await clients.seed([config('a configured secret of some length')]);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const wrong = await clients.checkSecret('svc', 'a wrong guess of some length!!');
    clearInterval(timer);
    assert.equal(wrong.ok, false);
    assert.ok(ticks > 0, 'the event loop ran during the scrypt check');
  });

  test('remembered successes never let a wrong or rotated secret through', async () => {
    const clients = createClientRegistry({ store: createMemoryStore() });
    await clients.seed([config('the first configured secret')]);
    const check = async (secret: string) => (await clients.checkSecret('svc', secret)).ok;
    assert.equal(await check('the first configured secret'), true);
    // Remembered or not, the answers stay right: the same secret again, then wrong guesses.
    for (let i = 0; i < 3; i++) assert.equal(await check('the first configured secret'), true);
    for (let i = 0; i < 3; i++) assert.equal(await check('not the configured secret!!'), false);
    assert.equal(await check('the first configured secret '), false, 'one character more is another secret');
    // Rotation: the old secret fails at once, the new one works.
    await clients.seed([config('the second configured secret')]);
    assert.equal((await clients.checkSecret('svc', 'the first configured secret')).ok, false);
    assert.equal((await clients.checkSecret('svc', 'the second configured secret')).ok, true);
  });
});
