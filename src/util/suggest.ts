/**
 * "Did you mean" suggestions: the known name nearest to a misspelt one by Damerau-Levenshtein
 * distance (optimal string alignment: insert, delete, substitute, swap two neighbours, each
 * costing 1), compared without case. A name is only suggested when it is close enough to be a
 * typo: at most a third of the longer name's length is edited (at least one edit allowed), and
 * never every character (so "z" does not suggest "a"). Ties go to the name listed first.
 */

/** The optimal-string-alignment edit distance between `a` and `b` (case-sensitive). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  // Three rolling rows: the transposition rule looks two rows back.
  let prev2 = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, prev2[j - 2] + 1);
      }
      cur[j] = d;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[b.length];
}

/**
 * The name in `known` nearest to `given` (ignoring case), or undefined when none is within
 * `max(1, floor(longer length / 3))` edits and fewer edits than the longer length.
 * @example
 * nearestName('mnsit', ['mnist', 'mnist:train', 'mnist:test']); // 'mnist'
 * nearestName('specis', ['sepal_length', 'species']); // 'species'
 * nearestName('zzz', ['species']); // undefined
 */
export function nearestName(given: string, known: Iterable<string>): string | undefined {
  const g = given.toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  for (const name of known) {
    const d = editDistance(g, name.toLowerCase());
    const longer = Math.max(g.length, name.length);
    const limit = Math.max(1, Math.floor(longer / 3));
    if (d <= limit && d < longer && d < bestD) {
      best = name;
      bestD = d;
    }
  }
  return best;
}

/** `"; did you mean X?"` for the nearest name, or '' when none is close (for error messages). */
export function didYouMean(given: string, known: Iterable<string>): string {
  const n = nearestName(given, known);
  return n === undefined ? '' : `; did you mean ${n}?`;
}
