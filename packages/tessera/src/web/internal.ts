// What src/internal.ts is to the upper layers on Node, for the upper-layer modules the web build bundles (the
// middleware core under tessera-jwt/web/fetch and /web/hono): the build resolves their `../internal.js` here.
// Only platform-neutral lib modules; an import that is missing here fails the web build.
export { checkOptionNames, type OptionNames, optionNames } from '../lib/options.js';
