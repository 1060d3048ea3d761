#!/usr/bin/env node
// Entry point of the `poisk` command; the TypeScript sources are compiled to dist/ by `npm install` (prepare).
import { main } from '../dist/cli/main.js'

// A failed command exits at once: a server that could not listen must not linger on its timers.
main(process.argv.slice(2)).then(
  code => { if (code !== 0) process.exit(code) },
  error => {
    console.error(error)
    process.exit(1)
  }
)
