// The web entry's discover(): the Node entry's function itself (lib/discover.ts), which fetches through
// `fetch` with the same limits as the web createRemoteJWKSet, so options, result and errors are the same.
export { type AuthorizationServerMetadata, type DiscoveryOptions, discover } from '../lib/discover.js';
