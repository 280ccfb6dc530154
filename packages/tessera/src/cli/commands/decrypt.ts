// tessera decrypt [TOKEN|-] --key … --alg …: a JWE's plaintext (decryptJWE), or — with --jwt,
// --verify-key or a claim check — an encrypted JWT's claims, validated like `verify` validates them
// (decryptJWT; a nested token's inner signature is verified with --verify-key first). Both allowlists
// apply before the key is used; PBES2 only when --alg names it. Exit 0 decrypted (and, for a JWT,
// valid), 1 invalid or failed decryption (reason, error code, a hint naming the flag), 2 usage.
import { DecodeError, JWTError } from '../../errors.js';
import { type DecryptedJWE, type DecryptJWEOptions, decryptJWE } from '../../jwe/decrypt.js';
import { Key } from '../../jwk/key.js';
import { JWKSet } from '../../jwks/set.js';
import { decodeJWT, decodeProtectedHeader } from '../../jwt/decode.js';
import { type DecryptedJWT, type DecryptJWTOptions, decryptJWT } from '../../jwt/decrypt.js';
import type { FlattenedJWE, GeneralJWE } from '../../types.js';
import { checkAlgorithms } from '../alg.js';
import { CLAIM_CHECK_FLAGS, parse, type Parsed, splitList, UsageError } from '../args.js';
import { excerpt, hintFor } from '../claim-hint.js';
import { EXIT } from '../exit.js';
import { parseDuration } from '../duration.js';
import { readToken } from '../io.js';
import { boundAlgorithms, checkContentEncryption, checkKeyManagement, missingAlgorithm } from '../jwe-alg.js';
import { type LoadedKey, loadKey } from '../key-source.js';
import { isTerminal, jsonString, printJSON, safeText, stdout } from '../output.js';
import { analyseTimes, analyseWarnings, renderReport, timesObject, type Warning } from '../report.js';
import { isoDate, resolveNow } from '../time.js';
import { printTokenError } from '../token-error.js';

export const help = `tessera decrypt — decrypt a JWE, or decrypt and validate an encrypted JWT

Usage
  tessera decrypt [TOKEN | -] --key KEY [--alg ALG]… [--enc ENC]… [--raw | --json]
  tessera decrypt [TOKEN | -] --jwt --key KEY [--alg ALG]… [checks] [--json]
  tessera decrypt [TOKEN | -] --key KEY --verify-key KEY [--verify-alg ALG]… [checks] [--json]

  The token is the argument, or standard input with "-" or when input is piped (a compact JWE, or for
  a plain JWE also the flattened or general JSON serialization). Without --jwt the plaintext is shown:
  JSON pretty-printed with the protected header, text escaped, binary described (--raw writes the bytes
  as they are). With --jwt, --verify-key or any check flag the plaintext must be a claims set, or a
  signed JWT (cty "JWT") that --verify-key verifies; its claims are checked as "tessera verify" does.

Key (the recipient's)
  --key KEY            a private key (PEM, JWK) for RSA-OAEP* and ECDH-ES*, a secret for dir, A*KW,
                       A*GCMKW, a password for PBES2-*, or a JWK Set; from @FILE, env:NAME, - (stdin)
                       or b64:DATA; omitted on a terminal: prompt. A literal secret works, with a warning.
  --alg ALG            accepted key management algorithms (repeat or comma-separate); required unless
                       the key names its "alg" (a generated key does). PBES2 only when named here.
  --enc ENC            accepted content encryption algorithms (default: all six AES-GCM and
                       AES-CBC-HMAC; a "dir" secret made for one enc accepts that one)
  --max-p2c N          the most PBES2 iterations accepted (default 10000): each is work the sender chooses
  --passphrase SRC     the passphrase of an encrypted PKCS#8 --key (@FILE, env:NAME, -)
  --allow-weak-keys    accept RSA keys under 2048 bits (and short HMAC secrets for --verify-key)

Nested JWT (signed, then encrypted)
  --verify-key KEY     the issuer's public key, secret or JWK Set, to verify the inner signature
  --verify-alg ALG     accepted signature algorithms (required unless --verify-key names its "alg")

Checks (imply --jwt; as in "tessera verify")
  --jwt                the plaintext is a claims set: validate it and print the claims
  --aud AUD  --iss ISS (repeatable)  --sub SUB  --require CLAIM  --typ TYP
  --leeway DURATION    clock skew tolerated for exp, nbf and iat: 30, 30s, 2m
  --max-age DURATION   the token's maximum age from "iat"
  --now DATE           check as of DATE (ISO 8601 or NumericDate seconds; also TESSERA_NOW)

Output
  --raw                the plaintext bytes exactly as decrypted (refused on a terminal when binary)
  --json               {"header", "payload" | "plaintext" | "plaintextBase64url"}; with --jwt
                       {"header", "innerHeader", "payload", "times", "warnings"}; on failure {"error", "hint"}
  -h, --help           this help

Exit codes
  0 decrypted (and valid)   1 invalid or not decryptable (the reason and its code, e.g.
  ERR_JWE_DECRYPTION_FAILED, go to stderr)   2 usage error

Examples
  tessera decrypt "$TOKEN" --key @recipient.private.json
  tessera decrypt "$TOKEN" --key @recipient.private.json --verify-key @signing.public.json --aud api
  tessera decrypt "$TOKEN" --key @private.pem --alg RSA-OAEP-256 --enc A256GCM --jwt --leeway 30s
  tessera decrypt - --key env:PASSWORD --alg PBES2-HS512+A256KW --raw < notes.jwe > notes.txt
  echo "$TOKEN" | tessera decrypt --key @session.secret.json --json | jq .payload
`;

