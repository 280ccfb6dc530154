// The reference store runs the contract too: a test that fails here is wrong, not the other stores.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryStore } from 'tessera-jwt/server';
import { runStoreContract } from './helpers/contract.js';

runStoreContract('memory store', {
  notDurable: 'the memory store keeps nothing across a restart, by design',
  referenceStore: true,
  async create() {
    const store = createMemoryStore();
    // A "restart" of an in-memory store is a new instance.
    return { store, reopen: async () => createMemoryStore(), cleanup: async () => {} };
  },
});

test('memory store: an unknown option name is a TypeError that suggests the right one', () => {
  assert.throws(() => createMemoryStore({ clock: () => 0 } as never), {
    name: 'TypeError',
    message: /^createMemoryStore: unknown option "clock"/,
  });
  assert.throws(() => createMemoryStore({ nw: () => 0 } as never), {
    name: 'TypeError',
    message: 'createMemoryStore: unknown option "nw"; did you mean "now"?',
  });
  createMemoryStore({ now: () => 0 });
});
