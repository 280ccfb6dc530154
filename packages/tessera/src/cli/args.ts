// Command-line parsing on node:util parseArgs, with the errors a person needs: an unknown flag names the
// closest valid one, a flag that needs a value says so (instead of swallowing the next flag), a flag
// given twice is refused, and a wrong number of arguments names the command's usage line.
import { parseArgs } from 'node:util';
import { closest } from '../lib/suggest.js';

/** A mistake in how the command was called: exit code 2, with the command's `--help` pointer. */
export class UsageError extends Error {
  /** The command whose help the message points to (undefined: the top-level help). */
  command: string | undefined;
  constructor(message: string, command?: string) {
    super(message);
    this.name = 'UsageError';
    this.command = command;
  }
}

export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  readonly short?: string;
}

export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

export interface Parsed {
  /** String flags (the last value for single flags is the only one: a repeat is an error). */
  readonly strings: ReadonlyMap<string, string>;
  /** Repeatable string flags, in order; comma-separated lists are NOT split here. */
  readonly lists: ReadonlyMap<string, readonly string[]>;
  readonly booleans: ReadonlySet<string>;
  readonly positionals: readonly string[];
}

/** Flags every command takes. */
export const COMMON_FLAGS: FlagSpecs = { help: { type: 'boolean', short: 'h' } };

/**
 * Parses `argv` for `command`. `positionals` is [min, max] (max = Infinity for lists). Unknown flags,
 * missing values, values given to boolean flags and repeated single flags are UsageErrors.
 */
export function parse(
  command: string,
  argv: readonly string[],
  specs: FlagSpecs,
  positionals: readonly [number, number],
): Parsed {
  const all: Record<string, FlagSpec> = { ...COMMON_FLAGS, ...specs };
  const { tokens } = parseArgs({ args: [...argv], options: all, strict: false, allowPositionals: true, tokens: true });
  const strings = new Map<string, string>();
  const lists = new Map<string, string[]>();
  const booleans = new Set<string>();
  const rest: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') {
      rest.push(token.value);
      continue;
    }
    if (token.kind === 'option-terminator') continue;
    const spec = Object.hasOwn(all, token.name) ? all[token.name] : undefined;
    // parseArgs maps a declared short flag (-q) to its long name; any other single-dash form is unknown.
    const isShort = !token.rawName.startsWith('--');
    if (!spec || (isShort && spec.short !== token.rawName.slice(1))) {
      // Named only when it looks like a flag: a mistyped secret or a control sequence is not echoed.
      const printable = /^--?[\w-]{1,40}$/.test(token.rawName);
      const guess = printable ? closest(token.rawName.replace(/^-+/, ''), Object.keys(all)) : undefined;
      throw new UsageError(
        `unknown flag${printable ? ` ${token.rawName}` : ''}${guess ? `; did you mean --${guess}?` : ''}`,
        command,
      );
    }
    const flag = `--${token.name}`;
    if (spec.type === 'boolean') {
      if (token.value !== undefined) throw new UsageError(`${flag} takes no value`, command);
      booleans.add(token.name);
      continue;
    }
    const value = token.value;
    // `--key --json` would otherwise take "--json" as the key; a value that looks like a flag needs `=`.
    if (value === undefined || (!token.inlineValue && /^--?[A-Za-z]/.test(value))) {
      throw new UsageError(`${flag} needs a value (write ${flag}=VALUE if the value starts with "-")`, command);
    }
    if (spec.multiple) {
      const list = lists.get(token.name) ?? [];
      list.push(value);
      lists.set(token.name, list);
    } else {
      if (strings.has(token.name)) throw new UsageError(`${flag} is given twice`, command);
      strings.set(token.name, value);
    }
  }
  const [min, max] = positionals;
  if (!booleans.has('help')) {
    if (rest.length < min) throw new UsageError(`missing argument${min - rest.length > 1 ? 's' : ''}`, command);
    // Never quote the extra argument: it may be a token or a secret typed in the wrong place.
    if (rest.length > max) {
      throw new UsageError(
        max === 0
          ? `${command} takes no arguments (got ${rest.length})`
          : `too many arguments: ${command} takes at most ${max} (got ${rest.length})`,
        command,
      );
    }
  }
  return { strings, lists, booleans, positionals: rest };
}

/** Splits repeatable values that may also be comma-separated (`--alg RS256,ES256 --alg EdDSA`). */
export function splitList(values: readonly string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

/** The claim-check flags of `verify` and `decrypt` (same names, same meaning). */
export const CLAIM_CHECK_FLAGS = {
  aud: { type: 'string', multiple: true },
  iss: { type: 'string', multiple: true },
  sub: { type: 'string' },
  require: { type: 'string', multiple: true },
  typ: { type: 'string' },
  leeway: { type: 'string' },
  'max-age': { type: 'string' },
} as const;
