// The debugger page's files: a fixed list read into memory at start (no path from a request ever
// touches the file system), served with a Content-Security-Policy that allows only this origin's
// scripts — no CDN, no inline script. The page runs Tessera itself: the installed package's web build
// (tessera-jwt/web, its dist/web/*.js modules) is served from /lib/tessera-jwt/web/, same origin.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const PUBLIC_DIR = fileURLToPath(new URL('../../public/', import.meta.url));
const JS = 'text/javascript;charset=UTF-8';

const FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html;charset=UTF-8' },
  '/index.html': { file: 'index.html', type: 'text/html;charset=UTF-8' },
  '/style.css': { file: 'style.css', type: 'text/css;charset=UTF-8' },
  '/js/app.js': { file: 'js/app.js', type: JS },
  '/js/decode.js': { file: 'js/decode.js', type: JS },
  '/js/claims.js': { file: 'js/claims.js', type: JS },
  '/js/render.js': { file: 'js/render.js', type: JS },
  '/js/keys.js': { file: 'js/keys.js', type: JS },
  '/js/verify.js': { file: 'js/verify.js', type: JS },
  '/js/sign.js': { file: 'js/sign.js', type: JS },
  '/js/demo.js': { file: 'js/demo.js', type: JS },
  '/favicon.svg': { file: 'favicon.svg', type: 'image/svg+xml' },
};

/** Where the page imports Tessera's web build from. */
export const WEB_BUILD_PATH = '/lib/tessera-jwt/web/';

/** The paths the page is served at (the web build's files are added by {@link loadStatic}). */
export const STATIC_PATHS: Set<string> = new Set(Object.keys(FILES));

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  // The page fetches JWK Sets itself (this server's, or an https one the user names): GETs that carry
  // no token and no key. Scripts stay 'self' only, so nothing injected could use this to send one.
  "connect-src 'self' https:",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The .js modules of the installed tessera-jwt's web build, relative to its dist/web directory. */
async function webBuildFiles(): Promise<Map<string, string>> {
  const entry = fileURLToPath(import.meta.resolve('tessera-jwt/web'));
  const root = dirname(entry);
  const out = new Map<string, string>();
  for (const name of await readdir(root, { recursive: true })) {
    if (!name.endsWith('.js')) continue;
    out.set(WEB_BUILD_PATH + relative(root, join(root, name)).split(sep).join('/'), join(root, name));
  }
  if (!out.has(`${WEB_BUILD_PATH}index.js`)) throw new Error(`tessera-jwt's web build has no index.js in ${root}`);
  return out;
}

export async function loadStatic(): Promise<(request: Request) => Response | undefined> {
  const loaded = new Map<string, { body: Buffer; type: string; etag: string }>();
  const add = (path: string, body: Buffer, type: string) => {
    loaded.set(path, { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"` });
    STATIC_PATHS.add(path);
  };
  for (const [path, { file, type }] of Object.entries(FILES)) add(path, await readFile(PUBLIC_DIR + file), type);
  for (const [path, file] of await webBuildFiles()) add(path, await readFile(file), JS);
  return (request) => {
    const { pathname } = new URL(request.url);
    const entry = loaded.get(pathname);
    if (!entry) return undefined;
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return new Response(null, { status: 405, headers: { allow: 'GET, HEAD' } });
    const headers = {
      'content-type': entry.type,
      'cache-control': 'no-cache',
      etag: entry.etag,
      'content-security-policy': CSP,
      'cross-origin-opener-policy': 'same-origin',
    };
    if (request.headers.get('if-none-match') === entry.etag) return new Response(null, { status: 304, headers });
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(entry.body), { status: 200, headers });
  };
}
