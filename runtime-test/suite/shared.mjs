// Where ../shared is (vectors, oracles): beside the repository, as in CI, or $TESSERA_SHARED.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repository = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHARED = process.env.TESSERA_SHARED ?? resolve(repository, '..', 'shared');
export const VECTORS = process.env.TESSERA_VECTORS ?? resolve(SHARED, 'vectors');
export const ORACLES = resolve(SHARED, 'oracles');
