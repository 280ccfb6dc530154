// The reference store runs the contract too: a test that fails here is wrong, not the other stores.
import { createMemoryStore } from 'tessera-jwt/server';
import { runStoreContract } from './helpers/contract.js';

runStoreContract('memory store', {
  notDurable: 'the memory store keeps nothing across a restart, by design',
  async create() {
    const store = createMemoryStore();
    // A "restart" of an in-memory store is a new instance.
    return { store, reopen: async () => createMemoryStore(), cleanup: async () => {} };
  },
});
