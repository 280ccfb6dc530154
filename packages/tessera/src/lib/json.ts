// Strict JSON for JOSE headers and claims sets. RFC 7515 §5.2 and RFC 7519 §7.2 require rejecting
// duplicate member names: parsers disagree on which duplicate wins ({"alg":"none","alg":"HS256"}),
// and that disagreement is an attack surface. JSON.parse already creates `__proto__` as an ordinary
// own data property, so a member called `__proto__` never touches a prototype.
import { decodeUTF8 } from './utf8.js';

/**
 * Returns the first member name that occurs twice in one object of `text` (already known to be valid
 * JSON), or `undefined`. One pass over the characters; sets are only created for objects.
 */
export function findDuplicateMember(text: string): string | undefined {
  const stack: Array<Set<string> | null> = [];
  let expectKey = false;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const start = i + 1;
      let escaped = false;
      for (i = start; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) {
          escaped = true;
          i++;
        } else if (d === 0x22) break;
      }
      if (expectKey) {
        expectKey = false;
        const raw = text.slice(start, i);
        const name = escaped ? (JSON.parse(`"${raw}"`) as string) : raw;
        const members = stack[stack.length - 1];
        if (members) {
          if (members.has(name)) return name;
          members.add(name);
        }
      }
    } else if (c === 0x7b /* { */) {
      stack.push(new Set());
      expectKey = true;
    } else if (c === 0x5b /* [ */) {
      stack.push(null);
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
    } else if (c === 0x2c /* , */) {
      expectKey = stack[stack.length - 1] != null;
    }
  }
  return undefined;
}

// Counts `":` in `text`, or -1 when some colon follows whitespace (a member name may be written
// `"name" :`). Every member of valid JSON written without that whitespace contributes one `":`;
// colons inside string values only add to the count. So "count == members parsed" proves there is no
// duplicate, and any other outcome falls back to the exact scan. One native search per colon instead
// of a character loop or a regular expression over the whole text.
function countQuoteColons(text: string): number {
  let count = 0;
  for (let i = text.indexOf(':'); i !== -1; i = text.indexOf(':', i + 1)) {
    const before = text.charCodeAt(i - 1);
    if (before === 0x22 /* " */) count++;
    else if (before === 0x20 || before === 0x09 || before === 0x0a || before === 0x0d) return -1;
  }
  return count;
}

// Counts the members of the parsed value: duplicates collapse into one, so fewer members here than
// written in the text means a duplicate name. Returns -1 below MAX_FAST_DEPTH levels, leaving deep
// documents to the iterative exact scan (recursion must not be steerable by a hostile payload).
const MAX_FAST_DEPTH = 32;
function countParsedMembers(value: unknown, depth = 0): number {
  if (value === null || typeof value !== 'object') return 0;
  if (depth === MAX_FAST_DEPTH) return -1;
  let count = 0;
  if (Array.isArray(value)) {
    for (const item of value) {
      const inner = countParsedMembers(item, depth + 1);
      if (inner < 0) return -1;
      count += inner;
    }
    return count;
  }
  for (const name in value) {
    const inner = countParsedMembers((value as Record<string, unknown>)[name], depth + 1);
    if (inner < 0) return -1;
    count += 1 + inner;
  }
  return count;
}

/** True when some object in `text` (valid JSON, parsed into `value`) repeats a member name. */
export function hasDuplicateMember(text: string, value: unknown): boolean {
  // Equal counts prove uniqueness (see countQuoteColons); anything unusual (string values holding `":`,
  // whitespace before a colon, an enumerable property on Object.prototype) only makes them disagree,
  // and then the precise scan decides.
  const members = countParsedMembers(value);
  if (members >= 0 && countQuoteColons(text) === members) return false;
  return findDuplicateMember(text) !== undefined;
}

/**
 * The default nesting limit of every JSON document Tessera parses (`maxJSONDepth`). A real JOSE header,
 * claims set or JWK Set nests a handful of levels; JSON.parse itself has no limit and spends about a
 * microsecond per level, so a hostile 1,000,000-level payload would cost over a second.
 * @example
 * ```ts
 * verifyJWT(token, key, { algorithms: ['ES256'], maxJSONDepth: DEFAULT_MAX_JSON_DEPTH * 2 });
 * ```
 */
export const DEFAULT_MAX_JSON_DEPTH = 256;

/** Validates a `maxJSONDepth` option (TypeError quoting it); `undefined` gives the default. */
export function normalizeMaxJSONDepth(value: unknown): number {
  if (value === undefined) return DEFAULT_MAX_JSON_DEPTH;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1)
    throw new TypeError('"maxJSONDepth" option must be a positive integer');
  return value;
}

