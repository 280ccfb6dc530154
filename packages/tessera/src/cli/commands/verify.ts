// tessera verify [TOKEN|-] --key …|--jwks …: the signature and the claims, as verifyJWT checks them.
// Exit 0 valid, 1 invalid (reason, error code and a hint naming the flag that would change the outcome),
// 2 usage. Keys from the token (jku, x5u, jwk, x5c) are never used: only --key or --jwks.
import { JWTError } from '../../errors.js';
import { Key } from '../../jwk/key.js';
import { JWKSet } from '../../jwks/set.js';
import { verifyJWT } from '../../jwt/verify.js';
import type { JWSHeader, JWTPayload, KeyResolver, VerifyOptions } from '../../types.js';
import { CLAIM_CHECK_FLAGS, parse, splitList, UsageError } from '../args.js';
import { checkAlgorithms } from '../alg.js';
import { hintFor } from '../claim-hint.js';
import { EXIT } from '../exit.js';
import { readToken } from '../io.js';
import { loadKey, readSource } from '../key-source.js';
import { jsonString, printJSON, stdout } from '../output.js';
import { analyseTimes, analyseWarnings, renderReport, timesObject } from '../report.js';
import { parseDuration } from '../duration.js';
import { isoDate, resolveNow } from '../time.js';
import { printTokenError } from '../token-error.js';

export const help = `tessera verify — verify a token's signature and claims

Usage
  tessera verify [TOKEN | -] (--key KEY | --jwks @FILE|URL) [--alg ALG]… [checks] [--json]

  The token is the argument, or standard input with "-" or when input is piped.

Key (one of)
  --key KEY            a secret, PEM (public or private key, certificate), OpenSSH public key, JWK or
                       JWK Set, from @FILE, env:NAME, - (stdin), b64:DATA; omitted on a terminal: prompt
  --jwks @FILE|URL     a JWK Set file, or an https:// jwks_uri (fetched with a 5 s timeout); the token's
                       "kid" picks the key
  --allow-http         allow an http:// --jwks URL (local development only: keys over plain HTTP can be swapped)
  --passphrase SRC     the passphrase of an encrypted PKCS#8 --key (@FILE, env:NAME, -)

Checks
  --alg ALG            accepted algorithms (repeat or comma-separate); required unless the key names its
                       "alg" (a JWK or generated key does). "none" is never accepted.
  --aud AUD            accepted audience (repeatable); a token with "aud" fails without it
  --iss ISS            accepted issuer (repeatable, exact match)
  --sub SUB            the expected subject
  --require CLAIM      a claim that must be present (repeatable or comma-separated)
  --typ TYP            the expected "typ" header, e.g. at+jwt (RFC 8725 explicit typing)
  --leeway DURATION    clock skew tolerated for exp, nbf and iat: 30, 30s, 2m
  --max-age DURATION   the token's maximum age from "iat": 15m, 1h
  --allow-weak-keys    accept HMAC secrets shorter than the hash and RSA keys under 2048 bits
  --now DATE           verify as of DATE (ISO 8601 or NumericDate seconds; also TESSERA_NOW)

Output
  --json               {"valid": true, header, payload, times, warnings} or {"valid": false, error, hint}
  -q, --quiet          print nothing; only the exit code tells
  -h, --help           this help

Exit codes
  0 valid   1 invalid (the reason and its code, e.g. ERR_JWT_EXPIRED, go to stderr)   2 usage error

Examples
  tessera verify "$TOKEN" --key @public.pem --alg ES256 --aud https://api.example.com
  tessera verify "$TOKEN" --key env:JWT_SECRET --alg HS256 --leeway 30s
  tessera verify "$TOKEN" --jwks https://auth.example.com/.well-known/jwks.json --alg RS256 --iss https://auth.example.com
  echo "$TOKEN" | tessera verify --key @signing.public.json --json
`;

const FLAGS = {
  key: { type: 'string' },
  jwks: { type: 'string' },
  'allow-http': { type: 'boolean' },
  passphrase: { type: 'string' },
  alg: { type: 'string', multiple: true },
  ...CLAIM_CHECK_FLAGS,
  'allow-weak-keys': { type: 'boolean' },
  now: { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
} as const;

type VerificationKey = Key | JWKSet | KeyResolver;

async function resolveKey(
  args: ReturnType<typeof parse>,
): Promise<{ key: VerificationKey; flag: string; remote: boolean }> {
  const keySpec = args.strings.get('key');
  const jwksSpec = args.strings.get('jwks');
  if (keySpec !== undefined && jwksSpec !== undefined)
    throw new UsageError('--key and --jwks cannot be combined; give one', 'verify');
  if (args.booleans.has('allow-http') && !(jwksSpec ?? '').startsWith('http://')) {
    throw new UsageError('--allow-http only applies to an http:// --jwks URL', 'verify');
  }
  if (jwksSpec === undefined) {
    const loaded = await loadKey(keySpec, {
      flag: '--key',
      command: 'verify',
      allowSet: true,
      passphrase: args.strings.get('passphrase'),
    });
    return { key: loaded.key, flag: '--key', remote: false };
  }
  if (args.strings.has('passphrase')) throw new UsageError('--passphrase applies to --key, not --jwks', 'verify');
  if (/^https?:\/\//i.test(jwksSpec)) {
    let url: URL;
    try {
      url = new URL(jwksSpec);
    } catch {
      throw new UsageError('--jwks is not a valid URL', 'verify');
    }
    if (url.protocol === 'http:' && !args.booleans.has('allow-http')) {
      throw new UsageError(
        '--jwks must be an https:// URL; add --allow-http for a local http:// endpoint (keys over plain HTTP can be swapped in transit)',
        'verify',
      );
    }
    if (url.username !== '' || url.password !== '')
      throw new UsageError('--jwks URL must not contain credentials', 'verify');
    const { createRemoteJWKSet } = await import('../../jwks/remote.js'); // the HTTP client only when a URL is given
    return { key: createRemoteJWKSet(url, { allowHttp: url.protocol === 'http:' }), flag: '--jwks', remote: true };
  }
  const source = await readSource(jwksSpec, { flag: '--jwks', command: 'verify' });
  const text = source.bytes.toString('utf8');
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new UsageError(`${source.label}: not JSON (a JWK Set is {"keys": [...]})`, 'verify');
  }
  if (document === null || typeof document !== 'object' || !Array.isArray((document as { keys?: unknown }).keys)) {
    throw new UsageError(
      `${source.label}: not a JWK Set (no "keys" array)${typeof (document as { kty?: unknown } | null)?.kty === 'string' ? '; for a single JWK use --key' : ''}`,
      'verify',
    );
  }
  try {
    return { key: JWKSet.from(text), flag: '--jwks', remote: false };
  } catch (err) {
    if (err instanceof JWTError) throw new UsageError(`${source.label}: ${err.message}`, 'verify');
    throw err;
  }
}

