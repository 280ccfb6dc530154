// discover() lives in lib/ because the web entry exports the same function (it needs only `fetch`).
export {
  type AuthorizationServerMetadata,
  DISCOVERY_OPTION_NAMES,
  type DiscoveryOptions,
  discover,
} from '../lib/discover.js';
