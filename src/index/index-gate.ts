/**
 * Who may read an index across turns of the event loop, and when a live change may land.
 *
 * A search reads its index over several turns: it scores in pieces (so that /health and new
 * connections are answered meanwhile) and awaits reads of documents for phrases and
 * snippets. A live change applied in between would be half seen: a document added after the
 * length columns were taken scores NaN, one deleted has no stored fields when its result is
 * built. So searches read under the gate, together, and a change is applied alone: it waits
 * for the searches in flight, and searches that come while it waits wait behind it (else a
 * steady stream of searches would hold it back forever). A change is applied in one piece
 * (a bulk import in slices, each taking the gate), so searches wait for milliseconds.
 */
export class IndexGate {
  private readers = 0
  private writing = false
  private readonly waiting: Array<{ writes: boolean, admit: () => void }> = []

  /** Searches reading now. */
  get readersInFlight (): number {
    return this.readers
  }

  /** Runs `work` among other readers, once no change is applied or waiting. */
  async read<T> (work: () => Promise<T>): Promise<T> {
    if (this.writing || this.waiting.length > 0) {
      await new Promise<void>(resolve => this.waiting.push({ writes: false, admit: resolve }))
    } else {
      this.readers += 1
    }
    try {
      return await work()
    } finally {
      this.readers -= 1
      this.admitWaiting()
    }
  }

  /** Runs `work` alone, once the readers in flight are done. */
  async write<T> (work: () => T | Promise<T>): Promise<T> {
    if (this.writing || this.readers > 0 || this.waiting.length > 0) {
      await new Promise<void>(resolve => this.waiting.push({ writes: true, admit: resolve }))
    } else {
      this.writing = true
    }
    try {
      return await work()
    } finally {
      this.writing = false
      this.admitWaiting()
    }
  }

  /** Lets in, in order, the readers up to the next writer, or that writer when no reader is left. */
  private admitWaiting (): void {
    while (!this.writing) {
      const next = this.waiting[0]
      if (next === undefined) return
      if (next.writes) {
        if (this.readers > 0) return
        this.writing = true
      } else {
        this.readers += 1
      }
      // Counted before the waiter runs: no one can slip in between the hand-over and its start.
      this.waiting.shift()
      next.admit()
    }
  }
}

const gates = new WeakMap<object, IndexGate>()

/** The gate of an index (one per MiniSearch instance: the thing changes mutate). */
export function gateOf (index: object): IndexGate {
  let gate = gates.get(index)
  if (gate === undefined) gates.set(index, gate = new IndexGate())
  return gate
}
