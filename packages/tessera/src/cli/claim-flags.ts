// Claims and header members from the command line, shared by `encode` and `encrypt --jwt` so that both
// build a claims set the same way: a JSON object (argument, @FILE or - for stdin), --claim NAME=VALUE,
// the registered-claim flags (--exp, --nbf, --iss, --sub, --jti, --aud, --no-iat) and --header NAME=VALUE.
import { parseJSONObject } from '../internal.js';
import type { SignOptions } from '../types.js';
import { type Parsed, splitList, UsageError } from './args.js';
import { parseDuration } from './duration.js';
import { readStdin } from './io.js';
import { readSource } from './key-source.js';
import { parseInstant } from './time.js';

/** The claim options both commands pass to the library (signJWT, encryptJWT). */
export type ClaimBuildOptions = Pick<
  SignOptions,
  'expiresIn' | 'notBefore' | 'issuer' | 'subject' | 'audience' | 'jwtId' | 'issuedAt' | 'currentDate'
>;

/** The claim flags (without --now, which every command declares itself). */
export const CLAIM_FLAGS = {
  claim: { type: 'string', multiple: true },
  exp: { type: 'string' },
  nbf: { type: 'string' },
  iss: { type: 'string' },
  sub: { type: 'string' },
  jti: { type: 'string' },
  aud: { type: 'string', multiple: true },
  'no-iat': { type: 'boolean' },
} as const;

/** Whether any claim flag was given (for `encrypt`, this makes the payload a claims set). */
export function hasClaimFlags(args: Parsed): boolean {
  return Object.keys(CLAIM_FLAGS).some(
    (name) => args.strings.has(name) || args.lists.has(name) || args.booleans.has(name),
  );
}

