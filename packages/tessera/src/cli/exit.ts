// The exit codes of the `tessera` command, shared by main.ts and every command.

/** Exit codes, as documented in `tessera --help`. */
export const EXIT = {
  OK: 0,
  /** The token is invalid, failed verification, or could not be decrypted. */
  INVALID: 1,
  /** The command line is wrong: flags, arguments, unreadable inputs, unusable keys. */
  USAGE: 2,
  /** A bug in tessera (an unexpected exception). */
  INTERNAL: 70,
  /** Interrupted (Ctrl-C at a prompt). */
  INTERRUPTED: 130,
} as const;
