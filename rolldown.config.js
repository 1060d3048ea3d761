// The second step of `npm run build`, after tsc: dist/server/schema-builder.js becomes one file
// holding the part of typebox it exports, in place of an import of typebox's ~370 modules
// (src/server/schema-builder.ts says why). Bundling it again is harmless: it imports nothing.
const schemaBuilder = 'dist/server/schema-builder.js'

export default {
  input: schemaBuilder,
  platform: 'node',
  output: { file: schemaBuilder, format: 'esm' }
}
