/**
 * The analyzer poisk serves with: the shared pipeline with dictionary lemmatisation (see
 * lemmatize.ts), chosen on the relevance evaluation (docs/RELEVANCE.md). One place to change it.
 */
import { createAnalyzer, type Analyzer } from './analyzer.js'
import { createLemmatizer, LEMMATIZER_VERSION, type LemmatizerOptions } from './lemmatize.js'

export function createDefaultAnalyzer (options: LemmatizerOptions = {}): Analyzer {
  return createAnalyzer({ name: `lemma${LEMMATIZER_VERSION}`, reducer: createLemmatizer(options) })
}