const CHECK_FLAGS = ['aud', 'iss', 'sub', 'require', 'typ', 'leeway', 'max-age'] as const;

const FLAGS = {
  key: { type: 'string' },
  passphrase: { type: 'string' },
  alg: { type: 'string', multiple: true },
  enc: { type: 'string', multiple: true },
  'max-p2c': { type: 'string' },
  'allow-weak-keys': { type: 'boolean' },
  jwt: { type: 'boolean' },
  'verify-key': { type: 'string' },
  'verify-alg': { type: 'string', multiple: true },
  ...CLAIM_CHECK_FLAGS,
  now: { type: 'string' },
  raw: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

const given = (args: Parsed, name: string) => args.strings.has(name) || args.lists.has(name) || args.booleans.has(name);

/** The allowlists --key implies when --alg is not given (as decryptJWE derives them), or undefined. */
function impliedAlgorithms(key: Key | JWKSet): { algs: string[]; encs: string[] } | undefined {
  const keys = key instanceof JWKSet ? key.keys : [key];
  const bound = keys.map((k) => boundAlgorithms(k.alg));
  if (keys.length === 0 || bound.some((b) => b === undefined)) return undefined;
  const encs = bound.map((b) => b!.enc);
  return {
    algs: [...new Set(bound.map((b) => b!.alg))],
    encs: encs.every((e) => e !== undefined) ? [...new Set(encs as string[])] : [],
  };
}

function missingAlg(key: Key | JWKSet): never {
  const sample = key instanceof JWKSet ? key.keys.find((k) => boundAlgorithms(k.alg) === undefined) : key;
  const why = sample ? missingAlgorithm(sample) : 'the JWK Set given with --key is empty; e.g. --alg ECDH-ES+A256KW';
  throw new UsageError(
    `--alg is required: ${why.replace('; e.g.', '; name the algorithms you accept, e.g.')}`,
    'decrypt',
  );
}

/** The JWS algorithms --verify-key names (every key of a set must name one), or undefined. */
function signatureAlgorithms(key: Key | JWKSet): string[] | undefined {
  if (key instanceof Key) return key.alg === undefined ? undefined : [key.alg];
  return key.keys.every((k) => k.alg !== undefined) ? [...new Set(key.keys.map((k) => k.alg!))] : undefined;
}

function positiveInteger(args: Parsed, name: string): number | undefined {
  const text = args.strings.get(name);
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1)
    throw new UsageError(`--${name} must be a positive integer`, 'decrypt');
  return n;
}

