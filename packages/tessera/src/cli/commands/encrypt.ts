// tessera encrypt [PAYLOAD|@FILE|-] --key …: a compact JWE. The payload is encrypted as bytes
// (encryptJWE), or — with --jwt, a claim flag or --sign-key — built into a claims set exactly as
// `encode` builds one and encrypted as a JWT (encryptJWT), signed first with --sign-key (a nested JWT).
import { JWTError } from '../../errors.js';
import { type EncryptJWEOptions, encryptJWE } from '../../jwe/encrypt.js';
import type { Key } from '../../jwk/key.js';
import { decodeProtectedHeader } from '../../jwt/decode.js';
import { type EncryptJWTOptions, encryptJWT } from '../../jwt/encrypt.js';
import { signJWT } from '../../jwt/sign.js';
import type { SignOptions } from '../../types.js';
import { checkAlgorithms } from '../alg.js';
import { parse, type Parsed, UsageError } from '../args.js';
import {
  applyClaimFlags,
  CLAIM_FLAGS,
  hasClaimFlags,
  headerFlags,
  readClaimsPayload,
  readPayloadBytes,
  willExpire,
} from '../claim-flags.js';
import { EXIT } from '../exit.js';
import { boundAlgorithms, checkContentEncryption, checkKeyManagement, missingAlgorithm } from '../jwe-alg.js';
import { type LoadedKey, loadKey } from '../key-source.js';
import { printJSON, stderr, stdout } from '../output.js';
import { resolveNow } from '../time.js';
import { cliMessage } from '../token-error.js';

export const help = `tessera encrypt — encrypt data or a claims set as a JWE

Usage
  tessera encrypt (TEXT | @FILE | -) --key KEY [--alg ALG] [--enc ENC] [--zip] …
  tessera encrypt [CLAIMS | @FILE | -] --jwt --key KEY [--claim NAME=VALUE]… [--exp DURATION] …
  tessera encrypt [CLAIMS | @FILE | -] --key KEY --sign-key KEY [--sign-alg ALG] [claims]…

  Without --jwt the payload's bytes are encrypted as they are (TEXT is taken as UTF-8; @FILE and - are
  read exactly). With --jwt, any claim flag or --sign-key, the payload is a JSON object (default {})
  completed by the claim flags as in "tessera encode", and "iat" is added; --sign-key signs it first
  (a nested JWT: sign, then encrypt; cty "JWT"). The compact JWE goes to stdout. A TEXT argument stays
  in shell history: pass confidential data as @FILE or -.

Key (the recipient's)
  --key KEY            a public key (PEM, JWK) for RSA-OAEP* and ECDH-ES*, a secret for dir, A*KW,
                       A*GCMKW, a password for PBES2-*; from @FILE, env:NAME, - (stdin) or b64:DATA;
                       omitted on a terminal: prompt. A literal secret works, with a warning.
  --alg ALG            key management: RSA-OAEP-256, ECDH-ES+A256KW, A256KW, dir, PBES2-HS256+A128KW, …
                       (default from the key's "alg", as a generated key has; a password always
                       needs an explicit --alg PBES2-…)
  --enc ENC            content encryption: A256GCM (default; or the enc a "dir" secret was made for),
                       A128GCM, A192GCM, A128CBC-HS256, A192CBC-HS384, A256CBC-HS512
  --zip                compress before encrypting (zip "DEF"); never mix secrets with text an attacker
                       chooses in one compressed payload (CRIME-style length leaks)
  --p2c N              PBES2 iterations (default 10000, at least 1000; decrypt accepts at most 10000
                       unless --max-p2c)
  --passphrase SRC     the passphrase of an encrypted PKCS#8 --key (@FILE, env:NAME, -)
  --allow-weak-keys    accept RSA keys under 2048 bits (and short HMAC secrets for --sign-key)

Header
  --kid KID            the key ID (a JWK's or generated key's own kid is used by default)
  --typ TYP            the "typ" header (--jwt: default JWT)
  --cty CTY            the "cty" header (a nested JWT always has cty JWT)
  --header NAME=VALUE  another protected header member (repeatable; as in encode)

Claims (imply --jwt; as in "tessera encode")
  --jwt                encrypt a claims set (a JWT) rather than raw bytes
  --claim NAME=VALUE   a claim (repeatable); NAME:=JSON forces JSON
  --exp DURATION|DATE  expiry: 15m, 1h, 7d from now, or an ISO date
  --nbf DURATION|DATE  not before
  --iss ISS  --sub SUB  --jti ID  --aud AUD (repeatable)
  --no-iat             leave out "iat"
  --now DATE           the clock for iat/exp/nbf (ISO 8601 or NumericDate seconds; also TESSERA_NOW)

Nested JWT (sign, then encrypt)
  --sign-key KEY       the issuer's signing key (private key or secret; same sources as --key)
  --sign-alg ALG       the signature algorithm (default from the key, as in encode)
  --sign-kid KID       the inner JWS "kid" (default: the signing key's own)
  --sign-passphrase SRC  the passphrase of an encrypted PKCS#8 --sign-key

Output
  --json               {"token", "header"} (the protected header; the payload stays encrypted)
  -h, --help           this help

Exit codes
  0 encrypted   2 usage error (including a key that cannot encrypt with the algorithm)

Examples
  tessera keygen ECDH-ES+A256KW --out recipient
  tessera encrypt --jwt --key @recipient.public.json --sub 123 --claim email=jane@example.com --exp 15m
  tessera encrypt --key @recipient.public.json --sign-key @signing.private.json --sub 123 --aud api --exp 15m
  tessera encrypt @report.json --key @partner.pem --alg RSA-OAEP-256 --zip > report.jwe
  tessera keygen A256GCM --out session && echo 'hello' | tessera encrypt - --key @session.secret.json
  tessera encrypt @notes.txt --key env:PASSWORD --alg PBES2-HS512+A256KW
`;

