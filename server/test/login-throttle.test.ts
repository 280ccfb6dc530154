// The login throttle on its own, with a fixed clock: the documented figures (free failures, doubling
// waits and their caps), forgetting, the per-address / per-account separation and bounded memory.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createLoginThrottle, LOGIN_THROTTLE } from 'tessera-jwt/provider';

function setup(maxEntries?: number) {
  const clock = { t: 1_000_000 };
  const throttle = createLoginThrottle({ now: () => clock.t, ...(maxEntries ? { maxEntries } : {}) });
  return { clock, throttle };
}

describe('login throttle', () => {
  test('five free failures per account and address, then waits of 1 s, 2 s, 4 s … capped at 5 minutes', () => {
    const { clock, throttle } = setup();
    for (let i = 0; i < LOGIN_THROTTLE.accountAndAddress.free; i++) {
      assert.equal(throttle.wait('demo', '10.0.0.1'), 0);
      throttle.failed('demo', '10.0.0.1');
    }
    assert.equal(throttle.wait('demo', '10.0.0.1'), 0);
    const waits: number[] = [];
    for (let i = 0; i < 12; i++) {
      throttle.failed('demo', '10.0.0.1');
      waits.push(throttle.wait('demo', '10.0.0.1'));
      clock.t += waits.at(-1)!; // the attacker waits each wait out
    }
    assert.deepEqual(waits, [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300]);
  });

  test('another address is not slowed down by one address guessing an account', () => {
    const { throttle } = setup();
    for (let i = 0; i < 8; i++) throttle.failed('demo', '10.0.0.1');
    assert.ok(throttle.wait('demo', '10.0.0.1') > 0);
    assert.equal(throttle.wait('demo', '10.0.0.2'), 0);
    assert.equal(throttle.wait('someone-else', '10.0.0.1'), 0);
  });

  test('a distributed attack on one account slows its real user down for 30 s at most', () => {
    const { clock, throttle } = setup();
    for (let i = 0; i < 200; i++) {
      throttle.failed('Demo', `10.0.${i >> 8}.${i & 255}`); // case does not split the account
      clock.t += 0.1;
    }
    const wait = throttle.wait('demo', '192.168.1.1');
    assert.ok(wait > 0 && wait <= LOGIN_THROTTLE.account.max, String(wait));
    clock.t += LOGIN_THROTTLE.account.max;
    assert.equal(throttle.wait('demo', '192.168.1.1'), 0);
  });

  test('password spraying from one address is throttled across accounts', () => {
    const { throttle } = setup();
    for (let i = 0; i < LOGIN_THROTTLE.address.free + 1; i++) throttle.failed(`user-${i}`, '10.0.0.9');
    assert.ok(throttle.wait('a-fresh-account', '10.0.0.9') > 0);
  });

  test('success clears the account; counters are forgotten 15 minutes after the last failure', () => {
    const { clock, throttle } = setup();
    for (let i = 0; i < 4; i++) throttle.failed('demo', '10.0.0.1');
    throttle.succeeded('demo', '10.0.0.1');
    for (let i = 0; i < 5; i++) throttle.failed('demo', '10.0.0.1');
    assert.equal(throttle.wait('demo', '10.0.0.1'), 0, 'the success reset the count');
    throttle.failed('demo', '10.0.0.1');
    assert.ok(throttle.wait('demo', '10.0.0.1') > 0);
    clock.t += LOGIN_THROTTLE.forgetAfter + 1;
    throttle.failed('demo', '10.0.0.1');
    assert.equal(throttle.wait('demo', '10.0.0.1'), 0, 'an old count was forgotten');
  });

  test('memory is bounded: the least recently failed counters go first', () => {
    const { throttle } = setup(100);
    for (let i = 0; i < 10_000; i++) throttle.failed(`user-${i}`, `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`);
    for (const size of throttle.sizes()) assert.ok(size <= 100, String(size));
  });
});
