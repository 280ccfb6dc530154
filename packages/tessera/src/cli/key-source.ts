// Where key material comes from. Secrets never have to be on the command line:
//   @FILE      the file's bytes (exactly: a trailing newline in a secret file is part of the secret)
//   env:NAME   an environment variable
//   -          standard input (one trailing newline removed), or a hidden prompt when stdin is a terminal
//   b64:DATA   base64 or base64url bytes (binary secrets); on the command line, so warned about like a literal
//   (omitted)  a hidden prompt, when stdin and stderr are terminals
//   anything else: the literal value, with a warning when it is a secret or a private key (a public key,
//   e.g. a pasted JWK or PEM, is not a secret and is taken silently).
// Key text is recognised as in the library: PEM (keys, certificates, encrypted PKCS#8), OpenSSH public
// keys, a JWK or a JWK Set (JSON); any other bytes are a shared secret. Messages name the flag and the
// source, never the material.
import { existsSync, readFileSync } from 'node:fs';
import { importKey, type Key } from '../jwk/key.js';
import { JWKSet } from '../jwks/set.js';
import { PRIVATE_MEMBERS } from '../lib/jwk-export.js';
import { JWTError } from '../errors.js';
import type { JWK, KeyInput } from '../types.js';
import { UsageError } from './args.js';
import { canPrompt, promptHidden, readStdin, stdinIsTTY } from './io.js';
import { stderr } from './output.js';

export type SourceOrigin = 'file' | 'env' | 'stdin' | 'prompt' | 'b64' | 'literal';

export interface RawSource {
  readonly bytes: Buffer;
  readonly origin: SourceOrigin;
  /** How the source is named in messages: `--key @key.pem`, `--key env:JWT_SECRET`, `--key (stdin)`. */
  readonly label: string;
}

export interface SourceOptions {
  /** The flag or argument being read, e.g. `--key`, `KEY 2`. */
  readonly flag: string;
  readonly command: string;
  /** What the hidden prompt asks for (default "Secret"). */
  readonly promptFor?: string;
}

const B64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** Reads a source specification (see the module comment). `undefined` prompts, or is a UsageError. */
export async function readSource(spec: string | undefined, o: SourceOptions): Promise<RawSource> {
  const ask = async (): Promise<RawSource> => {
    const value = await promptHidden(`${o.promptFor ?? 'Secret'} for ${o.flag} (input hidden): `, o.flag, o.command);
    if (value === '') throw new UsageError(`${o.flag}: nothing was entered`, o.command);
    return { bytes: Buffer.from(value, 'utf8'), origin: 'prompt', label: `${o.flag} (prompt)` };
  };
  if (spec === undefined) {
    if (canPrompt()) return ask();
    throw new UsageError(
      `${o.flag} is required: ${o.flag} @FILE, ${o.flag} env:NAME or ${o.flag} - (standard input)`,
      o.command,
    );
  }
  if (spec === '-') {
    if (stdinIsTTY() && canPrompt()) return ask();
    let bytes = await readStdin(o.flag, o.command);
    if (bytes.at(-1) === 0x0a) bytes = bytes.subarray(0, bytes.at(-2) === 0x0d ? -2 : -1);
    if (bytes.length === 0) throw new UsageError(`${o.flag}: standard input is empty`, o.command);
    return { bytes, origin: 'stdin', label: `${o.flag} - (stdin)` };
  }
  if (spec.startsWith('@')) {
    const path = spec.slice(1);
    if (path === '') throw new UsageError(`${o.flag}: "@" needs a file name (${o.flag} @key.pem)`, o.command);
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why =
        code === 'ENOENT'
          ? 'no such file'
          : code === 'EISDIR'
            ? 'it is a directory'
            : code === 'EACCES'
              ? 'permission denied'
              : (code ?? 'unreadable');
      throw new UsageError(`${o.flag}: cannot read ${path}: ${why}`, o.command);
    }
    if (bytes.length === 0) throw new UsageError(`${o.flag}: ${path} is empty`, o.command);
    return { bytes, origin: 'file', label: `${o.flag} @${path}` };
  }
  if (spec.startsWith('env:')) {
    const name = spec.slice(4);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      throw new UsageError(`${o.flag}: "env:" needs a variable name (${o.flag} env:JWT_SECRET)`, o.command);
    const value = process.env[name];
    if (value === undefined) throw new UsageError(`${o.flag}: environment variable ${name} is not set`, o.command);
    if (value === '') throw new UsageError(`${o.flag}: environment variable ${name} is empty`, o.command);
    return { bytes: Buffer.from(value, 'utf8'), origin: 'env', label: `${o.flag} env:${name}` };
  }
  if (spec.startsWith('b64:')) {
    const data = spec.slice(4).trim();
    if (data === '' || !B64.test(data))
      throw new UsageError(`${o.flag}: the b64: value is not base64 or base64url`, o.command);
    return {
      bytes: Buffer.from(
        data.replace(/[-_]/g, (c) => (c === '-' ? '+' : '/')),
        'base64',
      ),
      origin: 'b64',
      label: `${o.flag} b64:…`,
    };
  }
  if (spec === '') throw new UsageError(`${o.flag} is empty`, o.command);
  return { bytes: Buffer.from(spec, 'utf8'), origin: 'literal', label: `${o.flag} (literal)` };
}

/** What a source holds. */
export type KeyKind = 'secret' | 'pem' | 'encrypted-pem' | 'ssh' | 'jwk' | 'jwks';

