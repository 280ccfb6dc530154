// Where things are, from the compiled test file (packages/tessera/build/test/helpers/paths.js).
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** The repository root (the folder with the workspace package.json). */
export const REPO_ROOT = resolve(here, '../../../../..');
/** `../shared` beside the repository: vectors, oracles, design. Override with TESSERA_SHARED. */
export const SHARED = process.env.TESSERA_SHARED ?? resolve(REPO_ROOT, '../shared');
export const VECTORS = resolve(SHARED, 'vectors');
export const ORACLES = resolve(SHARED, 'oracles');
export const hasShared = existsSync(VECTORS);