interface Context {
  readonly token: string;
  readonly key: LoadedKey;
  readonly jweOptions: DecryptJWEOptions;
  readonly verifier: LoadedKey | undefined;
  readonly verifyAlgs: readonly string[];
  readonly args: Parsed;
  readonly now: Date;
  readonly leeway: number | undefined;
}

/** A hint for a failure of the JWE layer: allowlists, key, decryption. */
function jweHint(err: JWTError, c: Context): string | undefined {
  let h: Record<string, unknown> = {};
  try {
    if (!c.token.startsWith('{')) h = decodeProtectedHeader(c.token) as Record<string, unknown>;
  } catch {
    // A token whose header does not decode gets no hint beyond the error itself.
  }
  const algs = c.jweOptions.keyManagementAlgorithms ?? [];
  const encs = c.jweOptions.contentEncryptionAlgorithms;
  switch (err.code) {
    case 'ERR_JWT_ALG_NOT_ALLOWED':
      if (typeof h.alg === 'string' && !algs.includes(h.alg))
        return `the token's key management algorithm is ${excerpt(h.alg)}; --alg allows ${algs.join(', ')}`;
      if (encs !== undefined && typeof h.enc === 'string' && !encs.includes(h.enc))
        return `the token's content encryption is ${excerpt(h.enc)}; --enc allows ${encs.join(', ')}`;
      return undefined;
    case 'ERR_JWE_DECRYPTION_FAILED':
      if (/p2c/.test(err.message))
        return `the token asks for ${excerpt(h.p2c)} PBES2 iterations; --max-p2c raises the limit (${c.jweOptions.maxPbes2Count ?? 10000}) for a sender you trust`;
      return 'the token was not encrypted to the key given with --key, or it was altered';
    case 'ERR_KEY_INVALID':
    case 'ERR_JWK_INVALID':
      if (/allowWeakKeys|--allow-weak-keys/.test(err.message))
        return `the key given with --key is too weak for ${excerpt(h.alg)}; --allow-weak-keys accepts it (for tests only)`;
      return `the key given with --key cannot decrypt this ${excerpt(h.alg)} token`;
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return `no key in --key fits the token's ${excerpt(h.alg)}${typeof h.kid === 'string' ? ` and kid ${excerpt(h.kid)}` : ''}`;
    case 'ERR_JWT_MALFORMED':
      return c.token.split('.').length === 3
        ? 'this is a signed token (JWS), not an encrypted one: tessera verify checks it'
        : undefined;
    default:
      return undefined;
  }
}

const isNestedJWT = (header: Record<string, unknown>) =>
  typeof header.cty === 'string' && ['jwt', 'application/jwt'].includes(header.cty.toLowerCase());

/**
 * A hint for a decryptJWT failure. The library does not say which layer failed; decrypting the JWE
 * alone (in this error path only) tells, and gives the claims the claim hints of `verify` explain.
 */
