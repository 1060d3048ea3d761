/** The first position in `sorted` (ascending) whose string is not below `value`: where a prefix's matches start. */
export function lowerBound (sorted: readonly string[], value: string): number {
  return firstNotBelow(sorted.length, at => (sorted[at] as string) < value)
}

/** The first of `length` ascending positions for which `isBelow` is false (`length` when it holds for all): a binary search. */
export function firstNotBelow (length: number, isBelow: (at: number) => boolean): number {
  let low = 0
  let high = length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (isBelow(middle)) low = middle + 1
    else high = middle
  }
  return low
}
