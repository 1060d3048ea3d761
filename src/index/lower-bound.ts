/** The first position in `sorted` (ascending) whose string is not below `value`: where a prefix's matches start. */
export function lowerBound (sorted: readonly string[], value: string): number {
  let low = 0
  let high = sorted.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if ((sorted[middle] as string) < value) low = middle + 1
    else high = middle
  }
  return low
}
