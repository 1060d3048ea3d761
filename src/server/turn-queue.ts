/**
 * Searches take turns on the event loop: one starts per loop iteration, in its check phase
 * (setImmediate), in the order they came, and only once an iteration's poll phase brought
 * no new request. Between two searches the poll phase reads new connections and answers at
 * once what costs nothing (/health, /metrics).
 *
 * Why: a search holds the event loop while it scores (tens of milliseconds at 800,000
 * documents), and Node accepts one new connection per loop iteration (libuv: one accept4
 * per poll, the rest wait in the kernel's queue). With 16 clients searching, a load
 * balancer's probe waited in that queue behind every search: /health answered in 200–400
 * ms at the median, 1.5 s at worst, and 2.8 s while a new build loaded. Deferring a search
 * while requests keep arriving lets the loop go round, accepting one connection each time,
 * until the queue is read; a probe then waits for at most the one search under way.
 *
 * A search that holds the loop longer than `sliceMs` gives way at its next pause (`pause`,
 * awaited between its pieces of work: each term's scoring, each stage, each document read):
 * it waits again, ahead of the searches not yet started, so a probe waits for a slice, not a
 * whole search (at 800,000 documents a search over half the archive took 100–250 ms, and
 * while 16 clients searched /health answered in up to 600 ms). Work after reads that end in
 * the same poll phase shares one slice in the same way. A search pauses in one line of work
 * at a time (a phrase check reads its bodies together but inflates them one by one): a pause
 * per read, each waiting for a grant, made a phrase query wait seconds.
 *
 * A queue that keeps growing means the server cannot keep up: when the search first in
 * line has waited longer than `maxWaitMs`, a new one is refused at once (the caller answers
 * 503) rather than queued behind it, as the event-loop delay did before turns hid it.
 */
export interface TurnQueueOptions {
  /** A new turn is refused while the first in line has waited longer than this; 0: never refused. */
  maxWaitMs: number
  /** How long a search holds the event loop before its next `pause` gives way (SEARCH_SLICE_MS unless given). */
  sliceMs?: number
  /** The clock, in milliseconds (tests move it by hand). */
  now?: () => number
}

/** How long a search holds the event loop before it gives way: well inside the 100 ms a probe may wait. */
export const SEARCH_SLICE_MS = 10

/**
 * How long, and for how many iterations, a waiting search gives way to arriving requests at
 * most: a flood of cheap requests cannot starve searches, nor can work done in slices
 * meanwhile (a build loading, the vocabulary prepared), which takes a slice each iteration.
 */
const MAX_DEFERRALS = 64
const MAX_DEFERRAL_MS = 20

interface Waiting {
  since: number
  start: () => void
}

export class TurnQueue {
  private readonly waiting: Waiting[] = []
  /** Searches that gave way mid-work, let go on one per grant before any `waiting` one starts. */
  private readonly resuming: Array<() => void> = []
  /** Slices of background work (a build loading, the vocabulary prepared): every other grant while searches wait. */
  private readonly background: Array<() => void> = []
  private lastGrantWasBackground = false
  /**
   * A stretch: search work done without the loop going round (a turn granted, or work after
   * reads that ended in one poll phase), measured from its start. It ends in the loop's next
   * check phase, after the loop has done its other work.
   */
  private stretchStartedAt = 0
  private stretchOpen = false
  private stretchEndPending = false
  /** Index of the first in line in `waiting` (shifted lazily: shift() is linear on long arrays). */
  private head = 0
  private granting = false
  /** Requests that arrived, and the count the last deferral saw: equal when an iteration brought none. */
  private arrivals = 0
  private arrivalsSeen = 0
  private deferrals = 0
  private deferringSince = 0
  readonly maxWaitMs: number
  readonly sliceMs: number
  private readonly now: () => number

  constructor ({ maxWaitMs, sliceMs = SEARCH_SLICE_MS, now = () => performance.now() }: TurnQueueOptions) {
    this.maxWaitMs = maxWaitMs
    this.sliceMs = sliceMs
    this.now = now
  }

