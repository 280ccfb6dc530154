// The one bundle every runtime loads: the web entry, resolved as a browser bundler resolves `tessera-jwt`
// (the "browser" condition), and the suite.
import * as lib from 'tessera-jwt';
export { runConformance } from './conformance.js';
export { lib };
export { runKeySets } from './keysets.js';
