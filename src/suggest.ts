import { distance } from 'fastest-levenshtein';

/**
 * The known name a mistyped one most likely meant, or nothing when none is close: a suggestion
 * that is not what the user meant is worse than none. Case is ignored ("usd" means "USD"); a
 * swap of two letters ("tilte") costs 2, which names of four letters or more may have.
 */
export function closestName(name: string, known: Iterable<string>): string | undefined {
  const typed = name.toLowerCase();
  const limit = typed.length <= 3 ? 1 : Math.max(2, Math.floor(typed.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of new Set(known)) {
    if (candidate === name) continue;
    const cost = distance(typed, candidate.toLowerCase());
    if (cost < bestDistance) {
      best = candidate;
      bestDistance = cost;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** `; did you mean "x"?` to end a message about an unknown name, or '' when nothing is close. */
export function didYouMean(name: string, known: Iterable<string>): string {
  const close = closestName(name, known);
  return close === undefined ? '' : `; did you mean "${close}"?`;
}
