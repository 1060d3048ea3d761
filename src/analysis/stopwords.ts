/**
 * Russian stop words: the Snowball project's function-word list (via @orama/stopwords),
 * minus the content words it also carries. A news index must find «человек», «жизнь»,
 * «два», «сегодня»; dropping them would make queries such as «права человека» lose their
 * meaning. The list is spelled with «е» for «ё» already, matching `normalize`.
 */
import { stopwords as snowballRussian } from '@orama/stopwords/russian'

/** Content words in the Snowball list that news readers search for. */
const KEPT_CONTENT_WORDS = [
  'человек', 'жизнь', 'два', 'три', 'один', 'хорошо', 'лучше', 'больше',
  'сказал', 'сказала', 'сказать', 'говорил', 'сегодня', 'никогда', 'всегда'
]

const STOPWORDS: ReadonlySet<string> = new Set(
  snowballRussian.filter(word => !KEPT_CONTENT_WORDS.includes(word))
)

export function isStopword (normalizedWord: string): boolean {
  return STOPWORDS.has(normalizedWord)
}
