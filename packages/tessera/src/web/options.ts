// The web verifiers' option checks, shared by verifyJWT/verifyJWS and the web middleware (which runs them
// at setup): unknown names are TypeErrors, `algorithms` is required, `crit` may only be [].
import { isNoneAlgorithm, algorithmInfo } from '../lib/algorithms.js';
import { normalizeClaimOptions } from '../lib/claims.js';
import { normalizeMaxJSONDepth } from '../lib/json.js';
import { checkOptionNames, type OptionNames, optionNames } from '../lib/options.js';

/** Internal: the checked `algorithms` option. */
export function checkAlgorithms(algorithms: unknown): readonly string[] {
  if (!Array.isArray(algorithms) || algorithms.length === 0 || algorithms.some((a) => typeof a !== 'string'))
    throw new TypeError('"algorithms" option is required: a non-empty array, e.g. { algorithms: [\'HS256\'] }');
  for (const alg of algorithms as string[]) {
    if (isNoneAlgorithm(alg) || algorithmInfo(alg) === undefined)
      throw new TypeError(`"algorithms" lists an unknown or unsecured algorithm "${alg.slice(0, 32)}"`);
  }
  return algorithms as string[];
}

/** Internal: the option names of the web verifyJWS. */
export const JWS_OPTION_NAMES = /* @__PURE__ */ optionNames([
  'algorithms',
  'maxTokenLength',
  'allowWeakKeys',
  'maxJSONDepth',
  'crit',
]);
/** Internal: every option name of the web verifyJWT. */
export const WEB_VERIFY_OPTION_NAMES = /* @__PURE__ */ optionNames(JWS_OPTION_NAMES, [
  'audience',
  'strictAudience',
  'issuer',
  'subject',
  'jwtId',
  'nonce',
  'clockTolerance',
  'leeway',
  'maxTokenAge',
  'requiredClaims',
  'require',
  'typ',
  'currentDate',
  'checks',
  'validate',
]);

/** Internal: checks the options of a web verifier; returns the algorithms. */
export function checkOptions(options: unknown, known: OptionNames, where: string): readonly string[] {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  // A misspelt "audiance" must not silently turn a check off.
  checkOptionNames(options, known, where);
  const { crit, maxJSONDepth } = options as { crit?: unknown; maxJSONDepth?: unknown };
  if (crit !== undefined && (!Array.isArray(crit) || crit.length > 0))
    throw new TypeError('"crit" option must be [] on the web entry: it implements no JWS extension');
  normalizeMaxJSONDepth(maxJSONDepth);
  return checkAlgorithms((options as { algorithms?: unknown; crit?: unknown; maxJSONDepth?: unknown }).algorithms);
}

/** Internal: every check the web verifyJWT makes of its options, for the middleware to run at setup. */
export function checkVerifyJWTOptions(options: object): void {
  checkOptions(options, WEB_VERIFY_OPTION_NAMES, 'verifyJWT');
  normalizeClaimOptions(options);
}

/** Internal: `names` without `left` (the middleware's option names less those the web lacks). */
export function withoutNames(names: OptionNames, ...left: string[]): OptionNames {
  return optionNames([...names].filter((name) => !left.includes(name)));
}