/**
 * True when `text` nests arrays and objects more than `maxDepth` levels deep (the outermost value is
 * level 1). Runs before JSON.parse and stops at the first bracket past the limit, so refusing a deep
 * document costs time proportional to the bytes read up to the limit, never to the whole document.
 * Brackets inside strings do not count; the text need not be valid JSON (JSON.parse decides that).
 */
export function exceedsJSONDepth(text: string, maxDepth: number): boolean {
  // The depth is at most the number of opening brackets: counting them is a native search per
  // bracket, and most documents have far fewer brackets than the limit, so the exact scan is rare.
  let opening = 0;
  for (let i = text.indexOf('['); i !== -1 && opening <= maxDepth; i = text.indexOf('[', i + 1)) opening++;
  for (let i = text.indexOf('{'); i !== -1 && opening <= maxDepth; i = text.indexOf('{', i + 1)) opening++;
  if (opening <= maxDepth) return false;
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > maxDepth) return true;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      depth--;
    }
  }
  return false;
}

/** Why a JSON document could not be read; the caller turns it into its own error. */
export type JSONObjectProblem = 'utf8' | 'syntax' | 'not_object' | 'duplicate' | 'depth';

/** Parses JSON text of any top-level type: within `maxDepth` levels, and with unique member names. */
export function parseJSONText(
  text: string,
  maxDepth: number = DEFAULT_MAX_JSON_DEPTH,
): { value: unknown } | Exclude<JSONObjectProblem, 'utf8' | 'not_object'> {
  if (exceedsJSONDepth(text, maxDepth)) return 'depth';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'syntax';
  }
  if (value !== null && typeof value === 'object' && hasDuplicateMember(text, value)) return 'duplicate';
  return { value };
}

/** Parses UTF-8 bytes that must hold one JSON object with unique member names, within `maxDepth` levels. */
export function parseJSONObject(
  bytes: Buffer,
  maxDepth: number = DEFAULT_MAX_JSON_DEPTH,
): Record<string, unknown> | JSONObjectProblem {
  const text = decodeUTF8(bytes);
  if (text === undefined) return 'utf8';
  const parsed = parseJSONText(text, maxDepth);
  if (typeof parsed === 'string') return parsed;
  const { value } = parsed;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'not_object';
  return value as Record<string, unknown>;
}

/**
 * The nesting depth of a parsed value (the outermost object or array is level 1), walked without
 * recursion. For cached headers: a header parsed under one caller's `maxJSONDepth` is checked against
 * the next caller's.
 */
export function valueDepth(value: unknown): number {
  let max = 0;
  const pending: Array<[unknown, number]> = [[value, 1]];
  while (pending.length > 0) {
    const [v, depth] = pending.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > max) max = depth;
    for (const child of Object.values(v))
      if (child !== null && typeof child === 'object') pending.push([child, depth + 1]);
  }
  return max;
}

/**
 * The outcome of {@link parseJSON}: the value, or why the text was refused (`'syntax'`, `'duplicate'`
 * member name in one object, or nesting past `maxJSONDepth`).
 * @example
 * ```ts
 * const result: ParseJSONResult = parseJSON(body);
 * if (!result.ok) console.log(result.problem); // 'syntax' | 'duplicate' | 'depth'
 * ```
 */
export type ParseJSONResult = { ok: true; value: unknown } | { ok: false; problem: 'syntax' | 'duplicate' | 'depth' };

/**
 * Parses untrusted JSON text (a request body, a pasted JWK) the way Tessera parses tokens: nesting is
 * limited while reading (default 256 levels, `maxJSONDepth`), so a hostile document is refused after
 * the bytes up to the limit instead of costing a full JSON.parse; a member name repeated within one
 * object is refused too (RFC 8259 §4: receivers disagree on which one wins). Never throws.
 * @example
 * ```ts
 * import { parseJSON } from 'tessera-jwt/server';
 * const result = parseJSON(await request.text(), { maxJSONDepth: 32 });
 * if (!result.ok) return new Response(JSON.stringify({ error: 'invalid_request' }), { status: 400 });
 * ```
 */
export function parseJSON(text: string, options: { maxJSONDepth?: number } = {}): ParseJSONResult {
  if (typeof text !== 'string') throw new TypeError('parseJSON takes a string');
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  const parsed = parseJSONText(text, normalizeMaxJSONDepth(options.maxJSONDepth));
  return typeof parsed === 'string' ? { ok: false, problem: parsed } : { ok: true, value: parsed.value };
}
