// tessera encode [PAYLOAD|@FILE|-] --key …: signs a JWT. Claims come from a JSON payload (argument,
// file or stdin), --claim NAME=VALUE, and the registered-claim flags (--exp, --iss, …); iat is added.
import { JWTError } from '../errors.js';
import { decodeJWT } from '../jwt/decode.js';
import { signJWT } from '../jwt/sign.js';
import { parseJSONObject } from '../lib/json.js';
import type { SignOptions } from '../types.js';
import { checkAlgorithms } from './alg.js';
import { parse, type Parsed, splitList, UsageError } from './args.js';
import { EXIT } from './commands.js';
import { readStdin } from './io.js';
import { loadKey, readSource } from './key-source.js';
import { printJSON, stderr, stdout } from './output.js';
import { parseDuration } from './duration.js';
import { parseInstant, resolveNow } from './time.js';
import { cliMessage } from './token-error.js';

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
  claim: { type: 'string', multiple: true },
  exp: { type: 'string' },
  nbf: { type: 'string' },
  iss: { type: 'string' },
  sub: { type: 'string' },
  jti: { type: 'string' },
  aud: { type: 'string', multiple: true },
  'no-iat': { type: 'boolean' },
  now: { type: 'string' },
  kid: { type: 'string' },
  typ: { type: 'string' },
  'no-typ': { type: 'boolean' },
  header: { type: 'string', multiple: true },
  json: { type: 'boolean' },
} as const;

