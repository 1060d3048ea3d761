// Builds a corpus with poisk's build path (analysis workers, index builder, binary file), loads it,
// and prints wall and CPU time; with --compare, also checks that the loaded index serialises exactly
// like one built with MiniSearch's own `add` over the same documents (ranking depends on it).
// Usage: npm run build && node bench/build-check.js [--corpus FILE] [--workers N] [--compare]
import { rm } from 'node:fs/promises'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import MiniSearch from 'minisearch'
import { createDefaultAnalyzer } from '../dist/analysis/default-analyzer.js'
import { listCorpusFiles } from '../dist/corpus/corpus-files.js'
import { readCorpus } from '../dist/corpus/read-corpus.js'
import { buildIndex, toIndexedDocument } from '../dist/index/build-index.js'
import { encodeDocument } from '../dist/index/document-record.js'
import { DocumentDictionaryTrainer } from '../dist/index/document-dictionary.js'
import { miniSearchOptions } from '../dist/index/minisearch-options.js'
import { loadBuild } from '../dist/index/open-index.js'

const { values } = parseArgs({
  options: {
    corpus: { type: 'string', default: '../shared/corpora/rt.jsonl.gz' },
    workers: { type: 'string' },
    compare: { type: 'boolean', default: false },
    dir: { type: 'string', default: '.tmp/build-check' }
  }
})
const corpus = resolve(values.corpus)
const dir = resolve(values.dir)
await rm(dir, { recursive: true, force: true })
const analyzer = createDefaultAnalyzer()
const started = performance.now()
const result = await buildIndex({
  corpusPaths: [corpus],
  indexDir: dir,
  analyzer,
  ...(values.workers === undefined ? {} : { analysisWorkers: Number(values.workers) }),
  onStage: stage => console.log(`${stage} at ${((performance.now() - started) / 1000).toFixed(1)} s`)
})
const cpu = process.cpuUsage()
console.log(JSON.stringify({
  buildS: +((performance.now() - started) / 1000).toFixed(1),
  cpuS: +((cpu.user + cpu.system) / 1e6).toFixed(1),
  peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  documents: result.manifest.documentCount,
  files: result.manifest.files.map(file => `${file.name} ${(file.bytes / 2 ** 20).toFixed(1)} MB`)
}))
const loadStarted = performance.now()
const snapshot = await loadBuild(dir, result.buildId, createDefaultAnalyzer())
console.log(JSON.stringify({ loadMs: Math.round(performance.now() - loadStarted) }))
if (values.compare) {
  // The documents and byte offsets the build gave them: corpus order, one docs.bin record each (for corpora
  // without feed headlines, which a build adds last; no change log).
  const expected = new MiniSearch(miniSearchOptions(analyzer))
  let offset = 0
  const trainer = new DocumentDictionaryTrainer()
  for await (const event of readCorpus(await listCorpusFiles([corpus]))) {
    if (event.type !== 'article' || event.article.kind !== 'article' || expected.has(event.article.id)) continue
    const dictionary = trainer.dictionary
    if (dictionary === undefined) trainer.learn(event.article)
    const { length } = encodeDocument(event.article, dictionary)
    expected.add(toIndexedDocument(event.article, { offset, length }))
    offset += length
  }
  const want = expected.toJSON()
  const got = snapshot.miniSearch.toJSON()
  const differing = Object.keys(want).filter(key => JSON.stringify(want[key]) !== JSON.stringify(got[key]))
  console.log(differing.length === 0 ? 'identical to MiniSearch add' : `DIFFERENT: ${differing.join(', ')}`)
  if (differing.length > 0) process.exitCode = 1
}
await snapshot.documents.close()
