/**
 * A new build's term tree decoded, before it is swapped in, where the served build's tree
 * was decoded: the nodes the served build's queries reached.
 *
 * A loaded tree decodes each node when a query first reaches it (term-tree.ts), which costs
 * nothing at load and little for an exact lookup. A fuzzy lookup (a word found in few
 * documents, widened by its near terms; the canary's rare words) walks thousands of nodes
 * near the root, each a read and a decode with the event loop held: right after a swap at
 * 800,000 documents, the first queries on the new tree held the loop for 60–80 ms where the
 * served tree's took a few. The served tree's decoded nodes are the queries' own working set,
 * as a searcher's caches are (Solr warms a new searcher with the old one's cache keys), so
 * the same paths are decoded in the new tree, in slices, while the served one still answers.
 */
import type { Pause } from './time-slicer.js'
import { LEAF, type TermData, type TreeNode } from './minisearch-internals.js'
import { LazyTreeNode } from './term-tree.js'

/** Nodes decoded between two pauses: a node is a read and a decode of tens of bytes. */
const NODES_BETWEEN_PAUSES = 64

/**
 * Decodes in `fresh` every node whose path in `served` is decoded (a node added live is a
 * plain Map: decoded too). A path the new tree lacks, or splits otherwise, is left to the
 * query that reaches it. Returns the nodes visited in `fresh`.
 */
export async function decodeAsServed (served: TreeNode, fresh: TreeNode, pause: Pause): Promise<number> {
  const stack: Array<[TreeNode, TreeNode]> = [[served, fresh]]
  let visited = 0
  for (let pair = stack.pop(); pair !== undefined; pair = stack.pop()) {
    const [servedNode, freshNode] = pair
    freshNode.has(LEAF) // any read decodes the whole node
    for (const [label, child] of servedNode) {
      if (label === LEAF || !isDecoded(child)) continue
      // Below the empty label are a term's postings; every other edge leads to a node.
      const freshChild = freshNode.get(label) as TreeNode | undefined
      if (freshChild !== undefined) stack.push([child as TreeNode, freshChild])
    }
    visited += 1
    if (visited % NODES_BETWEEN_PAUSES === 0) await pause()
  }
  return visited
}

/** A node MiniSearch has read: a lazy node once decoded, or a Map made in memory. */
function isDecoded (node: TreeNode | TermData): boolean {
  return node instanceof LazyTreeNode ? node.isDecoded : true
}
