// "Did you mean …?" for unknown flags, commands and algorithm names: the candidate with the smallest
// optimal-string-alignment distance (a transposition counts as one edit), if it is close enough.

function distance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The candidate closest to `input`, or undefined when none is plausibly meant. Case is ignored for the
 * comparison (`hs256` → `HS256`); a unique candidate that starts with the input (`--aud` for `--au`) wins,
 * then the longest candidate the input starts with (`--aud` for `--audience`).
 */
export function closest(input: string, candidates: Iterable<string>): string | undefined {
  const needle = input.toLowerCase();
  const list = [...candidates];
  const exact = list.find((c) => c.toLowerCase() === needle);
  if (exact !== undefined) return exact;
  const prefixed = list.filter((c) => needle.length >= 2 && c.toLowerCase().startsWith(needle));
  if (prefixed.length === 1) return prefixed[0];
  // A longer spelling of a short name: --audience for --aud, --issuer for --iss.
  const within = list
    .filter((c) => c.length >= 3 && needle.startsWith(c.toLowerCase()))
    .sort((a, b) => b.length - a.length);
  if (within.length > 0) return within[0];
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of list) {
    const d = distance(needle, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const limit = Math.max(1, Math.min(3, Math.floor(needle.length / 3)));
  return bestDistance <= limit ? best : undefined;
}
