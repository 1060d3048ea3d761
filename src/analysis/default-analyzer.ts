/** The analyzer poisk uses unless told otherwise: one place to change it. */
import { createAnalyzer, type Analyzer } from './analyzer.js'

export function createDefaultAnalyzer (): Analyzer {
  return createAnalyzer()
}
