// Duration flags (--leeway, --max-age, --exp, --nbf): seconds or '30s', '15m', '2h', '7d', parsed by the
// library's own parser; a bad value is a UsageError naming the flag.
import { toSeconds } from '../lib/duration.js';
import { UsageError } from './args.js';

/** A duration flag in seconds (`30`, `30s`, `15m`, `2h`, `7d`), or a UsageError naming the flag. */
export function parseDuration(value: string, flag: string, command: string, allowNegative = false): number {
  const text = value.trim();
  try {
    return toSeconds(/^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text, flag, allowNegative);
  } catch {
    throw new UsageError(
      `${flag} must be ${allowNegative ? 'a' : 'a non-negative'} number of seconds or a duration such as 30s, 15m, 2h or 7d`,
      command,
    );
  }
}
