/**
 * typebox's `Type`, the one part of typebox poisk runs: the route schemas are built with it.
 * typebox 1.x ships as about 370 ES modules, and loading them took 130–180 ms of `serve`'s
 * start before it listens (issue #16: listen within 1 s). `npm run build` therefore replaces
 * this module's compiled file with a one-file bundle of what it exports, the same code
 * (rolldown.config.js). Built by `tsc` alone, it loads typebox from node_modules: slower, the
 * same schemas.
 */
export { Type } from 'typebox'
export type { Static } from 'typebox'
