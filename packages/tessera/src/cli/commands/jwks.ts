// tessera jwks KEY…: a public JWK Set (for a jwks_uri) from keys and sets. Private keys contribute
// their public half; shared secrets are refused; a key without a kid gets its RFC 7638 thumbprint.
import { JWTError } from '../../errors.js';
import { importKey, type Key } from '../../jwk/key.js';
import { JWKSet } from '../../jwks/set.js';
import { parse, UsageError } from '../args.js';
import { EXIT } from '../exit.js';
import { loadKey } from '../key-source.js';
import { paletteOf, renderJSON, stdout } from '../output.js';

export const help = `tessera jwks — build a public JWK Set from keys

Usage
  tessera jwks KEY… [--json]

  Each KEY is @FILE, env:NAME, - (stdin) or b64:DATA holding a PEM key or certificate, an OpenSSH public
  key, a JWK or a JWK Set. Private keys contribute only their public half; shared secrets are refused.
  A key without "kid" gets its RFC 7638 thumbprint as "kid". The set is printed as JSON.

Flags
  --json       accepted for symmetry; the output is JSON either way (uncoloured when piped)
  -h, --help   this help

Exit codes
  0 printed   2 usage error (unreadable key, a shared secret, two different keys with one kid)

Examples
  tessera jwks @signing.public.json > jwks.json
  tessera jwks @2026-01.private.pem @2025-12.public.pem      # rotation: new and previous key
  tessera jwks @jwks.json @next.public.json                   # add a key to a published set
`;

const FLAGS = { json: { type: 'boolean' } } as const;

export async function run(argv: readonly string[]): Promise<number> {
  const args = parse('jwks', argv, FLAGS, [1, Infinity]);
  const keys: Key[] = [];
  for (const [index, spec] of args.positionals.entries()) {
    const flag = args.positionals.length > 1 ? `KEY ${index + 1}` : 'KEY';
    const loaded = await loadKey(spec, { flag, command: 'jwks', allowSet: true });
    for (const key of loaded.key instanceof JWKSet ? loaded.key.keys : [loaded.key]) {
      if (key.type === 'secret')
        throw new UsageError(`${loaded.label} is a shared secret; a public JWK Set never contains secrets`, 'jwks');
      const publicKey = key.publicKey();
      keys.push(publicKey.kid === undefined ? importKey(publicKey, { kid: publicKey.thumbprint() }) : publicKey);
    }
  }
  // The same key given twice (e.g. its private and public file) is listed once.
  const seen = new Set<string>();
  const unique = keys.filter((key) => {
    const id = `${key.kid}\u0000${key.alg}\u0000${key.thumbprint()}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  let set: JWKSet;
  try {
    set = new JWKSet(unique);
  } catch (err) {
    if (err instanceof JWTError) throw new UsageError(err.message, 'jwks');
    throw err;
  }
  const out = stdout();
  out.line(renderJSON(set.toJSON(), 2, args.booleans.has('json') ? undefined : paletteOf(out)));
  return EXIT.OK;
}