async function jwtHint(err: JWTError, c: Context): Promise<string | undefined> {
  let outer: DecryptedJWE;
  try {
    outer = decryptJWE(c.token, c.key.key, c.jweOptions);
  } catch {
    return jweHint(err, c);
  }
  const header = outer.protectedHeader as Record<string, unknown>;
  const text = Buffer.from(outer.plaintext).toString('utf8');
  const nested = isNestedJWT(header);
  if (err.code === 'ERR_JWT_MALFORMED' && nested && !c.verifier) {
    return 'the token is signed, then encrypted (cty "JWT"): --verify-key (with --verify-alg) verifies the inner token; without --jwt, decrypt shows it';
  }
  if (err.code === 'ERR_JWT_MALFORMED' && !nested && c.verifier)
    return 'the token holds a claims set, not a signed JWT (no cty "JWT"): leave out --verify-key';
  let decoded: { header: Record<string, unknown>; payload: Record<string, unknown> } | undefined;
  try {
    decoded = nested ? decodeJWT(text) : { header, payload: JSON.parse(text) as Record<string, unknown> };
  } catch {
    return undefined;
  }
  const audiences = c.args.lists.get('aud') ?? [];
  const issuers = c.args.lists.get('iss') ?? [];
  return hintFor(err, {
    token: c.token,
    decoded,
    flag: nested ? '--verify-key' : '--key',
    algFlag: '--verify-alg',
    algorithms: c.verifyAlgs.length > 0 ? c.verifyAlgs : (c.verifier && signatureAlgorithms(c.verifier.key)) || [],
    audiences,
    issuers,
    subject: c.args.strings.get('sub'),
    now: c.now,
    leeway: c.leeway,
  });
}

export async function run(argv: readonly string[]): Promise<number> {
  const args = parse('decrypt', argv, FLAGS, [0, 1]);
  const json = args.booleans.has('json');
  const raw = args.booleans.has('raw');
  if (json && raw) throw new UsageError('--json and --raw cannot be combined', 'decrypt');
  const algs = checkKeyManagement(splitList(args.lists.get('alg')), '--alg', 'decrypt');
  const encs = checkContentEncryption(splitList(args.lists.get('enc')), 'decrypt');
  const verifyAlgs = checkAlgorithms(splitList(args.lists.get('verify-alg')), 'decrypt', '--verify-alg');
  const nested = args.strings.has('verify-key');
  if (verifyAlgs.length > 0 && !nested)
    throw new UsageError('--verify-alg applies to --verify-key (a nested JWT: signed, then encrypted)', 'decrypt');
  const jwt = args.booleans.has('jwt') || nested || CHECK_FLAGS.some((name) => given(args, name));
  if (raw && jwt)
    throw new UsageError(
      "--raw writes a JWE's plaintext; with --jwt, --verify-key or a check flag the claims are printed",
      'decrypt',
    );
  const leeway = args.strings.has('leeway')
    ? parseDuration(args.strings.get('leeway')!, '--leeway', 'decrypt')
    : undefined;
  const maxAge = args.strings.has('max-age')
    ? parseDuration(args.strings.get('max-age')!, '--max-age', 'decrypt')
    : undefined;
  const maxP2c = positiveInteger(args, 'max-p2c');
  const now = resolveNow(args.strings.get('now'), 'decrypt');
  for (const name of ['aud', 'iss'] as const) {
    if ((args.lists.get(name) ?? []).some((v) => v === '')) throw new UsageError(`--${name} is empty`, 'decrypt');
  }

  const token = await readToken(args.positionals[0], 'decrypt');
  let input: string | FlattenedJWE | GeneralJWE = token;
  if (token.startsWith('{')) {
    if (jwt)
      throw new UsageError(
        'an encrypted JWT is a compact token (five dot-separated parts), not a JSON serialization',
        'decrypt',
      );
    try {
      input = JSON.parse(token) as FlattenedJWE;
    } catch {
      return printTokenError(new DecodeError('the JWE JSON serialization is not valid JSON'), json, 'decrypt');
    }
  }
  const key = await loadKey(args.strings.get('key'), {
    flag: '--key',
    command: 'decrypt',
    allowSet: true,
    passphrase: args.strings.get('passphrase'),
  });
  let keyAlgs = algs;
  let contentAlgs = encs;
  if (keyAlgs.length === 0) {
    const implied = impliedAlgorithms(key.key) ?? missingAlg(key.key);
    keyAlgs = implied.algs;
    if (contentAlgs.length === 0) contentAlgs = implied.encs;
  }
  const jweOptions: DecryptJWEOptions = { keyManagementAlgorithms: keyAlgs };
  if (contentAlgs.length > 0) jweOptions.contentEncryptionAlgorithms = contentAlgs;
  if (maxP2c !== undefined) jweOptions.maxPbes2Count = maxP2c;
  if (args.booleans.has('allow-weak-keys')) jweOptions.allowWeakKeys = true;

  let verifier: LoadedKey | undefined;
  if (nested) {
    verifier = await loadKey(args.strings.get('verify-key'), {
      flag: '--verify-key',
      command: 'decrypt',
      allowSet: true,
    });
    if (verifyAlgs.length === 0 && signatureAlgorithms(verifier.key) === undefined) {
      throw new UsageError(
        '--verify-alg is required: the key given with --verify-key does not name its algorithm; name the ones you accept, e.g. --verify-alg ES256',
        'decrypt',
      );
    }
  }
  const context: Context = { token, key, jweOptions, verifier, verifyAlgs, args, now, leeway };
  return jwt ? decryptClaims(context, maxAge, json) : decryptPlaintext(context, input, json, raw);
}

