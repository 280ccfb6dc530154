// The debugger page's files: a fixed list read into memory at start (no path from a request ever
// touches the file system), served with a Content-Security-Policy that allows only this origin —
// no CDN, no inline script, and `connect-src 'self'`, so a pasted token can only go to this server.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const PUBLIC_DIR = fileURLToPath(new URL('../../public/', import.meta.url));

const FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html;charset=UTF-8' },
  '/index.html': { file: 'index.html', type: 'text/html;charset=UTF-8' },
  '/style.css': { file: 'style.css', type: 'text/css;charset=UTF-8' },
  '/js/app.js': { file: 'js/app.js', type: 'text/javascript;charset=UTF-8' },
  '/js/decode.js': { file: 'js/decode.js', type: 'text/javascript;charset=UTF-8' },
  '/js/claims.js': { file: 'js/claims.js', type: 'text/javascript;charset=UTF-8' },
  '/js/render.js': { file: 'js/render.js', type: 'text/javascript;charset=UTF-8' },
  '/js/demo.js': { file: 'js/demo.js', type: 'text/javascript;charset=UTF-8' },
  '/favicon.svg': { file: 'favicon.svg', type: 'image/svg+xml' },
};

/** The paths the page is served at. */
export const STATIC_PATHS: ReadonlySet<string> = new Set(Object.keys(FILES));

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export async function loadStatic(): Promise<(request: Request) => Response | undefined> {
  const loaded = new Map<string, { body: Buffer; type: string; etag: string }>();
  for (const [path, { file, type }] of Object.entries(FILES)) {
    const body = await readFile(PUBLIC_DIR + file);
    loaded.set(path, { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"` });
  }
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