const STRING_CLAIMS = new Set(['iss', 'sub', 'jti', 'aud']);
const TIME_CLAIMS = new Set(['exp', 'nbf', 'iat']);
const STRING_HEADERS = new Set(['kid', 'typ', 'cty', 'jku', 'x5u', 'x5t', 'x5t#S256']);
const JSON_LITERAL = /^(true|false|null|-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|[[{"].*)$/s;

/** Sets an own data property: `__proto__` and friends are plain data here, as everywhere in Tessera. */
export function setOwn(target: Record<string, unknown>, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}

/** Parses `NAME=VALUE` / `NAME:=JSON` for --claim and --header. */
function parseAssignment(text: string, flag: string, strings: ReadonlySet<string>, command: string): [string, unknown] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UsageError(`${flag} takes NAME=VALUE (or NAME:=JSON), e.g. ${flag} sub=123`, command);
  const forceJSON = text[eq - 1] === ':';
  const name = text.slice(0, forceJSON ? eq - 1 : eq);
  const raw = text.slice(eq + 1);
  if (name === '') throw new UsageError(`${flag}: the name before "=" is empty`, command);
  const where = `${flag} ${name.length <= 40 ? name : `${name.slice(0, 40)}…`}`;
  if (forceJSON || (!strings.has(name) && !(flag === '--claim' && TIME_CLAIMS.has(name)) && JSON_LITERAL.test(raw))) {
    try {
      return [name, JSON.parse(raw)];
    } catch {
      throw new UsageError(
        `${where}: the value is not valid JSON${forceJSON ? '' : ` (write ${name}="…" in quotes, or use --claim ${name}:='"…"' for a string)`}`,
        command,
      );
    }
  }
  if (flag === '--claim' && TIME_CLAIMS.has(name)) {
    const date = parseInstant(raw);
    if (!date) throw new UsageError(`${where}: must be NumericDate seconds or an ISO 8601 date`, command);
    return [name, Math.floor(date.getTime() / 1000)];
  }
  return [name, raw];
}

/** The PAYLOAD argument's bytes: the argument itself, @FILE, or - (standard input); undefined if absent. */
export async function readPayloadBytes(
  arg: string | undefined,
  command: string,
): Promise<{ bytes: Buffer; label: string } | undefined> {
  if (arg === undefined) return undefined;
  if (arg === '-') return { bytes: await readStdin('PAYLOAD', command), label: 'PAYLOAD from standard input' };
  if (arg.startsWith('@'))
    return { bytes: (await readSource(arg, { flag: 'PAYLOAD', command })).bytes, label: `PAYLOAD ${arg}` };
  return { bytes: Buffer.from(arg, 'utf8'), label: 'PAYLOAD' };
}

/** The PAYLOAD argument as a JSON object (default {}). */
export async function readClaimsPayload(arg: string | undefined, command: string): Promise<Record<string, unknown>> {
  const input = await readPayloadBytes(arg, command);
  if (input === undefined) return {};
  const parsed = parseJSONObject(input.bytes);
  if (typeof parsed === 'string') {
    const why = {
      utf8: 'is not valid UTF-8',
      syntax: 'is not valid JSON',
      not_object: 'is not a JSON object',
      duplicate: 'has a duplicate member name',
      depth: 'nests deeper than 256 levels',
    }[parsed];
    const literal = arg !== '-' && !arg!.startsWith('@');
    throw new UsageError(
      `${input.label} ${why}${parsed === 'syntax' && literal && !/^\s*[[{]/.test(arg!) ? ` (a file needs @: ${command} @claims.json)` : ''}`,
      command,
    );
  }
  return parsed;
}

/** --exp / --nbf: a duration from now, or an absolute date (ISO 8601 or NumericDate with a date shape). */
function timeFlag(
  args: Parsed,
  flag: 'exp' | 'nbf',
  command: string,
): { relative?: number; absolute?: number } | undefined {
  const value = args.strings.get(flag);
  if (value === undefined) return undefined;
  if (/^\d{4}-\d{2}-\d{2}/.test(value.trim())) {
    const date = parseInstant(value);
    if (!date) throw new UsageError(`--${flag}: not a valid ISO 8601 date`, command);
    return { absolute: Math.floor(date.getTime() / 1000) };
  }
  const seconds = parseDuration(value, `--${flag}`, command, flag === 'nbf');
  if (flag === 'exp' && seconds === 0) throw new UsageError('--exp 0 makes a token that is already expired', command);
  return { relative: seconds };
}

/**
 * Applies --claim and the registered-claim flags to `payload` (in place) and returns the claim options
 * for the library. A registered-claim flag replaces the payload's claim; with a --claim of the same name
 * it is ambiguous, and refused.
 */
export function applyClaimFlags(
  args: Parsed,
  payload: Record<string, unknown>,
  now: Date,
  command: string,
): ClaimBuildOptions {
  const fromClaim = new Set<string>();
  for (const text of args.lists.get('claim') ?? []) {
    const [name, value] = parseAssignment(text, '--claim', STRING_CLAIMS, command);
    if (fromClaim.has(name)) throw new UsageError(`--claim ${name} is given twice`, command);
    fromClaim.add(name);
    setOwn(payload, name, value);
  }
  const options: ClaimBuildOptions = { currentDate: now, issuedAt: !args.booleans.has('no-iat') };
  const claimFlags = [
    ['iss', 'issuer'],
    ['sub', 'subject'],
    ['jti', 'jwtId'],
  ] as const;
  for (const [flag, option] of claimFlags) {
    const value = args.strings.get(flag);
    if (value === undefined) continue;
    if (fromClaim.has(flag)) throw new UsageError(`--${flag} and --claim ${flag}=… cannot be combined`, command);
    delete payload[flag];
    options[option] = value;
  }
  const audiences = args.lists.get('aud');
  if (audiences !== undefined) {
    if (fromClaim.has('aud')) throw new UsageError('--aud and --claim aud=… cannot be combined', command);
    delete payload.aud;
    const list = splitList(audiences);
    options.audience = list.length === 1 ? list[0] : list;
  }
  for (const flag of ['exp', 'nbf'] as const) {
    const t = timeFlag(args, flag, command);
    if (!t) continue;
    if (fromClaim.has(flag)) throw new UsageError(`--${flag} and --claim ${flag}=… cannot be combined`, command);
    delete payload[flag];
    if (t.absolute !== undefined) setOwn(payload, flag, t.absolute);
    else if (flag === 'exp') options.expiresIn = t.relative;
    else options.notBefore = t.relative;
  }
  if (args.booleans.has('no-iat')) {
    if (fromClaim.has('iat')) throw new UsageError('--no-iat and --claim iat=… cannot be combined', command);
    delete payload.iat;
  }
  return options;
}

/**
 * The --header NAME=VALUE members. `alg` (and whatever else `reserved` names, with the flag that sets
 * it) is refused; so is a member also given by its own flag (`--kid` with `--header kid=…`).
 */
export function headerFlags(
  args: Parsed,
  command: string,
  reserved: Readonly<Record<string, string>>,
  ownFlags: readonly string[],
): Record<string, unknown> {
  const header: Record<string, unknown> = {};
  for (const text of args.lists.get('header') ?? []) {
    const [name, value] = parseAssignment(text, '--header', STRING_HEADERS, command);
    if (Object.hasOwn(reserved, name))
      throw new UsageError(`--header cannot set "${name}"; ${reserved[name]}`, command);
    if (Object.hasOwn(header, name)) throw new UsageError(`--header ${name} is given twice`, command);
    setOwn(header, name, value);
  }
  for (const name of ownFlags) {
    if (args.strings.has(name) && Object.hasOwn(header, name))
      throw new UsageError(`--${name} and --header ${name}=… cannot be combined`, command);
  }
  return header;
}

/** Whether the claims set will carry "exp" (for the "never expires" warning). */
export function willExpire(payload: Record<string, unknown>, options: ClaimBuildOptions): boolean {
  return Object.hasOwn(payload, 'exp') || options.expiresIn !== undefined;
}
