/**
 * Ranking metrics with binary relevance, as trec_eval defines them: nDCG@k, average
 * precision cut at k (divided by all relevant documents), recall@k, reciprocal rank@k.
 */

export function ndcgAt (k: number, ranked: readonly string[], relevant: ReadonlySet<string>): number {
  let dcg = 0
  for (let i = 0; i < Math.min(k, ranked.length); i += 1) {
    if (relevant.has(ranked[i] as string)) dcg += 1 / Math.log2(i + 2)
  }
  let ideal = 0
  for (let i = 0; i < Math.min(k, relevant.size); i += 1) ideal += 1 / Math.log2(i + 2)
  return ideal === 0 ? 0 : dcg / ideal
}

export function averagePrecisionAt (k: number, ranked: readonly string[], relevant: ReadonlySet<string>): number {
  let found = 0
  let sum = 0
  for (let i = 0; i < Math.min(k, ranked.length); i += 1) {
    if (relevant.has(ranked[i] as string)) {
      found += 1
      sum += found / (i + 1)
    }
  }
  return relevant.size === 0 ? 0 : sum / relevant.size
}

export function recallAt (k: number, ranked: readonly string[], relevant: ReadonlySet<string>): number {
  let found = 0
  for (let i = 0; i < Math.min(k, ranked.length); i += 1) if (relevant.has(ranked[i] as string)) found += 1
  return relevant.size === 0 ? 0 : found / relevant.size
}

export function reciprocalRankAt (k: number, ranked: readonly string[], relevant: ReadonlySet<string>): number {
  for (let i = 0; i < Math.min(k, ranked.length); i += 1) if (relevant.has(ranked[i] as string)) return 1 / (i + 1)
  return 0
}

export function mean (values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length
}

export function median (values: readonly number[]): number {
  return quantile(values, 0.5)
}

export function quantile (values: readonly number[], q: number): number {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  return sorted[index] as number
}
