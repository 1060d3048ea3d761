/**
 * The phrase stage of ranking: what a query's quoted phrases do to its ranked matches.
 * Quotes with a few words around them are a demand: every candidate holding all of a
 * phrase's words (found from the postings) is checked for their order, so totals are exact,
 * and a phrase nothing holds, in a query with other words, is searched as plain words.
 * Quotes among many words are most likely a pasted headline's: a bonus, or plain words
 * (RankingConfig.longQueryPhrase). What was done is said in the response.
 */
import type { Snapshot } from '../index/open-index.js'
import type { Pause } from '../index/time-slicer.js'
import { containsPhrase, makePhrase, type Phrase } from './phrase.js'
import { internalsOf } from '../index/minisearch-internals.js'
import { warmStoredTexts } from '../index/stored-fields-table.js'
import type { QueryOptions } from './query-options.js'
import { isShortQuery, type RankingConfig } from './ranking.js'
import type { PlannedPhrase, QueryPlan } from './query-plan.js'
import { parseQuery as parseSyntax, type QueryField } from './query/query-syntax.js'
import { ListedResults, type RankedResults, type Found, type Results } from './results.js'
import { fieldDocuments } from './term-counts.js'

/** The phrases applied to `ranked`, a demand or not as the query's length says; `pause` awaited before each body is inflated (search.ts). */
export async function phraseStage (snapshot: Snapshot, plan: QueryPlan, ranked: RankedResults, typed: string, ranking: RankingConfig, options: QueryOptions, pause?: Pause): Promise<{ results: Results, phrases?: PhraseOutcome }> {
  return phrasesAreDemands(ranking, plan)
    ? await applyPhrases(snapshot, plan, ranked, typed, options, pause)
    : await favourPhrases(snapshot, plan, ranked, typed, options, ranking.longQueryPhrase, pause)
}

/**
 * Quotes are a demand unless they stand in a long query: a phrase with a few words around it
 * is what a user asks for; quotes among many words are most likely a pasted headline's.
 */
function phrasesAreDemands (ranking: RankingConfig, plan: QueryPlan): boolean {
  const inPhrases = new Set(plan.phrases.flatMap(phrase => phrase.words))
  return isShortQuery(ranking, plan.words.length - inPhrases.size)
}

/** What the phrase check did besides narrowing, for the response. */
export interface PhraseOutcome {
  /** The phrases every result holds, for snippets to show. */
  held: Phrase[]
  /** Phrases no match held, searched as plain words instead (the query held other words too). */
  dropped?: string[]
  /** Only this many best candidates were checked for the phrases (`maxPhraseCandidates`): `total` counts the phrase in these. */
  checked?: number
}

/**
 * The matches holding the query's phrases. A phrase that matches nothing in a query that has
 * other words is most likely a pasted headline's quotation, not a demand: the query is then
 * answered without the quotes, and says so. A query of phrases only answers what it asked.
 */
async function applyPhrases (snapshot: Snapshot, plan: QueryPlan, ranked: RankedResults, typed: string, options: QueryOptions, pause?: Pause): Promise<{ results: Results, phrases?: PhraseOutcome }> {
  if (plan.phrases.length === 0) return { results: ranked }
  const checks = plan.phrases.map(phrase => phraseCheck(snapshot, plan, phrase))
  const may = mayHoldPhrases(checks, canReadPostings(snapshot, checks))
  // Only the matches the postings allow are ordered and built: on a frequent word that is a few of hundreds of thousands.
  const candidates = ranked.topWhere(ranked.total, at => may(ranked.shortIdAt(at)) !== undefined).map(({ found }) => found)
  const { kept, checked, phrases } = await keepPhrases(snapshot, checks, may, candidates, options.limits.maxPhraseCandidates, pause)
  const inPhrases = new Set(plan.phrases.flatMap(phrase => phrase.words))
  if (kept.length === 0 && ranked.total > 0 && plan.words.some((_, at) => !inPhrases.has(at))) {
    return { results: ranked, phrases: { held: [], dropped: searchedAsWords(plan, typed, options) } }
  }
  return { results: new ListedResults(kept), phrases: { held: phrases, ...(checked === undefined ? {} : { checked }) } }
}

