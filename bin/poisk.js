#!/usr/bin/env node
// Entry point of the `poisk` command; the TypeScript sources are compiled to dist/ by `npm install` (prepare).
import { setFlagsFromString } from 'node:v8'

// A server marks V8's heap on its main thread, in increments. With the default (a helper
// thread marking meanwhile), loading 800,000 documents on 2 cores left the marking to the
// final pauses, 370–430 ms each; marked in increments no pause exceeded 20 ms, and query
// latency held (docs/BENCHMARKS.md, the Lenta-shaped archive). Set before any other module
// loads: set later, from `serve`, it left one such pause.
if (['serve', 'start'].includes(process.argv[2] ?? '')) setFlagsFromString('--no-concurrent-marking')
const { main } = await import('../dist/cli/main.js')

// A failed command exits at once: a server that could not listen must not linger on its timers.
main(process.argv.slice(2)).then(
  code => { if (code !== 0) process.exit(code) },
  error => {
    console.error(error)
    process.exit(1)
  }
)
