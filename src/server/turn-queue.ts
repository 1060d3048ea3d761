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
 * A queue that keeps growing means the server cannot keep up: when the search first in
 * line has waited longer than `maxWaitMs`, a new one is refused at once (the caller answers
 * 503) rather than queued behind it, as the event-loop delay did before turns hid it.
 */
export interface TurnQueueOptions {
  /** A new turn is refused while the first in line has waited longer than this; 0: never refused. */
  maxWaitMs: number
  /** The clock, in milliseconds (tests move it by hand). */
  now?: () => number
}

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
  /** Index of the first in line in `waiting` (shifted lazily: shift() is linear on long arrays). */
  private head = 0
  private granting = false
  /** Requests that arrived, and the count the last deferral saw: equal when an iteration brought none. */
  private arrivals = 0
  private arrivalsSeen = 0
  private deferrals = 0
  private deferringSince = 0
  readonly maxWaitMs: number
  private readonly now: () => number

  constructor ({ maxWaitMs, now = () => performance.now() }: TurnQueueOptions) {
    this.maxWaitMs = maxWaitMs
    this.now = now
  }

  /** Searches waiting for their turn. */
  get length (): number {
    return this.waiting.length - this.head
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

  /** Counts a request that arrived (any route): while requests arrive, the next search waits. */
  arrived (): void {
    this.arrivals += 1
  }

  private scheduleGrant (): void {
    if (this.granting || this.length === 0) return
    this.granting = true
    // An immediate queued from a check-phase callback runs in the next iteration, after its poll phase.
    setImmediate(this.grant)
  }

  private readonly grant = (): void => {
    if (this.deferrals === 0) this.deferringSince = this.now()
    if (this.arrivals !== this.arrivalsSeen && this.deferrals < MAX_DEFERRALS && this.now() - this.deferringSince < MAX_DEFERRAL_MS) {
      this.arrivalsSeen = this.arrivals
      this.deferrals += 1
      setImmediate(this.grant)
      return
    }
    this.granting = false
    this.deferrals = 0
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
