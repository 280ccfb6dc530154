// Output: colour decided per stream (FORCE_COLOR, then NO_COLOR, then "is it a terminal"), styled with
// node:util styleText, and JSON rendered safely. Everything printed from a token goes through
// renderJSON/safeText, which escape control characters (C0, DEL, C1), line/paragraph separators and
// bidirectional overrides, so a hostile token cannot move the cursor, recolour or reorder the terminal.
import { fstatSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { styleText } from 'node:util';

type Style = Parameters<typeof styleText>[0];

/**
 * Whether a file descriptor is a terminal. A pipe or a regular file is told apart by fstat alone, so the
 * common non-terminal case loads neither node:tty nor the stream machinery behind process.stdout (cold
 * start); only a character device (a terminal, or /dev/null) asks node:tty.
 */
export function isTerminal(fd: number): boolean {
  try {
    if (!fstatSync(fd).isCharacterDevice()) return false;
  } catch {
    return false;
  }
  return ttyModule().isatty(fd);
}

let tty: typeof import('node:tty') | undefined;
function ttyModule(): typeof import('node:tty') {
  // node:tty is needed only for a character device; process.getBuiltinModule is newer than Node 20.19.
  tty ??= createRequire(import.meta.url)('node:tty') as typeof import('node:tty');
  return tty;
}

/** Whether to colour a descriptor's output, following https://no-color.org and FORCE_COLOR. */
export function colourEnabled(fd: number, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb' || !isTerminal(fd)) return false;
  const stream = fd === 2 ? process.stderr : process.stdout;
  return typeof stream.hasColors === 'function' ? stream.hasColors() : true;
}

/**
 * A text sink on a file descriptor, written synchronously (output is small, and exiting never loses a
 * buffered line). A reader that went away (EPIPE: `tessera decode … | head -1`) silences it.
 */
export class Output {
  readonly #fd: number;
  #colour: boolean | undefined;
  #closed = false;
  constructor(fd: number, colour?: boolean) {
    this.#fd = fd;
    this.#colour = colour;
  }
  /** Whether this output is coloured (decided on first use). */
  get colour(): boolean {
    this.#colour ??= colourEnabled(this.#fd);
    return this.#colour;
  }
  /** `text` in `style` when this output is coloured. */
  paint(style: Style, text: string): string {
    return this.colour && text !== '' ? styleText(style, text, { validateStream: false }) : text;
  }
  /** Writes `text` and a newline. */
  line(text = ''): void {
    this.write(`${text}\n`);
  }
  /** Writes text as is. */
  write(text: string): void {
    this.writeBytes(Buffer.from(text, 'utf8'));
  }
  /** Writes bytes as they are (`decrypt --raw`). */
  writeBytes(data: Uint8Array): void {
    if (this.#closed) return;
    let bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    while (bytes.length > 0) {
      try {
        bytes = bytes.subarray(writeSync(this.#fd, bytes));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') {
          // A non-blocking pipe that is full: wait a millisecond for the reader, then try again.
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
          continue;
        }
        if (code === 'EPIPE') {
          this.#closed = true;
          return;
        }
        throw err;
      }
    }
  }
}

let stdoutOutput: Output | undefined;
let stderrOutput: Output | undefined;

/** Standard output. */
export function stdout(): Output {
  stdoutOutput ??= new Output(1);
  return stdoutOutput;
}

/** Standard error: errors, warnings and prompts. */
export function stderr(): Output {
  stderrOutput ??= new Output(2);
  return stderrOutput;
}

// C0 controls and DEL are escaped by JSON.stringify's rules below; C1 controls (U+0080–U+009F, e.g.
// the one-byte CSI U+009B), line/paragraph separators and bidi controls are escaped too.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const escapeUnsafe = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** A string as a JSON string literal with every unsafe character escaped (still valid JSON). */
export function jsonString(s: string): string {
  return JSON.stringify(s).replace(UNSAFE, escapeUnsafe);
}

/** Text from a token for a plain (non-JSON) context: unsafe characters escaped as \uXXXX. */
export function safeText(s: string): string {
  return s.replace(UNSAFE, escapeUnsafe);
}

export interface JSONPalette {
  key(s: string): string;
  string(s: string): string;
  number(s: string): string;
  literal(s: string): string;
}

/**
 * JSON text like `JSON.stringify(value, null, indent)` (indent 0: one line) with unsafe characters
 * escaped and, given a palette, coloured. Only JSON values are expected (what a token decodes to).
 */
export function renderJSON(value: unknown, indent = 2, palette?: JSONPalette, depth = 0): string {
  const p = palette;
  if (value === null || typeof value === 'boolean') return p ? p.literal(String(value)) : String(value);
  if (typeof value === 'number') return p ? p.number(JSON.stringify(value)) : JSON.stringify(value);
  if (typeof value === 'string') return p ? p.string(jsonString(value)) : jsonString(value);
  if (typeof value !== 'object') return 'null';
  const pad = indent > 0 ? `\n${' '.repeat(indent * (depth + 1))}` : '';
  const end = indent > 0 ? `\n${' '.repeat(indent * depth)}` : '';
  const sep = indent > 0 ? ': ' : ':';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[${value.map((v) => pad + renderJSON(v, indent, p, depth + 1)).join(',')}${end}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  return `{${entries.map(([k, v]) => `${pad}${p ? p.key(jsonString(k)) : jsonString(k)}${sep}${renderJSON(v, indent, p, depth + 1)}`).join(',')}${end}}`;
}

/** The palette of an output (undefined when it is not coloured). */
export function paletteOf(out: Output): JSONPalette | undefined {
  if (!out.colour) return undefined;
  return {
    key: (s) => out.paint('cyan', s),
    string: (s) => out.paint('green', s),
    number: (s) => out.paint('yellow', s),
    literal: (s) => out.paint('magenta', s),
  };
}

/** Machine output (`--json`): one JSON document, indented, never coloured. */
export function printJSON(value: unknown): void {
  stdout().line(renderJSON(value, 2));
}
