// Standard input: read whole (a token, a payload or a key piped in), at most once per run, and the
// hidden prompt for secrets typed at a terminal.
import { readFileSync } from 'node:fs';
import { UsageError } from './args.js';
import { isTerminal, stderr } from './output.js';

let consumedBy: string | undefined;

/** Whether standard input is a terminal (a person), not a pipe or a file. */
export function stdinIsTTY(): boolean {
  return isTerminal(0);
}

/**
 * Reads all of standard input for `what` (e.g. "--key"). Only one argument may come from stdin; a second
 * is a UsageError naming both. Refuses to wait on a terminal (`what` should then prompt instead).
 */
export async function readStdin(what: string, command: string): Promise<Buffer> {
  if (consumedBy !== undefined)
    throw new UsageError(`${what} and ${consumedBy} cannot both come from standard input ("-")`, command);
  consumedBy = what;
  if (stdinIsTTY())
    throw new UsageError(
      `${what} is "-" but standard input is a terminal; pipe it in (… | tessera ${command} …)`,
      command,
    );
  try {
    return readFileSync(0);
  } catch (err) {
    // A non-blocking pipe (EAGAIN) or a platform without synchronous stdin reads: stream it instead.
    if ((err as NodeJS.ErrnoException).code !== 'EAGAIN' && (err as NodeJS.ErrnoException).code !== 'EOF') throw err;
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }
}

/** Marks stdin as used by a prompt (so "-" cannot be used for something else as well). */
function claimStdin(what: string, command: string): void {
  if (consumedBy !== undefined)
    throw new UsageError(`${what} and ${consumedBy} cannot both come from standard input`, command);
  consumedBy = what;
}

/** True when a hidden prompt is possible: both stdin and stderr are terminals. */
export function canPrompt(): boolean {
  return isTerminal(0) && isTerminal(2);
}

/**
 * Asks for a secret at the terminal without echoing it (raw mode; Backspace edits, Ctrl-C aborts with
 * exit code 130, Enter or Ctrl-D ends). The prompt goes to stderr so stdout stays clean for pipes.
 */
export async function promptHidden(label: string, what: string, command: string): Promise<string> {
  claimStdin(what, command);
  const stdin = process.stdin;
  // Raw mode before the prompt appears: whatever is typed after seeing it is never echoed.
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  stderr().write(label);
  try {
    return await new Promise<string>((resolve, reject) => {
      let value = '';
      const onData = (chunk: string) => {
        for (const ch of chunk) {
          if (ch === '\r' || ch === '\n' || ch === '\u0004') {
            stdin.off('data', onData);
            resolve(value);
            return;
          }
          if (ch === '\u0003') {
            stdin.off('data', onData);
            reject(new PromptAborted());
            return;
          }
          if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
          else if (ch >= ' ') value += ch;
        }
      };
      stdin.on('data', onData);
    });
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
    stderr().write('\n');
  }
}

/** Ctrl-C at a prompt. */
export class PromptAborted extends Error {
  constructor() {
    super('aborted');
    this.name = 'PromptAborted';
  }
}

/**
 * The token argument of decode/verify: the argument itself, `-` for standard input, or standard input
 * when the argument is omitted and stdin is a pipe. Surrounding whitespace and a `Bearer ` prefix (a
 * pasted Authorization header value) are removed.
 */
export async function readToken(arg: string | undefined, command: string): Promise<string> {
  let text: string;
  if (arg === undefined || arg === '-') {
    if (arg === undefined && stdinIsTTY()) {
      throw new UsageError(`missing TOKEN: tessera ${command} TOKEN, or pipe it in: … | tessera ${command} -`, command);
    }
    text = (await readStdin('TOKEN', command)).toString('utf8');
  } else {
    text = arg;
  }
  const token = text
    .trim()
    .replace(/^(authorization:\s*)?bearer\s+/i, '')
    .trim();
  if (token === '')
    throw new UsageError(
      arg === undefined || arg === '-' ? 'standard input holds no token' : 'the TOKEN argument is empty',
      command,
    );
  return token;
}
