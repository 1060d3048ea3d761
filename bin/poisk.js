#!/usr/bin/env node
// Entry point of the `poisk` command; the TypeScript sources are compiled to dist/ by `npm install` (prepare).
import { main } from '../dist/cli/main.js'

main(process.argv.slice(2)).then(
  code => { if (code !== 0) process.exitCode = code },
  error => {
    console.error(error)
    process.exitCode = 1
  }
)
