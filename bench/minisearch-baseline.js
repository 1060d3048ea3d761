// @ts-check
/**
 * The MiniSearch baselines a user would pick instead of poisk: MiniSearch with its default
 * processing (no Russian analysis), and MiniSearch with Snowball Russian stemming and stop
 * words (@orama/stemmers, @orama/stopwords). Both index title and body, like poisk.
 */
import MiniSearch from 'minisearch'
import { stemmer } from '@orama/stemmers/russian'
import { stopwords } from '@orama/stopwords/russian'

const STOP = new Set(stopwords)

/** @param {string} term */
function snowballTerm (term) {
  const lower = term.toLowerCase().replace(/ё/g, 'е')
  return STOP.has(lower) ? null : stemmer(lower)
}

/** @param {'minisearch' | 'snowball'} variant @returns {import('minisearch').Options<any>} */
export function miniSearchOptions (variant) {
  const base = { idField: 'id', fields: ['title', 'body'], storeFields: ['title'] }
  return variant === 'snowball' ? { ...base, processTerm: snowballTerm } : base
}

/** @param {'minisearch' | 'snowball'} variant */
export function createMiniSearch (variant) {
  return new MiniSearch(miniSearchOptions(variant))
}

/** @param {'minisearch' | 'snowball'} variant @param {string} json */
export function loadMiniSearch (variant, json) {
  return MiniSearch.loadJSON(json, miniSearchOptions(variant))
}

/** Top ten of a query, as a search page would show them. @param {MiniSearch} index @param {string} q */
export function searchTopTen (index, q) {
  return index.search(q).slice(0, 10)
}
