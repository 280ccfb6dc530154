// The key-set scenario as a Cloudflare Worker for workerd: GET / runs it against the JWKS server on 127.0.0.1
// (reached through the config's globalOutbound, a network service that allows local addresses).
import ctx from './keysets.json';
import { lib, runKeySets } from './suite.js';

export default {
  async fetch() {
    return Response.json(await runKeySets(lib, ctx, 'Cloudflare Workers (workerd)'));
  },
};
