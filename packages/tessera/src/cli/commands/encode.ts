// tessera encode [PAYLOAD|@FILE|-] --key …: signs a JWT. Claims come from a JSON payload (argument,
// file or stdin), --claim NAME=VALUE, and the registered-claim flags (--exp, --iss, …); iat is added.
import { JWTError } from '../../errors.js';
import { decodeJWT } from '../../jwt/decode.js';
import { signJWT } from '../../jwt/sign.js';
import type { SignOptions } from '../../types.js';
import { checkAlgorithms } from '../alg.js';
import { parse, UsageError } from '../args.js';
import { applyClaimFlags, CLAIM_FLAGS, headerFlags, readClaimsPayload } from '../claim-flags.js';
import { EXIT } from '../exit.js';
import { loadKey } from '../key-source.js';
import { printJSON, stderr, stdout } from '../output.js';
import { resolveNow } from '../time.js';
import { cliMessage } from '../token-error.js';

export const help = `tessera encode — sign a new token

Usage
  tessera encode [PAYLOAD | @FILE | -] --key KEY [--alg ALG] [--claim NAME=VALUE]… [--exp DURATION] …

  PAYLOAD is a JSON object (argument, @FILE, or - for standard input); default {}. The token goes to
  stdout. "iat" is added (the --now clock) unless --no-iat.

Key
  --key KEY            a secret, private key PEM or private JWK, from @FILE, env:NAME, - (stdin) or
                       b64:DATA; omitted on a terminal: prompt. A literal secret works, with a warning.
  --alg ALG            the algorithm (default from the key: HS256 for secrets, RS256, ES256/384/512, EdDSA)
  --passphrase SRC     the passphrase of an encrypted PKCS#8 --key (@FILE, env:NAME, -)
  --allow-weak-keys    accept HMAC secrets shorter than the hash and RSA keys under 2048 bits

Claims
  --claim NAME=VALUE   a claim (repeatable). VALUE is JSON when it reads as a JSON number, true, false,
                       null, object or array, else a string; "iss", "sub", "jti", "aud" are always strings;
                       "exp", "nbf", "iat" take seconds or an ISO date. NAME:=JSON forces JSON.
  --exp DURATION|DATE  expiry: 15m, 1h, 7d from now, or an ISO date
  --nbf DURATION|DATE  not before: 0, 5m (from now; --nbf=-30s is before), or an ISO date
  --iss ISS  --sub SUB  --jti ID
  --aud AUD            audience (repeat for several)
  --no-iat             leave out "iat"
  --now DATE           the clock for iat/exp/nbf (ISO 8601 or NumericDate seconds; also TESSERA_NOW)

Header
  --kid KID            the key ID (a JWK's or generated key's own kid is used by default)
  --typ TYP            the "typ" header (default JWT); --no-typ leaves it out
  --header NAME=VALUE  another header parameter (repeatable; same VALUE rules as --claim)

Output
  --json               {"token", "header", "payload"}
  -h, --help           this help

Exit codes
  0 signed   2 usage error (including a key that cannot sign with the algorithm)

Examples
  tessera encode --key @signing.private.json --claim sub=123 --claim admin=true --exp 15m
  tessera encode --key env:JWT_SECRET --alg HS256 --iss https://auth.example.com --aud api --exp 1h
  echo '{"sub":"123","scope":"read"}' | tessera encode - --key @private.pem --alg ES256 --kid 2026-01
  tessera encode @claims.json --key @private.pem --exp 2026-12-31T23:59:59Z
`;

const FLAGS = {
  key: { type: 'string' },
  alg: { type: 'string' },
  passphrase: { type: 'string' },
  'allow-weak-keys': { type: 'boolean' },
  ...CLAIM_FLAGS,
  now: { type: 'string' },
  kid: { type: 'string' },
  typ: { type: 'string' },
  'no-typ': { type: 'boolean' },
  header: { type: 'string', multiple: true },
  json: { type: 'boolean' },
} as const;

export async function run(argv: readonly string[]): Promise<number> {
  const args = parse('encode', argv, FLAGS, [0, 1]);
  const now = resolveNow(args.strings.get('now'), 'encode');
  const alg = args.strings.has('alg') ? checkAlgorithms([args.strings.get('alg')!], 'encode')[0] : undefined;
  if (args.strings.has('typ') && args.booleans.has('no-typ'))
    throw new UsageError('--typ and --no-typ cannot be combined', 'encode');

  const payload = await readClaimsPayload(args.positionals[0], 'encode');
  const header = headerFlags(args, 'encode', { alg: 'use --alg' }, ['kid', 'typ']);
  const options: SignOptions = applyClaimFlags(args, payload, now, 'encode');
  if (alg !== undefined) options.algorithm = alg;
  if (args.strings.has('kid')) options.kid = args.strings.get('kid');
  if (args.strings.has('typ')) options.typ = args.strings.get('typ');
  if (args.booleans.has('no-typ')) options.typ = null;
  if (Object.keys(header).length > 0) options.header = header;
  if (args.booleans.has('allow-weak-keys')) options.allowWeakKeys = true;

  const loaded = await loadKey(args.strings.get('key'), {
    flag: '--key',
    command: 'encode',
    passphrase: args.strings.get('passphrase'),
  });
  let token: string;
  try {
    token = signJWT(payload, loaded.key as never, options);
  } catch (err) {
    if (err instanceof JWTError || err instanceof TypeError)
      throw new UsageError(`cannot sign with ${loaded.label}: ${cliMessage(err.message)}`, 'encode');
    throw err;
  }
  const decoded = decodeJWT(token);
  if (!Object.hasOwn(decoded.payload, 'exp')) {
    const err = stderr();
    err.line(`${err.paint('yellow', 'warning:')} the token has no "exp" and never expires; add --exp, e.g. --exp 15m`);
  }
  if (args.booleans.has('json')) printJSON({ token, header: decoded.header, payload: decoded.payload });
  else stdout().line(token);
  return EXIT.OK;
}
