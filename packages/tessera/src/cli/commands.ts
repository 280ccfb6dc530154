// The command table. main.ts imports only this file and then the ONE command it runs (cold start):
// adding a command is a new file exporting `help` and `run`, plus a line here. A command that is
// announced before it exists goes in PLANNED (with why), so `tessera <name>` explains rather than
// suggests another command; encrypt and decrypt lived there until JWE landed.

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
  decode: {
    summary: "show a token's header and claims, with dates and warnings (no verification)",
    load: () => import('./commands/decode.js'),
  },
  verify: {
    summary: "verify a token's signature and claims with a key or a JWK Set",
    load: () => import('./commands/verify.js'),
  },
  encode: {
    summary: 'sign a new token from claims, JSON or standard input',
    load: () => import('./commands/encode.js'),
  },
  encrypt: {
    summary: 'encrypt data or claims as a JWE (optionally signed first: a nested JWT)',
    load: () => import('./commands/encrypt.js'),
  },
  decrypt: {
    summary: 'decrypt a JWE, or decrypt and validate an encrypted JWT',
    load: () => import('./commands/decrypt.js'),
  },
  keygen: {
    summary: 'generate a key pair or secret and write it to files',
    load: () => import('./commands/keygen.js'),
  },
  jwks: { summary: 'build a public JWK Set from keys', load: () => import('./commands/jwks.js') },
  thumbprint: { summary: "print a key's RFC 7638 JWK thumbprint", load: () => import('./commands/thumbprint.js') },
};

/** Commands that are announced but not available yet, with why. */
export const PLANNED: Readonly<Record<string, string>> = {};