const FLAGS = {
  key: { type: 'string' },
  alg: { type: 'string' },
  enc: { type: 'string' },
  zip: { type: 'boolean' },
  p2c: { type: 'string' },
  passphrase: { type: 'string' },
  'allow-weak-keys': { type: 'boolean' },
  kid: { type: 'string' },
  typ: { type: 'string' },
  cty: { type: 'string' },
  header: { type: 'string', multiple: true },
  jwt: { type: 'boolean' },
  ...CLAIM_FLAGS,
  now: { type: 'string' },
  'sign-key': { type: 'string' },
  'sign-alg': { type: 'string' },
  'sign-kid': { type: 'string' },
  'sign-passphrase': { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** --alg and --enc as given, or as the key implies them. */
function algorithmsFor(key: Key, alg: string | undefined, enc: string | undefined): { alg: string; enc: string } {
  const bound = boundAlgorithms(key.alg);
  if (alg === undefined) {
    if (bound === undefined)
      throw new UsageError(
        `--alg is required: ${missingAlgorithm(key).replace('; e.g.', '; name it, e.g.')}`,
        'encrypt',
      );
    alg = bound.alg;
  }
  // A secret generated for a content algorithm (keygen A128GCM) is a "dir" key for exactly that enc.
  return { alg, enc: enc ?? (alg === 'dir' ? bound?.enc : undefined) ?? 'A256GCM' };
}

function p2cFlag(args: Parsed, alg: string): number | undefined {
  const text = args.strings.get('p2c');
  if (text === undefined) return undefined;
  if (!alg.startsWith('PBES2')) throw new UsageError(`--p2c applies to PBES2 algorithms, not ${alg}`, 'encrypt');
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1000)
    throw new UsageError('--p2c must be an integer of at least 1000', 'encrypt');
  return n;
}

export async function run(argv: readonly string[]): Promise<number> {
  const args = parse('encrypt', argv, FLAGS, [0, 1]);
  const now = resolveNow(args.strings.get('now'), 'encrypt');
  const alg = args.strings.has('alg')
    ? checkKeyManagement([args.strings.get('alg')!], '--alg', 'encrypt')[0]
    : undefined;
  const enc = args.strings.has('enc') ? checkContentEncryption([args.strings.get('enc')!], 'encrypt')[0] : undefined;
  const nested = args.strings.has('sign-key');
  for (const flag of ['sign-alg', 'sign-kid', 'sign-passphrase']) {
    if (args.strings.has(flag) && !nested)
      throw new UsageError(`--${flag} applies to --sign-key (a nested JWT: signed, then encrypted)`, 'encrypt');
  }
  const signAlg = args.strings.has('sign-alg')
    ? checkAlgorithms([args.strings.get('sign-alg')!], 'encrypt', '--sign-alg')[0]
    : undefined;
  if (nested && args.strings.has('cty') && args.strings.get('cty') !== 'JWT')
    throw new UsageError('a nested JWT has cty "JWT"; leave out --cty', 'encrypt');
  const jwt = args.booleans.has('jwt') || nested || hasClaimFlags(args);
  const header = headerFlags(args, 'encrypt', { alg: 'use --alg', enc: 'use --enc', zip: 'use --zip' }, [
    'kid',
    'typ',
    'cty',
  ]);

  let plaintext: Buffer | undefined;
  let payload: Record<string, unknown> = {};
  let claims: ReturnType<typeof applyClaimFlags> | undefined;
  if (jwt) {
    payload = await readClaimsPayload(args.positionals[0], 'encrypt');
    claims = applyClaimFlags(args, payload, now, 'encrypt');
  } else {
    const input = await readPayloadBytes(args.positionals[0], 'encrypt');
    if (input === undefined)
      throw new UsageError(
        'missing PAYLOAD: tessera encrypt TEXT, @FILE or - (standard input); --jwt encrypts a claims set',
        'encrypt',
      );
    plaintext = input.bytes;
  }

  const loaded = await loadKey(args.strings.get('key'), {
    flag: '--key',
    command: 'encrypt',
    passphrase: args.strings.get('passphrase'),
  });
  const key = loaded.key as Key;
  const chosen = algorithmsFor(key, alg, enc);
  const options: EncryptJWEOptions = { alg: chosen.alg, enc: chosen.enc };
  const p2c = p2cFlag(args, chosen.alg);
  if (p2c !== undefined) options.p2c = p2c;
  if (args.booleans.has('zip')) options.zip = 'DEF';
  for (const name of ['kid', 'typ', 'cty'] as const) if (args.strings.has(name)) options[name] = args.strings.get(name);
  if (Object.keys(header).length > 0) options.header = header;
  if (args.booleans.has('allow-weak-keys')) options.allowWeakKeys = true;

  let signer: LoadedKey | undefined;
  let signOptions: SignOptions | undefined;
  if (nested) {
    signer = await loadKey(args.strings.get('sign-key'), {
      flag: '--sign-key',
      command: 'encrypt',
      passphrase: args.strings.get('sign-passphrase'),
      passphraseFlag: '--sign-passphrase',
    });
    signOptions = {};
    if (signAlg !== undefined) signOptions.algorithm = signAlg;
    if (args.strings.has('sign-kid')) signOptions.kid = args.strings.get('sign-kid');
    if (args.booleans.has('allow-weak-keys')) signOptions.allowWeakKeys = true;
  }

  let token: string;
  try {
    if (!jwt) token = encryptJWE(plaintext!, key, { ...options, serialization: 'compact' });
    else {
      const jwtOptions: EncryptJWTOptions = { ...options, ...claims };
      if (signer) jwtOptions.sign = { ...signOptions, key: signer.key as Key };
      token = encryptJWT(payload, key, jwtOptions);
    }
  } catch (err) {
    if (!(err instanceof JWTError || err instanceof TypeError)) throw err;
    // The library does not say which key failed; signing alone, in this error path only, tells.
    let label = loaded.label;
    let verb = 'encrypt';
    if (signer) {
      try {
        signJWT(payload, signer.key as Key, { ...signOptions, ...claims });
      } catch {
        [label, verb] = [signer.label, 'sign'];
      }
    }
    throw new UsageError(`cannot ${verb} with ${label}: ${cliMessage(err.message)}`, 'encrypt');
  }
  if (jwt && !willExpire(payload, claims!)) {
    const err = stderr();
    err.line(`${err.paint('yellow', 'warning:')} the token has no "exp" and never expires; add --exp, e.g. --exp 15m`);
  }
  if (args.booleans.has('json')) printJSON({ token, header: decodeProtectedHeader(token) });
  else stdout().line(token);
  return EXIT.OK;
}