/**
 * A long query's phrases as a bonus (RankingConfig.longQueryPhrase): the best candidates
 * holding them move up by `factor`; every match stays. At factor 1 they are plain words,
 * and the response says so, as for a phrase no document holds.
 */
async function favourPhrases (snapshot: Snapshot, plan: QueryPlan, ranked: RankedResults, typed: string, options: QueryOptions, { factor, candidates }: RankingConfig['longQueryPhrase'], pause?: Pause): Promise<{ results: Results, phrases?: PhraseOutcome }> {
  if (plan.phrases.length === 0) return { results: ranked }
  if (factor === 1) return { results: ranked, phrases: { held: [], dropped: searchedAsWords(plan, typed, options) } }
  const all = ranked.top(ranked.total)
  const best = all.slice(0, candidates)
  const checks = plan.phrases.map(phrase => phraseCheck(snapshot, plan, phrase))
  const may = mayHoldPhrases(checks, canReadPostings(snapshot, checks))
  const { kept, phrases } = await keepPhrases(snapshot, checks, may, best.filter(found => may(found.shortId) !== undefined), best.length, pause)
  const holding = new Set(kept)
  const rescored = best.map(found => holding.has(found) ? rescoredFound(found, found.score * factor) : found)
    .sort((a, b) => b.score - a.score)
  return { results: new ListedResults([...rescored, ...all.slice(candidates)]), phrases: { held: phrases } }
}

/** `found` with another score, its result still built only when read. */
function rescoredFound (found: Found, score: number): Found {
  return {
    id: found.id,
    shortId: found.shortId,
    get result () { return found.result },
    get fields () { return found.fields },
    score,
    ...(found.date === undefined ? {} : { date: found.date }),
    wordsMatched: found.wordsMatched
  }
}

/** The query's phrases, now searched as plain words: the query as searched loses its quotes; the phrases as typed, for the response. */
function searchedAsWords (plan: QueryPlan, typed: string, options: QueryOptions): string[] {
  const searched = plan.interpretedAs ?? typed
  plan.interpretedAs = withoutQuotes(searched)
  return phraseTexts(searched, options)
}

/** The phrases as typed (stop words included), for the response. */
function phraseTexts (text: string, options: QueryOptions): string[] {
  return parseSyntax(text, { maxWords: options.limits.maxWords }).phrases
    .filter(phrase => !phrase.negated && phrase.words.length > 1)
    .map(phrase => phrase.words.join(' '))
}

