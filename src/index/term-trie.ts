/**
 * A build's term tree in a few flat arrays: the radix tree MiniSearch's SearchableMap makes
 * from the same terms inserted in the same order, edge for edge and in the same edge order,
 * without a Map and a label string per node. Made only to be written (term-tree.ts's
 * `writeTermTrie`), which gives the bytes writing MiniSearch's own tree gives.
 *
 * At 800,000 Lenta-shaped documents a build has about 3.5 million terms: as Maps, the tree
 * was 1.4 GB of the build's peak of memory; here an edge is five 32-bit numbers and a node two,
 * and a label is a range of the term that made it.
 *
 * The shape follows SearchableMap's `createPath` (minisearch 7.2) step by step:
 * - a node's edges are scanned in order for one whose label starts with the key's next
 *   character (code unit); the term-end edge (LEAF) never matches;
 * - an edge whose whole label matches is followed;
 * - an edge matching only in part is split: a new node takes the rest of the old label as its
 *   first edge, and the matched part is added as a new edge at the end of the node's edges
 *   (`set`, then `delete` of the old label, in a Map);
 * - with no matching edge, the rest of the key is a new edge at the end, to a new node;
 * - the term's own edge (LEAF) is then added at the end of the node the key ends at.
 */
import { grown } from './posting-table.js'

const NONE = -1
/** `edgeStart` of a term-end edge, whose label is empty (MiniSearch's LEAF). */
const TERM_END = -2

export class TermTrie {
  private nodeFirst = new Int32Array(1 << 12).fill(NONE)
  private nodeLast = new Int32Array(1 << 12).fill(NONE)
  private nodeCount = 1
  private edgeNext = new Int32Array(1 << 12)
  /** The label: characters `edgeStart` … `edgeEnd` of term `edgeTerm`; a term-end edge has `edgeStart` TERM_END. */
  private edgeTerm = new Int32Array(1 << 12)
  private edgeStart = new Int32Array(1 << 12)
  private edgeEnd = new Int32Array(1 << 12)
  /** The child node; for a term-end edge, the term's number. */
  private edgeTarget = new Int32Array(1 << 12)
  private edgeCount = 0
  private inserted = 0

  /** `terms`: the dictionary, by number; inserted by number with `insert`. */
  constructor (readonly terms: readonly string[]) {}

  get termCount (): number {
    return this.inserted
  }

  /** Inserts term `term` (a number into `terms`), as SearchableMap's `set` would. */
  insert (term: number): void {
    const key = this.terms[term] as string
    let node = 0
    let pos = 0
    outer: while (pos < key.length) {
      for (let edge = this.nodeFirst[node] as number, previous = NONE; edge !== NONE; previous = edge, edge = this.edgeNext[edge] as number) {
        const start = this.edgeStart[edge] as number
        if (start === TERM_END) continue
        const label = this.terms[this.edgeTerm[edge] as number] as string
        if (key.charCodeAt(pos) !== label.charCodeAt(start)) continue
        const labelLength = (this.edgeEnd[edge] as number) - start
        const length = Math.min(key.length - pos, labelLength)
        let offset = 1
        while (offset < length && key.charCodeAt(pos + offset) === label.charCodeAt(start + offset)) offset += 1
        if (offset === labelLength) {
          node = this.edgeTarget[edge] as number
        } else {
          node = this.split(node, edge, previous, offset, term, pos)
        }
        pos += offset
        continue outer
      }
      const child = this.newNode()
      this.append(node, this.newEdge(term, pos, key.length, child))
      node = child
      break
    }
    this.append(node, this.newEdge(term, TERM_END, TERM_END, term))
    this.inserted += 1
  }

  /**
   * Splits `edge` of `node` after `offset` characters: a new node gets the rest of the label
   * (to the old child); the edge, relabelled to its first `offset` characters (as the key
   * `term` spells them from `pos`), now leads to the new node and moves to the end of the
   * node's edges. Returns the new node.
   */
  private split (node: number, edge: number, previous: number, offset: number, term: number, pos: number): number {
    const intermediate = this.newNode()
    const start = this.edgeStart[edge] as number
    this.append(intermediate, this.newEdge(this.edgeTerm[edge] as number, start + offset, this.edgeEnd[edge] as number, this.edgeTarget[edge] as number))
    this.unlink(node, edge, previous)
    this.edgeTerm[edge] = term
    this.edgeStart[edge] = pos
    this.edgeEnd[edge] = pos + offset
    this.edgeTarget[edge] = intermediate
    this.append(node, edge)
    return intermediate
  }

  /**
   * The tree in postorder, as term-tree.ts writes it: a node is entered through an edge (the
   * root through ''), then its edges follow in order (a child's whole subtree before the next
   * edge, a term-end edge as the term), then the node is left.
   */
  * postorder (): Generator<TrieStep> {
    const stack: number[] = [this.nodeFirst[0] as number]
    yield { step: 'enter', label: '' }
    while (stack.length > 0) {
      const edge = stack[stack.length - 1] as number
      if (edge === NONE) {
        stack.length -= 1
        yield LEAVE
        continue
      }
      stack[stack.length - 1] = this.edgeNext[edge] as number
      const start = this.edgeStart[edge] as number
      if (start === TERM_END) {
        yield { step: 'term', term: this.edgeTarget[edge] as number }
        continue
      }
      const child = this.edgeTarget[edge] as number
      yield { step: 'enter', label: (this.terms[this.edgeTerm[edge] as number] as string).slice(start, this.edgeEnd[edge] as number) }
      stack.push(this.nodeFirst[child] as number)
    }
  }

  private newNode (): number {
    const node = this.nodeCount++
    if (node >= this.nodeFirst.length) {
      this.nodeFirst = grown(this.nodeFirst, node * 2, NONE)
      this.nodeLast = grown(this.nodeLast, node * 2, NONE)
    }
    return node
  }

  private newEdge (term: number, start: number, end: number, target: number): number {
    const edge = this.edgeCount++
    if (edge >= this.edgeNext.length) {
      const size = edge * 2
      this.edgeNext = grown(this.edgeNext, size)
      this.edgeTerm = grown(this.edgeTerm, size)
      this.edgeStart = grown(this.edgeStart, size)
      this.edgeEnd = grown(this.edgeEnd, size)
      this.edgeTarget = grown(this.edgeTarget, size)
    }
    this.edgeTerm[edge] = term
    this.edgeStart[edge] = start
    this.edgeEnd[edge] = end
    this.edgeTarget[edge] = target
    this.edgeNext[edge] = NONE
    return edge
  }

  private append (node: number, edge: number): void {
    this.edgeNext[edge] = NONE
    const last = this.nodeLast[node] as number
    if (last === NONE) this.nodeFirst[node] = edge
    else this.edgeNext[last] = edge
    this.nodeLast[node] = edge
  }

  private unlink (node: number, edge: number, previous: number): void {
    const next = this.edgeNext[edge] as number
    if (previous === NONE) this.nodeFirst[node] = next
    else this.edgeNext[previous] = next
    if (this.nodeLast[node] === edge) this.nodeLast[node] = previous
  }
}

/** A step of `TermTrie.postorder`. */
export type TrieStep = { step: 'enter', label: string } | { step: 'term', term: number } | { step: 'leave' }

const LEAVE: TrieStep = { step: 'leave' }