function keyAlgorithms(key: VerificationKey): string[] | undefined {
  if (key instanceof Key) return key.alg === undefined ? undefined : [key.alg];
  if (key instanceof JWKSet)
    return key.keys.every((k) => k.alg !== undefined) ? [...new Set(key.keys.map((k) => k.alg!))] : undefined;
  return undefined;
}

export async function run(argv: readonly string[]): Promise<number> {
  const args = parse('verify', argv, FLAGS, [0, 1]);
  const json = args.booleans.has('json');
  const quiet = args.booleans.has('quiet');
  if (json && quiet) throw new UsageError('--json and --quiet cannot be combined', 'verify');
  const algorithms = checkAlgorithms(splitList(args.lists.get('alg')), 'verify');
  const leeway = args.strings.has('leeway')
    ? parseDuration(args.strings.get('leeway')!, '--leeway', 'verify')
    : undefined;
  const maxAge = args.strings.has('max-age')
    ? parseDuration(args.strings.get('max-age')!, '--max-age', 'verify')
    : undefined;
  const now = resolveNow(args.strings.get('now'), 'verify');
  const audiences = args.lists.get('aud') ?? [];
  const issuers = args.lists.get('iss') ?? [];
  for (const [flag, values] of [
    ['--aud', audiences],
    ['--iss', issuers],
  ] as const) {
    if (values.some((v) => v === '')) throw new UsageError(`${flag} is empty`, 'verify');
  }
  const token = await readToken(args.positionals[0], 'verify');
  const { key, flag, remote } = await resolveKey(args);
  const bound = keyAlgorithms(key);
  if (algorithms.length === 0 && bound === undefined) {
    throw new UsageError(
      remote
        ? '--alg is required with a remote --jwks: name the algorithms you accept, e.g. --alg RS256'
        : `--alg is required: the key given with ${flag} does not name its algorithm; name the ones you accept, e.g. --alg ES256`,
      'verify',
    );
  }
  const options: VerifyOptions & { complete: true } = {
    algorithms: algorithms.length > 0 ? algorithms : undefined,
    audience: audiences.length === 0 ? undefined : audiences.length === 1 ? audiences[0] : [...audiences],
    issuer: issuers.length === 0 ? undefined : [...issuers],
    subject: args.strings.get('sub'),
    requiredClaims: args.lists.has('require') ? splitList(args.lists.get('require')) : undefined,
    typ: args.strings.get('typ'),
    clockTolerance: leeway,
    maxTokenAge: maxAge,
    currentDate: now,
    allowWeakKeys: args.booleans.has('allow-weak-keys') || undefined,
    complete: true,
  };
  let result: { header: JWSHeader; payload: JWTPayload };
  try {
    result = await verifyJWT(token, key as JWKSet, options);
  } catch (err) {
    if (err instanceof TypeError) throw new UsageError(err.message, 'verify');
    if (!(err instanceof JWTError)) throw err;
    if (quiet) return EXIT.INVALID;
    return printTokenError(
      err,
      json,
      'verify',
      hintFor(err, {
        token,
        flag,
        algorithms: algorithms.length > 0 ? algorithms : (bound ?? []),
        audiences,
        issuers,
        subject: options.subject,
        now,
        leeway,
      }),
    );
  }
  if (quiet) return EXIT.OK;
  const nowSeconds = now.getTime() / 1000;
  const times = analyseTimes(result.payload, nowSeconds);
  const warnings = analyseWarnings(result.header, result.payload, nowSeconds);
  if (json) {
    printJSON({ valid: true, header: result.header, payload: result.payload, times: timesObject(times), warnings });
    return EXIT.OK;
  }
  const out = stdout();
  const kid = typeof result.header.kid === 'string' ? `, kid ${jsonString(result.header.kid)}` : '';
  // The alg passed the allowlist, so it is one of the known names and safe to print as is.
  const title = `${out.paint(['bold', 'green'], 'Valid')}: the ${result.header.alg} signature${kid} and the claims check out as of ${isoDate(nowSeconds)}`;
  out.line(
    renderReport(out, {
      title,
      headerTitle: 'Header',
      header: result.header,
      payload: result.payload,
      times,
      warnings,
    }),
  );
  return EXIT.OK;
}
