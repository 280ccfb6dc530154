// tessera thumbprint KEY: the RFC 7638 JWK thumbprint (or RFC 9278 URI) of a key — of its public half
// for key pairs, so a private and a public file give the same value.
import { calculateJWKThumbprintURI } from '../../jwk/thumbprint.js';
import type { ThumbprintDigest } from '../../lib/thumbprint.js';
import { parse, UsageError } from '../args.js';
import { EXIT } from '../exit.js';
import { loadKey } from '../key-source.js';
import { printJSON, stdout } from '../output.js';
import { closest } from '../../lib/suggest.js';

export const help = `tessera thumbprint — print a key's RFC 7638 JWK thumbprint

Usage
  tessera thumbprint KEY [--digest sha256|sha384|sha512] [--uri] [--json]

  KEY is @FILE, env:NAME, - (stdin) or b64:DATA holding a PEM key or certificate, an OpenSSH public key
  or a JWK. A private key gives the thumbprint of its public half. Shared secrets are refused: their
  thumbprint is a hash of the secret, which would let anyone test guesses offline.

Flags
  --digest ALG   sha256 (default), sha384 or sha512
  --uri          print the RFC 9278 URI (urn:ietf:params:oauth:jwk-thumbprint:sha-256:…)
  --json         {"thumbprint", "digest", "uri", "kty"}
  -h, --help     this help

Exit codes
  0 printed   2 usage error (unreadable or invalid key, a shared secret)

Examples
  tessera thumbprint @signing.public.json
  KID=$(tessera thumbprint @private.pem)
  tessera thumbprint @public.pem --uri
`;

const FLAGS = { digest: { type: 'string' }, uri: { type: 'boolean' }, json: { type: 'boolean' } } as const;
const DIGESTS: readonly ThumbprintDigest[] = ['sha256', 'sha384', 'sha512'];

export async function run(argv: readonly string[]): Promise<number> {
  const args = parse('thumbprint', argv, FLAGS, [1, 1]);
  const digestFlag = (args.strings.get('digest') ?? 'sha256').toLowerCase().replace('-', '');
  if (!DIGESTS.includes(digestFlag as ThumbprintDigest)) {
    const guess = closest(digestFlag, DIGESTS);
    throw new UsageError(
      `--digest must be sha256, sha384 or sha512${guess ? `; did you mean ${guess}?` : ''}`,
      'thumbprint',
    );
  }
  const digest = digestFlag as ThumbprintDigest;
  const loaded = await loadKey(args.positionals[0], { flag: 'KEY', command: 'thumbprint' });
  const key = loaded.key as import('../../jwk/key.js').Key;
  if (key.type === 'secret') {
    throw new UsageError(
      `${loaded.label} is a shared secret: its thumbprint is a hash of the secret (anyone could test guesses against it); thumbprints are for public keys`,
      'thumbprint',
    );
  }
  const jwk = key.publicKey().toJWK();
  const thumbprint = key.thumbprint(digest);
  const uri = calculateJWKThumbprintURI(jwk, digest);
  if (args.booleans.has('json')) printJSON({ thumbprint, digest, uri, kty: key.kty });
  else stdout().line(args.booleans.has('uri') ? uri : thumbprint);
  return EXIT.OK;
}
