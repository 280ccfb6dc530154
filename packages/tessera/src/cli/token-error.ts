// Printing a token failure (exit code 1): the library's message (RFC vocabulary, never the token or key
// material), its stable error code, and a hint naming the flag that would change the outcome.
import { InvalidTokenError, type JWTError } from '../errors.js';
import { EXIT } from './exit.js';
import { printJSON, stderr } from './output.js';

/** A library message in command-line terms: options become the flags that set them. */
export function cliMessage(message: string): string {
  return message
    .replace(/pass allowWeakKeys: true/g, 'pass --allow-weak-keys')
    .replace(/"allowWeakKeys"/g, '--allow-weak-keys')
    .replace(/exceeds maxPbes2Count/g, 'exceeds --max-p2c')
    .replace(/pass nested: \{ key, algorithms \} to verify it/g, 'pass --verify-key to verify it');
}

/** The `--json` form of a Tessera error. */
export function errorObject(err: JWTError): Record<string, unknown> {
  const e = err as JWTError & { claim?: unknown; reason?: unknown; expiredAt?: unknown };
  const result: Record<string, unknown> = { code: err.code, name: err.name, message: cliMessage(err.message) };
  if (typeof e.claim === 'string') result.claim = e.claim;
  if (typeof e.reason === 'string') result.reason = e.reason;
  if (e.expiredAt instanceof Date) result.expiredAt = e.expiredAt.toISOString().replace('.000Z', 'Z');
  return result;
}

/** Reports `err` (on stderr, or as JSON on stdout with `--json`) and returns exit code 1. */
export function printTokenError(err: JWTError, json: boolean, command: string, hint?: string): number {
  if (json) {
    printJSON({
      ...(command === 'verify' ? { valid: false } : {}),
      error: errorObject(err),
      ...(hint ? { hint } : {}),
    });
    return EXIT.INVALID;
  }
  const out = stderr();
  const failed = command === 'decrypt' ? 'decryption failed' : 'verification failed';
  const what =
    err instanceof InvalidTokenError ? (command === 'decode' ? 'not a well-formed token' : 'invalid token') : failed;
  out.line(`${out.paint('red', 'error:')} ${what}: ${cliMessage(err.message)} (${err.code})`);
  if (hint) out.line(`${out.paint('dim', 'hint:')} ${hint}`);
  return EXIT.INVALID;
}
