/**
 * Puts one changed document into a MiniSearch index: `replace` when its id is there, else
 * `add`; and its word forms into the form table, which snippets rely on to be complete. The
 * one way a live change or a change folded into a build enters an index (a build's corpus
 * goes through the index builder, which records forms itself).
 */
import type MiniSearch from 'minisearch'
import type { Analyzer } from '../analysis/analyzer.js'
import type { FormCollector, FormTable } from './form-table.js'
import { searchFieldTexts, type IndexedDocument } from './minisearch-options.js'

export function putDocument (miniSearch: MiniSearch<IndexedDocument>, forms: FormTable | FormCollector, analyzer: Pick<Analyzer, 'termsAt'>, document: IndexedDocument): void {
  if (miniSearch.has(document.id)) miniSearch.replace(document)
  else miniSearch.add(document)
  forms.addTexts(searchFieldTexts(document), analyzer)
}