async function decryptClaims(c: Context, maxAge: number | undefined, json: boolean): Promise<number> {
  const { args } = c;
  const audiences = args.lists.get('aud') ?? [];
  const issuers = args.lists.get('iss') ?? [];
  const options: DecryptJWTOptions & { complete: true } = {
    ...c.jweOptions,
    audience: audiences.length === 0 ? undefined : audiences.length === 1 ? audiences[0] : [...audiences],
    issuer: issuers.length === 0 ? undefined : [...issuers],
    subject: args.strings.get('sub'),
    requiredClaims: args.lists.has('require') ? splitList(args.lists.get('require')) : undefined,
    typ: args.strings.get('typ'),
    clockTolerance: c.leeway,
    maxTokenAge: maxAge,
    currentDate: c.now,
    complete: true,
  };
  if (c.verifier) {
    options.nested = {
      key: c.verifier.key,
      algorithms: c.verifyAlgs.length > 0 ? [...c.verifyAlgs] : undefined,
      allowWeakKeys: c.jweOptions.allowWeakKeys,
    };
  }
  let result: DecryptedJWT;
  try {
    result = decryptJWT(c.token, c.key.key, options);
  } catch (err) {
    if (err instanceof TypeError) throw new UsageError(err.message, 'decrypt');
    if (!(err instanceof JWTError)) throw err;
    return printTokenError(err, json, 'decrypt', await jwtHint(err, c));
  }
  const nowSeconds = c.now.getTime() / 1000;
  const header = result.header as unknown as Record<string, unknown>;
  const inner = result.innerHeader as Record<string, unknown> | undefined;
  const times = analyseTimes(result.payload, nowSeconds);
  const warnings = mergeWarnings(
    analyseWarnings(header, result.payload, nowSeconds),
    inner && analyseWarnings(inner, undefined, nowSeconds),
  );
  if (json) {
    printJSON({
      header,
      ...(inner ? { innerHeader: inner } : {}),
      payload: result.payload,
      times: timesObject(times),
      warnings,
    });
    return EXIT.OK;
  }
  const out = stdout();
  const kid = typeof header.kid === 'string' ? `, kid ${jsonString(header.kid)}` : '';
  // alg, enc and the inner alg passed their allowlists, so they are known names and safe to print.
  const signed = inner ? `, the inner ${String(inner.alg)} signature verified with --verify-key` : '';
  const title = `${out.paint(['bold', 'green'], 'Valid')}: decrypted (${String(header.alg)}, ${String(header.enc)}${kid})${signed}, and the claims check out as of ${isoDate(nowSeconds)}`;
  const moreHeaders = inner ? [{ title: 'Inner header (JWS)', header: inner }] : [];
  out.line(
    renderReport(out, {
      title,
      headerTitle: 'Protected header (JWE)',
      header,
      moreHeaders,
      payload: result.payload,
      times,
      warnings,
    }),
  );
  return EXIT.OK;
}

