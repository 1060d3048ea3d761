/**
 * Reads full documents from a build's docs.jsonl by byte offset. Bodies stay on disk
 * (and in the page cache) instead of in the MiniSearch index: only the top hits of a
 * query need them, for snippets, and `/documents/:id` needs one.
 */
import { open, type FileHandle } from 'node:fs/promises'
import type { Article } from '../corpus/article.js'

export const DOCUMENTS_FILE = 'docs.jsonl'

export interface DocumentLocation {
  offset: number
  length: number
}

export class DocumentStore {
  /** Documents changed since the build (PUT /documents/:id), held in memory until the next build folds them in. */
  private readonly overlay = new Map<number, Article>()

  private constructor (private readonly handle: FileHandle) {}

  static async open (path: string): Promise<DocumentStore> {
    return new DocumentStore(await open(path, 'r'))
  }

  private readonly overlaySlots = new Map<string, number>()

  /**
   * Keeps a changed document in memory; its location is a negative offset, never a file
   * position. One slot per document id, so repeated changes to a document do not pile up.
   */
  addOverlay (article: Article): DocumentLocation {
    const offset = this.overlaySlots.get(article.id) ?? -(this.overlaySlots.size + 1)
    this.overlaySlots.set(article.id, offset)
    this.overlay.set(offset, article)
    return { offset, length: 0 }
  }

  async read ({ offset, length }: DocumentLocation): Promise<Article> {
    if (offset < 0) {
      const article = this.overlay.get(offset)
      if (article === undefined) throw new Error(`no overlay document at ${offset}`)
      return article
    }
    const buffer = Buffer.alloc(length)
    const { bytesRead } = await this.handle.read(buffer, 0, length, offset)
    return JSON.parse(buffer.toString('utf8', 0, bytesRead)) as Article
  }

  async close (): Promise<void> {
    await this.handle.close()
  }
}
