/**
 * Runs async tasks one at a time, in arrival order. Document changes and index swaps go
 * through one queue, so a change is either applied to the old index before its replacement
 * is chosen or replayed over the new one, never lost in between.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve()

  run<T> (task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task)
    this.tail = result.catch(() => {})
    return result
  }
}
