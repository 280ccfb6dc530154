// Unknown option names are programmer mistakes: `{ expiresin: 900 }` would otherwise make a token with no
// `exp` without a word. Every public options object is checked against the names its function reads, and a
// misspelling is answered with a TypeError that suggests the closest known name.
import { closest } from './suggest.js';

/** The option names a function accepts, built once per function (a Set without prototype lookups). */
export type OptionNames = ReadonlySet<string>;

/** Builds the accepted names of an options object, optionally extending another list. */
export function optionNames(...lists: ReadonlyArray<Iterable<string>>): OptionNames {
  const names = new Set<string>();
  for (const list of lists) for (const name of list) names.add(name);
  return names;
}

/**
 * Throws a TypeError naming the first own enumerable key of `options` that is not in `known`, with the
 * closest known name as a suggestion. `where` names the call (`signJWT`, `createRemoteJWKSet`).
 * A key whose value is `undefined` is still checked: the misspelling is the mistake, not the value.
 */
export function checkOptionNames(options: object, known: OptionNames, where: string): void {
  for (const name in options) {
    if (!known.has(name) && Object.hasOwn(options, name)) throw unknownOption(name, known, where);
  }
}

function unknownOption(name: string, known: OptionNames, where: string): TypeError {
  const suggestion = closest(name, known);
  const hint = suggestion === undefined ? '' : `; did you mean "${suggestion}"?`;
  return new TypeError(`${where}: unknown option "${name}"${hint}`);
}
