#!/usr/bin/env node
// The `tessera` command. This file stays small and imports only the command table, then the one
// command being run (lazily), so `tessera decode` starts without loading node:crypto or the signing code.
import { readFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { UsageError } from './args.js';
import { COMMANDS, PLANNED } from './commands.js';
import { EXIT } from './exit.js';
import { PromptAborted } from './io.js';
import { stderr, stdout } from './output.js';
import { closest } from '../lib/suggest.js';

// Node >= 22.1 caches compiled code between runs (opt out with NODE_DISABLE_COMPILE_CACHE=1); it applies to
// the command module imported below. Node 20 has no such API, and this line does nothing there.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const HELP = `tessera — JSON Web Tokens on the command line

Usage
  tessera <command> [arguments] [flags]
  tessera <command> --help       flags and examples of one command

Commands
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(11)}${c.summary}`)
  .join('\n')}

Keys and secrets (--key, --sign-key, --verify-key, --passphrase, KEY arguments)
  @FILE       read a file             env:NAME    read an environment variable
  -           read standard input     b64:DATA    base64 bytes (a binary secret)
  Omitted on a terminal, a secret is prompted for without echo. A literal public key is fine; a
  literal secret works but is warned about (shell history and the process list keep it).

Clock and output
  --now DATE (or TESSERA_NOW=DATE) fixes the clock: ISO 8601 or NumericDate seconds.
  --json prints machine-readable JSON. Colours only on a terminal; NO_COLOR=1 disables, FORCE_COLOR=1 forces.

Exit codes
  0  success (verify, decrypt: the token is valid)
  1  the token is invalid, failed verification or could not be decrypted (the reason and its error
     code are printed)
  2  usage error: unknown flag, missing argument, unreadable file, unusable key

Examples
  tessera decode eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2ln
  pbpaste | tessera decode -
  tessera keygen ES256 --out signing
  tessera encode --key @signing.private.json --claim sub=123 --exp 15m
  tessera verify "$TOKEN" --key @signing.public.json --aud https://api.example.com
  tessera verify "$TOKEN" --jwks https://auth.example.com/.well-known/jwks.json --alg RS256
  tessera keygen ECDH-ES+A256KW --out recipient
  tessera encrypt --key @recipient.public.json --sign-key @signing.private.json --sub 123 --exp 15m
  tessera decrypt "$JWE" --key @recipient.private.json --verify-key @signing.public.json
`;

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      name?: string;
      version?: string;
    };
    return pkg.name === 'tessera-jwt' && typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Runs the command line `argv` (without node and the script); resolves to the exit code. */
async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  let command: string | undefined;
  try {
    if (name === undefined || name === '--help' || name === '-h') {
      (name === undefined ? stderr() : stdout()).write(HELP);
      return name === undefined ? EXIT.USAGE : EXIT.OK;
    }
    if (name === 'help') {
      if (rest.length === 0) {
        stdout().write(HELP);
        return EXIT.OK;
      }
      return await main([rest[0]!, '--help']);
    }
    if (name === '--version' || name === '-V') {
      stdout().line(version());
      return EXIT.OK;
    }
    if (name.startsWith('-')) {
      throw new UsageError(
        `${name.split('=')[0]} is not a command; the command comes first (tessera <command> ${name.split('=')[0]})`,
      );
    }
    if (Object.hasOwn(PLANNED, name)) throw new UsageError(`"${name}" is not available yet: ${PLANNED[name]}`);
    if (!Object.hasOwn(COMMANDS, name)) {
      const guess = closest(name, [...Object.keys(COMMANDS), 'help']);
      throw new UsageError(
        `unknown command${name.length <= 24 && /^[\w-]+$/.test(name) ? ` "${name}"` : ''}${guess ? `; did you mean "${guess}"?` : ''}`,
      );
    }
    command = name;
    const module = await COMMANDS[name]!.load();
    if (rest.includes('--help') || rest.includes('-h')) {
      stdout().write(module.help);
      return EXIT.OK;
    }
    return await module.run(rest);
  } catch (err) {
    return reportFailure(err, command);
  }
}

/** Prints an error that escaped a command and returns its exit code. */
function reportFailure(err: unknown, command: string | undefined): number {
  const out = stderr();
  if (err instanceof UsageError) {
    out.line(`${out.paint('red', 'error:')} ${err.message}`);
    const helpFor = err.command ?? command;
    out.line(`Run "tessera ${helpFor ? `${helpFor} ` : ''}--help" for usage.`);
    return EXIT.USAGE;
  }
  if (err instanceof PromptAborted) return EXIT.INTERRUPTED;
  if ((err as NodeJS.ErrnoException | undefined)?.code === 'EPIPE') return EXIT.OK;
  out.line(`${out.paint('red', 'internal error:')} ${err instanceof Error ? err.message : String(err)}`);
  if (process.env.TESSERA_DEBUG && err instanceof Error && err.stack) out.line(err.stack);
  else out.line('This is a bug in tessera; run with TESSERA_DEBUG=1 for details and please report it.');
  return EXIT.INTERNAL;
}

process.exitCode = await main(process.argv.slice(2));
