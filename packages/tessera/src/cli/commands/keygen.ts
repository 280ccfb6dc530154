// tessera keygen ALG: a new key pair (or secret) written to files — private ones with mode 0600 — and
// never printed. The files work as `--key @FILE` everywhere, and the public one with `tessera jwks`.
import { rmSync, statSync, writeFileSync } from 'node:fs';
import { generateKeyPair, generateSecret } from '../../jwk/generate.js';
import type { Key } from '../../jwk/key.js';
import { JWS_ALGORITHMS } from '../../lib/algorithms.js';
import { keyTypeRule } from '../../lib/key-types.js';
import { parse, UsageError } from '../args.js';
import { EXIT } from '../exit.js';
import { jsonString, printJSON, stdout } from '../output.js';
import { closest } from '../../lib/suggest.js';

export const help = `tessera keygen — generate a key pair or a secret and write it to files

Usage
  tessera keygen ALG [--kid KID] [--format jwk|pem] [--out PREFIX] [--force] [--crv CRV] [--bits N]

  Asymmetric algorithms (RS*, PS*, ES*, EdDSA, RSA-OAEP*, ECDH-ES*) write PREFIX.private.EXT (mode 0600)
  and PREFIX.public.EXT; secret algorithms (HS*, A*KW, A*GCM…) write PREFIX.secret.json (mode 0600).
  Key material is never printed. Keys are bound to ALG and get a "kid": the RFC 7638 thumbprint of the
  public key unless --kid is given (a JWK keeps both; PEM carries neither).

Flags
  --format jwk|pem   file format (default jwk; secrets are always JWK)
  --out PREFIX       file name prefix, may include a directory (default: the algorithm, e.g. es256)
  --force            overwrite existing files
  --kid KID          the key ID
  --crv CRV          the curve where ALG allows several: EdDSA (Ed25519, Ed448), ECDH-ES (P-256, …, X25519)
  --bits N           RSA modulus length (default 2048; 2048 to 16384)
  --json             {"alg", "kid", "use", "format", "files": {...}}
  -h, --help         this help

Exit codes
  0 written   2 usage error (unknown algorithm, existing files without --force, unwritable directory)

Examples
  tessera keygen ES256 --out keys/signing          # keys/signing.private.json, keys/signing.public.json
  tessera keygen RS256 --bits 3072 --format pem --kid 2026-01
  tessera keygen HS256 --out session               # session.secret.json
  tessera keygen EdDSA --crv Ed448
`;

const FLAGS = {
  kid: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  force: { type: 'boolean' },
  crv: { type: 'string' },
  bits: { type: 'string' },
  json: { type: 'boolean' },
} as const;

const JWE_ALGORITHMS = [
  'RSA-OAEP',
  'RSA-OAEP-256',
  'RSA-OAEP-384',
  'RSA-OAEP-512',
  'ECDH-ES',
  'ECDH-ES+A128KW',
  'ECDH-ES+A192KW',
  'ECDH-ES+A256KW',
  'A128KW',
  'A192KW',
  'A256KW',
  'A128GCMKW',
  'A192GCMKW',
  'A256GCMKW',
  'A128GCM',
  'A192GCM',
  'A256GCM',
  'A128CBC-HS256',
  'A192CBC-HS384',
  'A256CBC-HS512',
];

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

function writeKeyFile(path: string, data: string, mode: number, force: boolean): void {
  try {
    // A fresh file gets `mode` at creation (the umask can only narrow it); an old one is removed
    // first rather than rewritten, so its old, perhaps wider, permissions never apply to a new secret.
    if (force) rmSync(path, { force: true });
    writeFileSync(path, data, { mode, flag: 'wx' });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'the directory does not exist'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'EEXIST'
            ? 'it already exists (--force overwrites)'
            : (code ?? 'write failed');
    throw new UsageError(`cannot write ${path}: ${why}`, 'keygen');
  }
}