  /** Searches waiting for their turn (to start or to go on). */
  get length (): number {
    return this.waiting.length - this.head + this.resuming.length
  }

  /**
   * For background work between two slices (time-slicer.ts's `giveWayThrough`): resolves
   * when its turn comes, every other grant while searches wait, so that a loop turn holds
   * one slice of work, never a search's and the background's both.
   */
  readonly backgroundTurn = async (): Promise<void> => {
    await new Promise<void>(resolve => {
      this.background.push(resolve)
      this.scheduleGrant()
    })
  }

  /** How long the first in line has waited, in milliseconds (0 when none waits). */
  longestWaitMs (): number {
    const first = this.waiting[this.head]
    return first === undefined ? 0 : this.now() - first.since
  }

  /**
   * Resolves true when the caller's turn comes (its work then runs before the next loop
   * iteration's poll), or false at once when the queue is backed up past `maxWaitMs`.
   */
  async take (): Promise<boolean> {
    if (this.maxWaitMs > 0 && this.longestWaitMs() > this.maxWaitMs) return false
    return await new Promise<boolean>(resolve => {
      this.waiting.push({ since: this.now(), start: () => resolve(true) })
      this.scheduleGrant()
    })
  }

  /**
   * For a search that holds a turn, between two pieces of its work: at once while the turn's
   * slice lasts, else after the search has waited for another turn (ahead of those not yet
   * started; never refused).
   */
  readonly pause = async (): Promise<void> => {
    if (!this.stretchOpen) this.startStretch()
    if (this.now() - this.stretchStartedAt < this.sliceMs) return
    await new Promise<void>(resolve => {
      this.resuming.push(resolve)
      this.scheduleGrant()
    })
  }

  /** Counts a request that arrived (any route): while requests arrive, the next search waits. */
  arrived (): void {
    this.arrivals += 1
  }

  private startStretch (): void {
    this.stretchOpen = true
    this.stretchStartedAt = this.now()
    if (this.stretchEndPending) return
    this.stretchEndPending = true
    setImmediate(this.endStretch)
  }

  private readonly endStretch = (): void => {
    this.stretchOpen = false
    this.stretchEndPending = false
  }

  private scheduleGrant (): void {
    if (this.granting || (this.length === 0 && this.background.length === 0)) return
    this.granting = true
    // An immediate queued from a check-phase callback runs in the next iteration, after its poll phase.
    setImmediate(this.grant)
  }

  private readonly grant = (): void => {
    // Background work goes on when no search waits, and otherwise every other grant: neither starves.
    if (this.background.length > 0 && (this.length === 0 || !this.lastGrantWasBackground)) {
      this.granting = false
      this.lastGrantWasBackground = true
      this.startStretch()
      const slice = this.background.shift() as () => void
      this.scheduleGrant()
      slice()
      return
    }
    this.lastGrantWasBackground = false
    if (this.length === 0) {
      this.granting = false
      return
    }
    if (this.deferrals === 0) this.deferringSince = this.now()
    // A search that gave way is not deferred: it waited a turn already, and the loop went round meanwhile.
    if (this.resuming.length === 0 && this.arrivals !== this.arrivalsSeen && this.deferrals < MAX_DEFERRALS && this.now() - this.deferringSince < MAX_DEFERRAL_MS) {
      this.arrivalsSeen = this.arrivals
      this.deferrals += 1
      setImmediate(this.grant)
      return
    }
    this.granting = false
    this.deferrals = 0
    this.startStretch()
    const resumed = this.resuming.shift()
    if (resumed !== undefined) {
      this.scheduleGrant()
      resumed()
      return
    }
    const next = this.waiting[this.head]
    this.head += 1
    if (this.head === this.waiting.length || this.head > 1024) {
      this.waiting.splice(0, this.head)
      this.head = 0
    }
    this.scheduleGrant()
    next?.start()
  }
}