const STRING_CLAIMS = new Set(['iss', 'sub', 'jti', 'aud']);
const TIME_CLAIMS = new Set(['exp', 'nbf', 'iat']);
const STRING_HEADERS = new Set(['kid', 'typ', 'cty', 'jku', 'x5u', 'x5t', 'x5t#S256']);
const JSON_LITERAL = /^(true|false|null|-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|[[{"].*)$/s;

function setOwn(target: Record<string, unknown>, name: string, value: unknown): void {
  // `__proto__` and friends are plain data here, as everywhere in Tessera.
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}

/** Parses `NAME=VALUE` / `NAME:=JSON` for --claim and --header. */
function parseAssignment(text: string, flag: string, strings: ReadonlySet<string>): [string, unknown] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UsageError(`${flag} takes NAME=VALUE (or NAME:=JSON), e.g. ${flag} sub=123`, 'encode');
  const forceJSON = text[eq - 1] === ':';
  const name = text.slice(0, forceJSON ? eq - 1 : eq);
  const raw = text.slice(eq + 1);
  if (name === '') throw new UsageError(`${flag}: the name before "=" is empty`, 'encode');
  const where = `${flag} ${name.length <= 40 ? name : `${name.slice(0, 40)}…`}`;
  if (forceJSON || (!strings.has(name) && !(flag === '--claim' && TIME_CLAIMS.has(name)) && JSON_LITERAL.test(raw))) {
    try {
      return [name, JSON.parse(raw)];
    } catch {
      throw new UsageError(`${where}: the value is not valid JSON${forceJSON ? '' : ` (write ${name}="…" in quotes, or use --claim ${name}:='"…"' for a string)`}`, 'encode');
    }
  }
  if (flag === '--claim' && TIME_CLAIMS.has(name)) {
    const date = parseInstant(raw);
    if (!date) throw new UsageError(`${where}: must be NumericDate seconds or an ISO 8601 date`, 'encode');
    return [name, Math.floor(date.getTime() / 1000)];
  }
  return [name, raw];
}

async function readPayload(arg: string | undefined): Promise<Record<string, unknown>> {
  if (arg === undefined) return {};
  let bytes: Buffer;
  let label = 'PAYLOAD';
  if (arg === '-') {
    bytes = await readStdin('PAYLOAD', 'encode');
    label = 'PAYLOAD from standard input';
  } else if (arg.startsWith('@')) {
    const source = await readSource(arg, { flag: 'PAYLOAD', command: 'encode' });
    bytes = source.bytes;
    label = `PAYLOAD ${arg}`;
  } else {
    bytes = Buffer.from(arg, 'utf8');
  }
  const parsed = parseJSONObject(bytes);
  if (typeof parsed === 'string') {
    const why = { utf8: 'is not valid UTF-8', syntax: 'is not valid JSON', not_object: 'is not a JSON object', duplicate: 'has a duplicate member name' }[parsed];
    throw new UsageError(`${label} ${why}${parsed === 'syntax' && arg !== '-' && !arg.startsWith('@') && !/^\s*[[{]/.test(arg) ? ' (a file needs @: encode @claims.json)' : ''}`, 'encode');
  }
  return parsed;
}

/** --exp / --nbf: a duration from now, or an absolute date (ISO 8601 or NumericDate with a date shape). */
function timeFlag(args: Parsed, flag: 'exp' | 'nbf'): { relative?: number; absolute?: number } | undefined {
  const value = args.strings.get(flag);
  if (value === undefined) return undefined;
  if (/^\d{4}-\d{2}-\d{2}/.test(value.trim())) {
    const date = parseInstant(value);
    if (!date) throw new UsageError(`--${flag}: not a valid ISO 8601 date`, 'encode');
    return { absolute: Math.floor(date.getTime() / 1000) };
  }
  const seconds = parseDuration(value, `--${flag}`, 'encode', flag === 'nbf');
  if (flag === 'exp' && seconds === 0) throw new UsageError('--exp 0 makes a token that is already expired', 'encode');
  return { relative: seconds };
}

export async function run(argv: readonly string[]): Promise<number> {
  const args = parse('encode', argv, FLAGS, [0, 1]);
  const now = resolveNow(args.strings.get('now'), 'encode');
  const alg = args.strings.has('alg') ? checkAlgorithms([args.strings.get('alg')!], 'encode')[0] : undefined;
  if (args.strings.has('typ') && args.booleans.has('no-typ')) throw new UsageError('--typ and --no-typ cannot be combined', 'encode');

  const payload = await readPayload(args.positionals[0]);
  const fromClaim = new Set<string>();
  for (const text of args.lists.get('claim') ?? []) {
    const [name, value] = parseAssignment(text, '--claim', STRING_CLAIMS);
    if (fromClaim.has(name)) throw new UsageError(`--claim ${name} is given twice`, 'encode');
    fromClaim.add(name);
    setOwn(payload, name, value);
  }
  const header: Record<string, unknown> = {};
  for (const text of args.lists.get('header') ?? []) {
    const [name, value] = parseAssignment(text, '--header', STRING_HEADERS);
    if (name === 'alg') throw new UsageError('--header cannot set "alg"; use --alg', 'encode');
    if (Object.hasOwn(header, name)) throw new UsageError(`--header ${name} is given twice`, 'encode');
    setOwn(header, name, value);
  }
  for (const [flag, name] of [['kid', 'kid'], ['typ', 'typ']] as const) {
    if (args.strings.has(flag) && Object.hasOwn(header, name)) throw new UsageError(`--${flag} and --header ${name}=… cannot be combined`, 'encode');
  }

  // A registered-claim flag replaces the payload's claim; with a --claim of the same name it is ambiguous.
  const options: SignOptions = { currentDate: now, issuedAt: !args.booleans.has('no-iat') };
  const claimFlags = [['iss', 'issuer'], ['sub', 'subject'], ['jti', 'jwtId']] as const;
  for (const [flag, option] of claimFlags) {
    const value = args.strings.get(flag);
    if (value === undefined) continue;
    if (fromClaim.has(flag)) throw new UsageError(`--${flag} and --claim ${flag}=… cannot be combined`, 'encode');
    delete payload[flag];
    options[option] = value;
  }
  const audiences = args.lists.get('aud');
  if (audiences !== undefined) {
    if (fromClaim.has('aud')) throw new UsageError('--aud and --claim aud=… cannot be combined', 'encode');
    delete payload.aud;
    const list = splitList(audiences);
    options.audience = list.length === 1 ? list[0] : list;
  }
  for (const flag of ['exp', 'nbf'] as const) {
    const t = timeFlag(args, flag);
    if (!t) continue;
    if (fromClaim.has(flag)) throw new UsageError(`--${flag} and --claim ${flag}=… cannot be combined`, 'encode');
    delete payload[flag];
    if (t.absolute !== undefined) setOwn(payload, flag, t.absolute);
    else if (flag === 'exp') options.expiresIn = t.relative;
    else options.notBefore = t.relative;
  }
  if (args.booleans.has('no-iat')) {
    if (fromClaim.has('iat')) throw new UsageError('--no-iat and --claim iat=… cannot be combined', 'encode');
    delete payload.iat;
  }
  if (alg !== undefined) options.algorithm = alg;
  if (args.strings.has('kid')) options.kid = args.strings.get('kid');
  if (args.strings.has('typ')) options.typ = args.strings.get('typ');
  if (args.booleans.has('no-typ')) options.typ = null;
  if (Object.keys(header).length > 0) options.header = header;
  if (args.booleans.has('allow-weak-keys')) options.allowWeakKeys = true;

  const loaded = await loadKey(args.strings.get('key'), { flag: '--key', command: 'encode', passphrase: args.strings.get('passphrase') });
  let token: string;
  try {
    token = signJWT(payload, loaded.key as never, options);
  } catch (err) {
    if (err instanceof JWTError || err instanceof TypeError) throw new UsageError(`cannot sign with ${loaded.label}: ${cliMessage(err.message)}`, 'encode');
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