function mergeWarnings(outer: Warning[], inner: Warning[] | undefined): Warning[] {
  if (!inner) return outer;
  return [
    ...outer,
    ...inner
      .filter((w) => !outer.some((o) => o.code === w.code))
      .map((w) => ({ code: w.code, message: `inner JWS: ${w.message}` })),
  ];
}

async function decryptPlaintext(
  c: Context,
  input: string | FlattenedJWE | GeneralJWE,
  json: boolean,
  raw: boolean,
): Promise<number> {
  let result: DecryptedJWE;
  try {
    result = decryptJWE(input, c.key.key, c.jweOptions);
  } catch (err) {
    if (err instanceof TypeError) throw new UsageError(err.message, 'decrypt');
    if (!(err instanceof JWTError)) throw err;
    return printTokenError(err, json, 'decrypt', jweHint(err, c));
  }
  const compact = typeof input === 'string';
  // For a JSON serialization, the header that applied (protected ∪ shared ∪ per-recipient) is shown.
  const header = (compact ? result.protectedHeader : result.header) as Record<string, unknown>;
  const bytes = Buffer.from(result.plaintext);
  let text: string | undefined;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = undefined;
  }
  if (raw) {
    // Bytes that could drive a terminal (escape sequences) or garble it go only to a file or a pipe.
    const printable = text?.replace(/[\t\r\n]/g, '');
    if (isTerminal(1) && (printable === undefined || safeText(printable) !== printable)) {
      throw new UsageError(
        '--raw: the plaintext holds binary or control characters and standard output is a terminal; redirect it to a file (> FILE)',
        'decrypt',
      );
    }
    stdout().writeBytes(bytes);
    return EXIT.OK;
  }
  let document: unknown;
  if (text !== undefined && /^\s*[[{]/.test(text)) {
    try {
      document = JSON.parse(text);
    } catch {
      document = undefined;
    }
  }
  if (json) {
    const body =
      document !== undefined
        ? { payload: document }
        : text !== undefined
          ? { plaintext: text }
          : { plaintextBase64url: bytes.toString('base64url') };
    printJSON({ header, ...body });
    return EXIT.OK;
  }
  const out = stdout();
  const nowSeconds = c.now.getTime() / 1000;
  const isObject = document !== null && typeof document === 'object' && !Array.isArray(document);
  const times = isObject ? analyseTimes(document as Record<string, unknown>, nowSeconds) : [];
  const notes: string[] = [];
  if (document === undefined) {
    notes.push(
      text !== undefined
        ? `${out.paint('bold', 'Plaintext')} (${bytes.length} bytes)\n${safeText(text)}`
        : `Plaintext: ${bytes.length} bytes, not UTF-8 text; --raw writes them as they are (to a file), --json gives them as base64url`,
    );
  }
  if (isNestedJWT(header))
    notes.push(
      `The plaintext is a signed JWT (cty "JWT"), ${out.paint('yellow', 'NOT verified')}: --verify-key verifies it and checks its claims`,
    );
  else if (isObject && typeof header.typ === 'string' && /^(application\/)?jwt$/i.test(header.typ)) {
    notes.push(`Claims ${out.paint('yellow', 'NOT validated')}: --jwt checks them (exp, nbf; --aud, --iss, …)`);
  }
  out.line(
    renderReport(out, {
      headerTitle: compact ? 'Protected header (JWE)' : 'Header (JWE)',
      header,
      payload: document,
      times,
      warnings: analyseWarnings(header, undefined, nowSeconds),
      footer: notes.length > 0 ? notes.join('\n\n') : undefined,
    }),
  );
  return EXIT.OK;
}
