// The command table. main.ts imports only this file and then the ONE command it runs (cold start):
// adding a command is a new file exporting `help` and `run`, plus a line here.
//
// encrypt/decrypt wait for the JWE issue: when `encryptJWE`/`decryptJWT` exist, add `encrypt.ts` and
// `decrypt.ts` (key sources from key-source.ts, `--alg`/`--enc` allowlists as in verify.ts, exit codes
// as in verify.ts) and move their entries from PLANNED to COMMANDS.

/** What a command module exports. */
export interface CommandModule {
  /** The full `tessera <command> --help` text. */
  readonly help: string;
  /** Runs the command on its arguments (after the command name); resolves to the exit code. */
  run(argv: readonly string[]): Promise<number>;
}

export interface CommandEntry {
  /** One line for `tessera --help`. */
  readonly summary: string;
  readonly load: () => Promise<CommandModule>;
}

export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  decode: { summary: 'show a token\'s header and claims, with dates and warnings (no verification)', load: () => import('./decode.js') },
  verify: { summary: 'verify a token\'s signature and claims with a key or a JWK Set', load: () => import('./verify.js') },
  encode: { summary: 'sign a new token from claims, JSON or standard input', load: () => import('./encode.js') },
  keygen: { summary: 'generate a key pair or secret and write it to files', load: () => import('./keygen.js') },
  jwks: { summary: 'build a public JWK Set from keys', load: () => import('./jwks.js') },
  thumbprint: { summary: 'print a key\'s RFC 7638 JWK thumbprint', load: () => import('./thumbprint.js') },
};

/** Commands that are announced but not available yet, with why. */
export const PLANNED: Readonly<Record<string, string>> = {
  encrypt: 'JWE (encrypted tokens) is not implemented yet',
  decrypt: 'JWE (encrypted tokens) is not implemented yet; `tessera decode` shows the protected header of a JWE',
};

/** Exit codes, as documented in `tessera --help`. */
export const EXIT = {
  OK: 0,
  /** The token is invalid or failed verification. */
  INVALID: 1,
  /** The command line is wrong: flags, arguments, unreadable inputs, unusable keys. */
  USAGE: 2,
  /** A bug in tessera (an unexpected exception). */
  INTERNAL: 70,
  /** Interrupted (Ctrl-C at a prompt). */
  INTERRUPTED: 130,
} as const;
