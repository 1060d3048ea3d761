/**
 * Bounded Damerau-Levenshtein distance (optimal string alignment) and the fuzziness policy.
 *
 * Why: typo-tolerant matching compares a query word with many index terms; almost all
 * comparisons are misses, so the distance must give up as soon as it is certain the
 * result exceeds the allowed number of edits. OSA counts an adjacent transposition
 * («путни» → «путин») as one edit, the commonest typing error. Strings are compared by
 * Unicode code point; callers normalise case/«ё» beforehand.
 */

/**
 * Optimal-string-alignment distance between a and b if it is ≤ max, otherwise null.
 * Runs in O(len · (2·max+1)) time: only the diagonal band that can stay within max is filled.
 */
export function distanceWithin(a: string, b: string, max: number): number | null {
  if (!Number.isFinite(max) || max < 0) return null;
  const limit = Math.floor(max);
  if (a === b) return 0;
  const s = Array.from(a);
  const t = Array.from(b);
  const n = s.length;
  const m = t.length;
  if (Math.abs(n - m) > limit) return null;
  if (n === 0) return m;
  if (m === 0) return n;

  const big = limit + 1;
  let prevPrev = new Array<number>(m + 1).fill(big);
  let prev = new Array<number>(m + 1).fill(big);
  let cur = new Array<number>(m + 1).fill(big);
  for (let j = 0; j <= Math.min(m, limit); j++) prev[j] = j;

  for (let i = 1; i <= n; i++) {
    const from = Math.max(1, i - limit);
    const to = Math.min(m, i + limit);
    cur.fill(big);
    cur[0] = i <= limit ? i : big;
    let rowMin = cur[0]!;
    const si = s[i - 1]!;
    for (let j = from; j <= to; j++) {
      const tj = t[j - 1]!;
      const cost = si === tj ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && si === t[j - 2] && s[i - 2] === tj) {
        v = Math.min(v, prevPrev[j - 2]! + 1);
      }
      v = Math.min(v, big);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return null;
    [prevPrev, prev, cur] = [prev, cur, prevPrev];
  }
  const d = prev[m]!;
  return d <= limit ? d : null;
}

export interface FuzzinessPolicy {
  /** Words with at least this many code points may have 1 edit. */
  readonly oneEditFrom: number;
  /** Words with at least this many code points may have 2 edits. */
  readonly twoEditsFrom: number;
}

/** Elasticsearch-AUTO-like, but stricter for short words: <4 → 0, 4–7 → 1, 8+ → 2. */
export const DEFAULT_FUZZINESS_POLICY: FuzzinessPolicy = {
  oneEditFrom: 4,
  twoEditsFrom: 8,
};

/** How many edits a query word may be away from an index term. */
export function maxEditsFor(word: string, policy: Partial<FuzzinessPolicy> = {}): 0 | 1 | 2 {
  const p: FuzzinessPolicy = { ...DEFAULT_FUZZINESS_POLICY, ...policy };
  const length = Array.from(word).length;
  if (length >= p.twoEditsFrom) return 2;
  if (length >= p.oneEditFrom) return 1;
  return 0;
}

/** Distance between a query word and a candidate under the policy, or null if too far. */
export function fuzzyDistance(
  queryWord: string,
  candidate: string,
  policy: Partial<FuzzinessPolicy> = {},
): number | null {
  return distanceWithin(queryWord, candidate, maxEditsFor(queryWord, policy));
}