export async function run(argv: readonly string[]): Promise<number> {
  const args = parse('keygen', argv, FLAGS, [1, 1]);
  const alg = args.positionals[0]!;
  const rule = keyTypeRule(alg);
  if (!rule) {
    const guess = closest(alg, [...JWS_ALGORITHMS, ...JWE_ALGORITHMS]);
    throw new UsageError(
      `unknown algorithm${/^[\w+-]{1,24}$/.test(alg) ? ` "${alg}"` : ''}${guess ? `; did you mean ${guess}?` : ''}`,
      'keygen',
    );
  }
  const format = args.strings.get('format') ?? 'jwk';
  if (format !== 'jwk' && format !== 'pem') {
    throw new UsageError(
      `--format must be jwk or pem${closest(format, ['jwk', 'pem']) ? `; did you mean ${closest(format, ['jwk', 'pem'])}?` : ''}`,
      'keygen',
    );
  }
  const secret = rule.kty === 'oct';
  if (secret && format === 'pem')
    throw new UsageError(`${alg} uses a shared secret, which has no PEM form; use --format jwk`, 'keygen');
  let bits: number | undefined;
  if (args.strings.has('bits')) {
    if (rule.kty !== 'RSA') throw new UsageError(`--bits applies to RSA algorithms, not ${alg}`, 'keygen');
    bits = Number(args.strings.get('bits'));
    if (!Number.isInteger(bits) || bits < 2048 || bits > 16384 || bits % 8 !== 0)
      throw new UsageError('--bits must be a multiple of 8 from 2048 to 16384', 'keygen');
  }
  const crv = args.strings.get('crv');
  if (crv !== undefined && !(rule.crv && rule.crv.length > 1))
    throw new UsageError(`--crv does not apply to ${alg}${rule.crv ? ` (its curve is ${rule.crv[0]})` : ''}`, 'keygen');
  if (crv !== undefined && !rule.crv!.includes(crv)) {
    const guess = closest(crv, rule.crv!);
    throw new UsageError(
      `--crv for ${alg} must be one of ${rule.crv!.join(', ')}${guess ? `; did you mean ${guess}?` : ''}`,
      'keygen',
    );
  }
  const kid = args.strings.get('kid');
  if (kid === '') throw new UsageError('--kid is empty', 'keygen');
  const prefix = args.strings.get('out') ?? alg.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  if (prefix === '' || prefix.endsWith('/'))
    throw new UsageError('--out needs a file name prefix, e.g. --out keys/signing', 'keygen');
  const force = args.booleans.has('force');
  const ext = format === 'jwk' ? 'json' : 'pem';
  const files: Record<string, string> = secret
    ? { secret: `${prefix}.secret.json` }
    : { private: `${prefix}.private.${ext}`, public: `${prefix}.public.${ext}` };
  if (!force) {
    const taken = Object.values(files).filter(exists);
    if (taken.length > 0)
      throw new UsageError(
        `${taken.join(' and ')} already exist${taken.length === 1 ? 's' : ''}; --force overwrites, --out picks other names`,
        'keygen',
      );
  }

  let keys: { privateKey: Key; publicKey?: Key };
  try {
    keys = secret
      ? { privateKey: generateSecret(alg, { kid }) }
      : generateKeyPair(alg, { kid, crv, modulusLength: bits });
  } catch (err) {
    if (err instanceof TypeError) throw new UsageError(err.message.replace(/"(\w+)" option/, '--$1'), 'keygen');
    throw err;
  }
  const serialize = (key: Key, isPrivate: boolean) =>
    format === 'pem'
      ? isPrivate
        ? key.toPEM({ private: true })
        : key.toPEM()
      : `${JSON.stringify(isPrivate ? key.toJWK({ private: true }) : key.toJWK(), null, 2)}\n`;
  const secretFile = files.secret ?? files.private!;
  writeKeyFile(secretFile, serialize(keys.privateKey, true), 0o600, force);
  if (keys.publicKey) writeKeyFile(files.public!, serialize(keys.publicKey, false), 0o644, force);

  const k = keys.privateKey;
  if (args.booleans.has('json')) {
    printJSON({ alg, kid: k.kid, use: k.use, kty: k.kty, crv: k.crv, format, files });
    return EXIT.OK;
  }
  const out = stdout();
  const what = secret ? `${alg} secret` : `${alg} key pair${k.crv && (rule.crv?.length ?? 0) > 1 ? ` (${k.crv})` : ''}`;
  // Letters read with a vowel sound: an ES256, an HS256, an RSA-OAEP key, a PS256 key.
  out.line(
    `Generated ${/^[AEFHILMNORSX]/.test(alg) ? 'an' : 'a'} ${what}${k.kid !== undefined ? `, kid ${jsonString(k.kid)}` : ''}`,
  );
  const label = (s: string) => out.paint('bold', s.padEnd(12));
  if (secret) out.line(`  ${label('secret')}${files.secret}  ${out.paint('yellow', '(mode 0600: keep it secret)')}`);
  else {
    out.line(`  ${label('private key')}${files.private}  ${out.paint('yellow', '(mode 0600: keep it secret)')}`);
    out.line(`  ${label('public key')}${files.public}`);
  }
  if (format === 'pem')
    out.line(
      `PEM carries no "kid" or "alg": pass --alg ${alg} to tessera verify${k.kid !== undefined && !secret ? ` and --kid ${/^[\w.-]+$/.test(k.kid) ? k.kid : 'KID'} to tessera encode` : ''}.`,
    );
  if (!secret && rule.use === 'sig') out.line(`Publish the public key: tessera jwks @${files.public} > jwks.json`);
  return EXIT.OK;
}