/** Every phrase mark the syntax knows (and «ёлочки», which read as quotes to a reader) taken out. */
function withoutQuotes (text: string): string {
  return text.replace(/["“”„«»]/g, '').replace(/\s+/g, ' ').trim()
}

/**
 * Keeps the candidates holding every phrase in order: all of them, so the total is exact. The
 * postings first narrow them to the documents whose headline or body holds every word of each
 * phrase (most candidates hold only some); only those are read and checked for word order.
 * A batch's bodies are read together, then inflated and checked one by one, `pause` awaited
 * before each (search.ts): the work of a batch is cut into the caller's turns.
 */
async function keepPhrases (snapshot: Snapshot, checks: readonly PhraseCheck[], may: MayHold, candidates: readonly Found[], maxCandidates: number, pause?: Pause): Promise<PhraseFiltered> {
  const checked = candidates.slice(0, maxCandidates)
  const storedFields = internalsOf(snapshot.miniSearch)?.storedFields
  const kept: Found[] = []
  for (let from = 0; from < checked.length; from += PHRASE_READS_AT_ONCE) {
    const batch = checked.slice(from, from + PHRASE_READS_AT_ONCE)
    // Their headlines are read next, one at a time: from the disk, that would hold the event loop.
    if (storedFields !== undefined) await warmStoredTexts(storedFields, batch.map(found => found.shortId))
    const outcomes = batch.map(found => titleOutcome(snapshot, found, checks, may(found.shortId) as number | null))
    const bodies = await Promise.all(batch.map(async (found, at) => typeof outcomes[at] === 'boolean' ? undefined : await snapshot.documents.bodyReader(found.fields)))
    for (const [at, found] of batch.entries()) {
      const outcome = outcomes[at] as boolean | Phrase[]
      if (typeof outcome === 'boolean') {
        if (outcome) kept.push(found)
        continue
      }
      await pause?.()
      const body = (bodies[at] as () => string)()
      if (outcome.every(phrase => containsPhrase(body, phrase, snapshot.analyzer))) kept.push(found)
    }
  }
  return { kept, phrases: checks.map(check => check.phrase), ...(checked.length < candidates.length ? { checked: checked.length } : {}) }
}

/** The matches holding every phrase; `checked` when only the best of the candidates were (`maxPhraseCandidates`). */
interface PhraseFiltered {
  kept: Found[]
  phrases: Phrase[]
  checked?: number
}

/** Document reads in flight at once for a phrase check (from a file each is a thread-pool job). */
const PHRASE_READS_AT_ONCE = 64

/** A phrase and where it may occur: the documents whose headline / body hold each of its words (undefined: unknown). */
interface PhraseCheck {
  phrase: Phrase
  field?: QueryField
  inTitle?: ReadonlySet<number>
  inBody?: ReadonlySet<number>
}

function phraseCheck (snapshot: Snapshot, plan: QueryPlan, { words, field }: PlannedPhrase): PhraseCheck {
  const groups = words.map(at => new Set(plan.words[at]?.terms.keys() ?? []))
  const phrase = makePhrase(groups, snapshot.forms.keySet(groups.flatMap(group => [...group])))
  const inTitle = holdingAll(snapshot, groups, 'title')
  const inBody = field === 'title' ? new Set<number>() : holdingAll(snapshot, groups, 'body')
  return { phrase, ...(field === undefined ? {} : { field }), ...(inTitle === undefined ? {} : { inTitle }), ...(inBody === undefined ? {} : { inBody }) }
}

/** The documents whose `field` holds a term of every group; undefined when the postings cannot be read. */
function holdingAll (snapshot: Snapshot, groups: ReadonlyArray<ReadonlySet<string>>, field: string): Set<number> | undefined {
  let holding: Set<number> | undefined
  for (const group of groups) {
    const documents = fieldDocuments(snapshot.miniSearch, group, field)
    if (documents === undefined) return undefined
    holding = holding === undefined ? documents : new Set([...holding].filter(shortId => documents.has(shortId)))
  }
  return holding
}

/** Whether every phrase's candidates could be read from the postings (else every match is checked). */
function canReadPostings (snapshot: Snapshot, checks: readonly PhraseCheck[]): boolean {
  return internalsOf(snapshot.miniSearch) !== undefined && checks.every(check => check.inTitle !== undefined && check.inBody !== undefined)
}

/** For a match's short id: itself when the postings allow it to hold every phrase, undefined when they rule it out, null when they could not be read (check it). */
type MayHold = (shortId: number) => number | null | undefined

function mayHoldPhrases (checks: readonly PhraseCheck[], postingsRead: boolean): MayHold {
  if (!postingsRead) return () => null
  return shortId => checks.every(({ inTitle, inBody }) => inTitle?.has(shortId) === true || inBody?.has(shortId) === true) ? shortId : undefined
}

/**
 * Whether `found` holds every phrase, as far as its headline and the postings tell: true when
 * its headline holds them all, false when some phrase can be in neither, else the phrases its
 * body must hold (it is read).
 */
function titleOutcome (snapshot: Snapshot, found: Found, checks: readonly PhraseCheck[], shortId: number | null): boolean | Phrase[] {
  const may = (documents: ReadonlySet<number> | undefined): boolean => shortId === null || documents === undefined || documents.has(shortId)
  const forBody: Phrase[] = []
  for (const { phrase, field, inTitle, inBody } of checks) {
    if (may(inTitle) && containsPhrase(found.fields.title, phrase, snapshot.analyzer)) continue
    if (field === 'title' || found.fields.kind === 'headline' || !may(inBody)) return false
    forBody.push(phrase)
  }
  return forBody.length === 0 ? true : forBody
}