export interface LoadedKey {
  /** A Key (imported and checked) or, for a JWK Set document, the set. */
  readonly key: Key | JWKSet;
  readonly kind: KeyKind;
  /** True when the material is a shared secret or private key (and so must not be on a command line). */
  readonly sensitive: boolean;
  readonly label: string;
}

export interface LoadKeyOptions extends SourceOptions {
  /** The `--passphrase` source for an encrypted PKCS#8 PEM. */
  readonly passphrase?: string;
  /** The flag that gives `passphrase` (default `--passphrase`; `--sign-passphrase` for `--sign-key`). */
  readonly passphraseFlag?: string;
  /** Accept a JWK Set document (`{ "keys": [...] }`) and return it as a JWKSet. */
  readonly allowSet?: boolean;
}

const PEM_BEGIN = '-----BEGIN ';
const SSH_PUBLIC = /^\s*(ssh-rsa|ssh-ed25519|ecdsa-sha2-nistp(256|384|521)) /;

function hasPrivateMembers(jwk: unknown): boolean {
  return jwk !== null && typeof jwk === 'object' && PRIVATE_MEMBERS.some((name) => Object.hasOwn(jwk, name));
}

/**
 * Reads and imports a key: secrets, PEM, OpenSSH public keys, JWKs and (with `allowSet`) JWK Sets. Key
 * material the library refuses is a UsageError naming the flag (exit code 2), not a token failure.
 */
export async function loadKey(spec: string | undefined, o: LoadKeyOptions): Promise<LoadedKey> {
  const source = await readSource(spec, o);
  const latin1 = source.bytes.toString('latin1');
  let kind: KeyKind = 'secret';
  let input: KeyInput | undefined;
  let sensitive = true;
  let json: unknown;
  if (latin1.includes(PEM_BEGIN)) {
    const text = source.bytes.toString('utf8');
    kind = /-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(text) ? 'encrypted-pem' : 'pem';
    sensitive = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(text);
    input = text;
  } else if (SSH_PUBLIC.test(latin1)) {
    kind = 'ssh';
    sensitive = false;
    input = source.bytes.toString('utf8').trim();
  } else if (/^\s*\{/.test(latin1) && /"(kty|keys)"\s*:/.test(latin1)) {
    try {
      json = JSON.parse(source.bytes.toString('utf8'));
    } catch {
      throw new UsageError(`${source.label}: the key looks like a JWK but is not valid JSON`, o.command);
    }
    if (json === null || typeof json !== 'object' || Array.isArray(json))
      throw new UsageError(`${source.label}: a JWK must be a JSON object`, o.command);
    if (Array.isArray((json as { keys?: unknown }).keys)) {
      kind = 'jwks';
      sensitive = (json as { keys: unknown[] }).keys.some(hasPrivateMembers);
    } else {
      kind = 'jwk';
      sensitive = hasPrivateMembers(json);
      input = json as JWK;
    }
  } else {
    input = source.bytes;
  }
  if (sensitive && (source.origin === 'literal' || source.origin === 'b64')) warnLiteral(spec!, o.flag, source.origin);
  try {
    if (kind === 'jwks') {
      if (!o.allowSet)
        throw new UsageError(`${source.label}: this is a JWK Set; pass one key (a JWK, PEM or secret)`, o.command);
      return { key: JWKSet.from(json as { keys: JWK[] }), kind, sensitive, label: source.label };
    }
    const passFlag = o.passphraseFlag ?? '--passphrase';
    if (kind === 'encrypted-pem') {
      const pass = await readSource(
        o.passphrase ?? (canPrompt() ? undefined : missingPassphrase(source.label, passFlag, o.command)),
        {
          flag: passFlag,
          command: o.command,
          promptFor: 'Passphrase',
        },
      );
      if (pass.origin === 'literal' || pass.origin === 'b64') warnLiteral(o.passphrase!, passFlag, pass.origin);
      input = { key: input as string, passphrase: pass.bytes };
    } else if (o.passphrase !== undefined) {
      throw new UsageError(
        `${passFlag} is only for an encrypted private key (BEGIN ENCRYPTED PRIVATE KEY); ${source.label} is not one`,
        o.command,
      );
    }
    return { key: importKey(input!), kind, sensitive, label: source.label };
  } catch (err) {
    if (err instanceof JWTError || err instanceof TypeError)
      throw new UsageError(`${source.label}: ${err.message}`, o.command);
    throw err;
  }
}

function missingPassphrase(label: string, flag: string, command: string): never {
  throw new UsageError(
    `${label} is an encrypted private key: pass ${flag} @FILE, ${flag} env:NAME or ${flag} -`,
    command,
  );
}

/** The warning for a secret given on the command line. Never repeats the value. */
export function warnLiteral(spec: string, flag: string, origin: SourceOrigin): void {
  const err = stderr();
  const what = origin === 'b64' ? 'a b64: value' : 'a literal value';
  err.line(
    `${err.paint('yellow', 'warning:')} ${flag} is ${what} on the command line, where shell history and the process list keep it; ` +
      `use ${flag} @FILE, ${flag} env:NAME or ${flag} - (standard input) instead`,
  );
  if (origin === 'literal' && spec.length < 1024 && !/[\0\n]/.test(spec) && existsSync(spec)) {
    err.line(`${err.paint('yellow', 'warning:')} a file by that name exists: to read it, prefix the path with @`);
  }
}
